using WxShare.WeChatSandbox.Platform;

namespace WxShare.Functions.Tests.Platform;

/// <summary>A platform <c>saas</c> with the sandbox's platform credentials, by the names operators use.</summary>
internal static class PlatformTestSettings
{
    public const string Name = "saas";
    public const string AllowedDomains = "wx.example.com";

    public static Dictionary<string, string?> Add(Dictionary<string, string?> settings, string name = Name)
    {
        settings[$"Platforms:{name}:ComponentAppId"] = PlatformSandboxDefaults.ComponentAppId;
        settings[$"Platforms:{name}:ComponentAppSecret"] = PlatformSandboxDefaults.ComponentAppSecret;
        settings[$"Platforms:{name}:Token"] = PlatformSandboxDefaults.Token;
        settings[$"Platforms:{name}:EncodingAESKey"] = PlatformSandboxDefaults.EncodingAESKey;
        settings[$"Platforms:{name}:AllowedDomains"] = AllowedDomains;
        return settings;
    }
}
