using WxShare.WeChatSandbox.Domain;

namespace WxShare.WeChatSandbox;

/// <summary>The sandbox's in-memory WeChat, its call counts and its fault switch. Thread-safe.</summary>
public sealed class WeChatSandboxState
{
    public const string JsApiTicketType = WeChatBackend.JsApiTicketType;
    public const string CardTicketType = WeChatBackend.CardTicketType;

    private readonly CallCounter _calls = new();
    private readonly FaultSwitch _faults = new();
    private readonly IpWhitelist _ipWhitelist = new();
    private readonly TimeProvider _time;
    private long _idleDropAfterMilliseconds = -1;
    private int _droppedConnections;

    internal WeChatSandboxState(SandboxOptions options, TimeProvider timeProvider)
    {
        _time = timeProvider;
        Backend = new WeChatBackend(options, timeProvider);
        Diagnostics = new SandboxDiagnostics();
    }

    internal WeChatBackend Backend { get; }

    /// <summary>How many quota/get and clear_quota calls the sandbox served.</summary>
    public SandboxDiagnostics Diagnostics { get; }

    internal DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>Every error answer's rid with what WeChat would keep about the call (for <c>openapi/rid/get</c>).</summary>
    public SandboxRidLog Rids { get; } = new();

    /// <summary>The IP whitelist of the token calls (token, stable_token): null while off, else the allowed addresses.</summary>
    public IReadOnlyCollection<string>? IpWhitelist => _ipWhitelist.Allowed;

    /// <summary>
    /// Turns the IP whitelist on (a token call from any other address answers 40164 naming the caller's address) or,
    /// with null, off.
    /// </summary>
    public void SetIpWhitelist(IEnumerable<string>? allowedIps) => _ipWhitelist.Set(allowedIps);

    internal bool RefusesIp(string callerIp) => _ipWhitelist.Refuses(callerIp);

    /// <summary>
    /// Null while off; else a keep-alive connection left idle longer than this (real time) is reset, unannounced, when
    /// the next request arrives on it, as WeChat's front end drops pooled connections.
    /// </summary>
    public TimeSpan? IdleConnectionDropAfter
    {
        get => Interlocked.Read(ref _idleDropAfterMilliseconds) is var ms and >= 0 ? TimeSpan.FromMilliseconds(ms) : null;
        set
        {
            if (value < TimeSpan.Zero)
                throw new ArgumentOutOfRangeException(nameof(value), value, "The idle time must not be negative.");
            Interlocked.Exchange(ref _idleDropAfterMilliseconds, value is { } after ? (long)after.TotalMilliseconds : -1);
        }
    }

    /// <summary>How many reused connections the idle drop has reset.</summary>
    public int DroppedConnections => Volatile.Read(ref _droppedConnections);

    internal void CountDroppedConnection() => Interlocked.Increment(ref _droppedConnections);

    /// <summary>A snapshot of the calls served so far.</summary>
    public SandboxCallCounts Calls => _calls.Snapshot();

    /// <summary>How many times getcallbackip was asked whether a token works (not in <see cref="Calls"/>: it issues nothing).</summary>
    public int CallbackIpCalls => _calls.CallbackIpCalls;

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
