using WxShare.WeChatSandbox.Domain;

namespace WxShare.WeChatSandbox;

/// <summary>The sandbox's in-memory WeChat, its call counts and its fault switch. Thread-safe.</summary>
public sealed class WeChatSandboxState
{
    public const string JsApiTicketType = WeChatBackend.JsApiTicketType;
    public const string CardTicketType = WeChatBackend.CardTicketType;

    private readonly CallCounter _calls = new();
    private readonly FaultSwitch _faults = new();

    internal WeChatSandboxState(SandboxOptions options, TimeProvider timeProvider)
    {
        Backend = new WeChatBackend(options, timeProvider);
    }

    internal WeChatBackend Backend { get; }

    /// <summary>A snapshot of the calls served so far.</summary>
    public SandboxCallCounts Calls => _calls.Snapshot();

    /// <summary>The active fault (with its remaining calls counted down), or null.</summary>
    public SandboxFault? CurrentFault => _faults.Current;

    public void ResetCalls() => _calls.Reset();

    /// <summary>Replaces the current fault. A fault of kind <see cref="SandboxFaultKind.None"/> clears it.</summary>
    /// <exception cref="ArgumentException">The fault is inconsistent (e.g. ErrorCode kind with code 0, RemainingCalls ≤ 0).</exception>
    public void SetFault(SandboxFault fault) => _faults.Set(fault);

    public void ClearFault() => _faults.Clear();

    /// <summary>The newest issued, still-valid ticket of this type, or null.</summary>
    public string? CurrentTicket(string appId, string type = JsApiTicketType) => Backend.CurrentTicket(appId, type);

    public bool IsTicketValid(string appId, string ticket, string type = JsApiTicketType) => Backend.IsTicketValid(appId, ticket, type);

    /// <summary>Whether a classic or stable token issued for this appid would be accepted right now.</summary>
    public bool IsAccessTokenValid(string appId, string accessToken) => Backend.IsAccessTokenValid(appId, accessToken);

    /// <summary>Ends a token now, as another service's classic or forced fetch for the same appid would.</summary>
    public void RevokeAccessToken(string accessToken) => Backend.RevokeAccessToken(accessToken);

    /// <summary>Counts a request on a WeChat endpoint and returns the fault to apply to it, if any.</summary>
    internal SandboxFault? BeginCall(SandboxEndpoint endpoint)
    {
        _calls.Count(endpoint);
        return _faults.TakeFor(endpoint);
    }
}
