namespace WxShare.WeChatSandbox.Platform;

/// <summary>The third-party platform the sandbox plays WeChat's side for: its credentials, where it pushes, lifetimes.</summary>
public sealed class PlatformSandboxOptions
{
    public string ComponentAppId { get; set; } = PlatformSandboxDefaults.ComponentAppId;
    public string ComponentAppSecret { get; set; } = PlatformSandboxDefaults.ComponentAppSecret;
    public string Token { get; set; } = PlatformSandboxDefaults.Token;
    public string EncodingAESKey { get; set; } = PlatformSandboxDefaults.EncodingAESKey;

    /// <summary>The platform's 授权事件接收URL: verify tickets and authorization events are POSTed here. None: nothing is pushed.</summary>
    public Uri? EventUrl { get; set; }

    /// <summary>How often a verify ticket is pushed (WeChat: every 600 s); 0 pushes only on demand (POST /sandbox/platform/push-ticket).</summary>
    public int PushIntervalSeconds { get; set; } = 600;

    public int ComponentTokenExpiresInSeconds { get; set; } = 7200;
    public int AuthorizerTokenExpiresInSeconds { get; set; } = 7200;
    public int PreAuthCodeExpiresInSeconds { get; set; } = 1800;

    public static PlatformSandboxOptions From(IConfigurationSection section)
    {
        var options = new PlatformSandboxOptions();
        section.Bind(options);
        return options;
    }
}

/// <summary>Fake platform credentials shaped like real ones (an 18-character appid, a 43-character key). Not real.</summary>
public static class PlatformSandboxDefaults
{
    public const string ComponentAppId = "wxc0e1a2b3c4d5e6f7";
    public const string ComponentAppSecret = "sandbox0component0secret000000000";
    public const string Token = "sandboxplatformtoken";
    public const string EncodingAESKey = "sandbox0platform0encoding0aes0key0not0real0";
}
