namespace WxShare.WeChatSandbox;

/// <summary>Fake credentials shaped like real ones: an 18-character "wx" appid and a 32-character secret.</summary>
public static class SandboxDefaults
{
    public const string AppId = "wx5a4d5b0c1e2f3a4b";

    public const string AppSecret = "sandbox0secret0not0real0000000000";

    /// <summary>Where the standalone sandbox listens when no --urls is given.</summary>
    public const string Url = "http://127.0.0.1:5081";
}
