namespace WxShare.WeChatSandbox;

/// <summary>How many requests each WeChat endpoint has served, faulted and failed ones included.</summary>
public sealed record SandboxCallCounts(int Token, int StableToken, int Ticket)
{
    public int Total => Token + StableToken + Ticket;
}
