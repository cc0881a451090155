using WxShare.Accounts;
using WxShare.WeChatSandbox.WeCom;

namespace WxShare.Functions.Tests.WeCom;

/// <summary>The sandbox's two default WeCom apps of one corp, configured as operators would (Accounts__hr__*, Accounts__crm__*).</summary>
internal static class WeComApps
{
    public const string CorpId = WeComSandboxOptions.DefaultCorpId;
    public const string One = "1000002";
    public const string Two = "1000003";
    /// <summary>Both apps' trusted domain: a page there names its app with agentId.</summary>
    public const string Domain = "work.example.cn";

    public static string SecretOf(string agentId) => new WeComSandboxOptions().Apps.Single(a => a.AgentId == agentId).Secret;

    public static string StorageKey(string agentId) => Account.StorageKeyOf(AccountKind.WeCom, CorpId, agentId);

    /// <summary>Adds the app as Accounts__&lt;name&gt;__*, and points WeCom__ApiBaseUrl at the sandbox that WeChat__ApiBaseUrl names.</summary>
    public static void Add(Dictionary<string, string?> settings, string name, string agentId, string corpId = CorpId, string? secret = null)
    {
        settings[$"Accounts:{name}:Kind"] = "wecom";
        settings[$"Accounts:{name}:CorpId"] = corpId;
        settings[$"Accounts:{name}:AgentId"] = agentId;
        settings[$"Accounts:{name}:AppSecret"] = secret ?? SecretOf(agentId);
        settings[$"Accounts:{name}:AllowedDomains"] = Domain;
        settings["WeCom:ApiBaseUrl"] = settings["WeChat:ApiBaseUrl"];
    }

    public static void AddBoth(Dictionary<string, string?> settings)
    {
        Add(settings, "hr", One);
        Add(settings, "crm", Two);
    }
}
