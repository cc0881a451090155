using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.Infrastructure;

/// <summary>
/// The single account (the sandbox's default, on example.com and 例子.cn) beside a named one, "shop", on shop.example.cn
/// with the card ticket on; both known to the sandbox.
/// </summary>
internal static class TwoAccounts
{
    public const string ShopName = "shop";
    public const string ShopAppId = "wx00000000000005h0";
    public const string ShopSecret = "shop0secret0not0real000000000000";
    public const string ShopDomain = "shop.example.cn";

    public static void Configure(Dictionary<string, string?> settings)
    {
        settings[$"Accounts:{ShopName}:AppId"] = ShopAppId;
        settings[$"Accounts:{ShopName}:AppSecret"] = ShopSecret;
        settings[$"Accounts:{ShopName}:AllowedDomains"] = ShopDomain;
        settings[$"Accounts:{ShopName}:CardTicket"] = "true";
    }

    public static SandboxOptions Sandbox(SandboxOptions? options = null)
    {
        options ??= new SandboxOptions();
        options.Accounts = [.. options.Accounts, new SandboxAccount { AppId = ShopAppId, AppSecret = ShopSecret }];
        return options;
    }
}
