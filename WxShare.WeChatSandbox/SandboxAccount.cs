namespace WxShare.WeChatSandbox;

/// <summary>An official-account appid/secret pair the sandbox accepts.</summary>
public sealed class SandboxAccount
{
    public required string AppId { get; init; }

    public required string AppSecret { get; init; }
}
