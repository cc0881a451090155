namespace WxShare.WeChatSandbox;

/// <summary>The WeChat endpoints a fault can target.</summary>
public enum SandboxEndpoint
{
    All,
    Token,
    StableToken,
    Ticket,
    WeComToken,
    WeComCorpTicket,
    WeComAgentTicket,
    /// <summary>WeChat's GET /cgi-bin/getcallbackip: asks whether a token still works.</summary>
    CallbackIp,
}

public enum SandboxFaultKind
{
    None,

    /// <summary>Wait <see cref="SandboxFault.DelayMilliseconds"/> (real time), then answer normally.</summary>
    Delay,

    /// <summary>HTTP 200 <c>{"errcode":-1,"errmsg":"system error"}</c>.</summary>
    Busy,

    /// <summary>HTTP 503 with a short HTML body, as from a gateway.</summary>
    ServerError,

    /// <summary>HTTP 200, application/json, truncated JSON.</summary>
    MalformedBody,

    /// <summary>HTTP 200 with <see cref="SandboxFault.ErrorCode"/> and WeChat's errmsg for it.</summary>
    ErrorCode,
}

/// <summary>
/// A fault injected in front of the WeChat endpoints. A faulted call is answered before any real processing,
/// so it issues nothing and uses no quota (except <see cref="SandboxFaultKind.Delay"/>, which then proceeds normally).
/// </summary>
/// <param name="RemainingCalls">null: until cleared; otherwise the fault applies to the next N matching calls, then clears itself.</param>
public sealed record SandboxFault(
    SandboxFaultKind Kind,
    SandboxEndpoint Endpoint = SandboxEndpoint.All,
    int DelayMilliseconds = 0,
    int ErrorCode = 0,
    int? RemainingCalls = null)
{
    internal bool AppliesTo(SandboxEndpoint endpoint) => Endpoint == SandboxEndpoint.All || Endpoint == endpoint;

    /// <exception cref="ArgumentException">The fault cannot be applied as described.</exception>
    internal void Validate()
    {
        if (!Enum.IsDefined(Kind))
            throw new ArgumentException($"Unknown fault kind {(int)Kind}.", nameof(Kind));
        if (!Enum.IsDefined(Endpoint))
            throw new ArgumentException($"Unknown endpoint {(int)Endpoint}.", nameof(Endpoint));
        if (DelayMilliseconds < 0)
            throw new ArgumentException("DelayMilliseconds must not be negative.", nameof(DelayMilliseconds));
        if (Kind == SandboxFaultKind.ErrorCode && ErrorCode == 0)
            throw new ArgumentException("An ErrorCode fault needs a non-zero ErrorCode.", nameof(ErrorCode));
        if (RemainingCalls <= 0)
            throw new ArgumentException("RemainingCalls must be positive, or null for 'until cleared'.", nameof(RemainingCalls));
    }
}
