namespace WxShare.WeChatSandbox;

/// <summary>How many requests each WeChat endpoint has served, faulted and failed ones included.</summary>
public sealed record SandboxCallCounts(int Token, int StableToken, int Ticket)
{
    /// <summary>Calls that asked whether a token works (getcallbackip); they issue nothing, so <see cref="Total"/> leaves them out.</summary>
    public int CallbackIp { get; init; }

    /// <summary>The calls that issue credentials.</summary>
    public int Total => Token + StableToken + Ticket;
}
