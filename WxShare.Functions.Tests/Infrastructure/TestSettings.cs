using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.Infrastructure;

/// <summary>The settings a test host gets, by the same names operators use.</summary>
internal static class TestSettings
{
    public const string AllowedDomains = "example.com,例子.cn";

    /// <summary>Valid settings for tests that build a host but never reach storage or WeChat.</summary>
    public static Dictionary<string, string?> Offline() =>
        For("UseDevelopmentStorage=true", "WxShareCredentials", new Uri("http://127.0.0.1:9/"));

    public static Dictionary<string, string?> For(string storageConnection, string tableName, Uri weChatBaseAddress) => new()
    {
        ["WeChat:AppId"] = SandboxDefaults.AppId,
        ["WeChat:AppSecret"] = SandboxDefaults.AppSecret,
        ["WeChat:ApiBaseUrl"] = weChatBaseAddress.ToString(),
        // Retry back-off runs on the test's fake clock, which only moves when a test moves it.
        ["WeChat:RetryDelayMilliseconds"] = "0",
        ["Storage:ConnectionString"] = storageConnection,
        ["Storage:TableName"] = tableName,
        ["Signing:AllowedDomains"] = AllowedDomains,
    };
}
