using WxShare.WeChatSandbox.Domain;

namespace WxShare.WeChatSandbox.WeCom;

/// <summary>The sandbox's in-memory WeCom, its call counts, its own fault switch and the trusted-IP switch. Thread-safe.</summary>
public sealed class WeComSandboxState
{
    private readonly Lock _gate = new();
    private readonly FaultSwitch _faults = new();
    private WeComCallCounts _calls = new(0, 0, 0);

    private readonly TimeProvider _time;

    internal WeComSandboxState(WeComSandboxOptions options, TimeProvider timeProvider)
    {
        _time = timeProvider;
        Options = options;
        Backend = new WeComBackend(options, timeProvider);
    }

    public WeComSandboxOptions Options { get; }

    internal WeComBackend Backend { get; }

    internal DateTimeOffset Now => _time.GetUtcNow();

    internal static WeComSandboxState Of(HttpContext context) => context.RequestServices.GetRequiredService<WeComSandboxState>();

    public WeComCallCounts Calls
    {
        get
        {
            lock (_gate)
                return _calls;
        }
    }

    public SandboxFault? CurrentFault => _faults.Current;

    public void ResetCalls()
    {
        lock (_gate)
            _calls = new(0, 0, 0);
    }

    /// <summary>A fault for the WeCom endpoints (<see cref="SandboxEndpoint.WeComToken"/>, ..., or All of them).</summary>
    public void SetFault(SandboxFault fault) => _faults.Set(fault);

    public void ClearFault() => _faults.Clear();

    /// <summary>While blocked, every WeCom call answers 60020: of all apps, or of one app when both ids are given.</summary>
    public void SetTrustedIpBlocked(bool blocked, string? corpId = null, string? agentId = null) => Backend.SetTrustedIpBlocked(blocked, corpId, agentId);

    /// <summary>The newest valid corp ticket (agentId null) or agent ticket of an app, or null.</summary>
    public string? CurrentTicket(string corpId, string? agentId = null) => Backend.CurrentTicket(corpId, agentId);

    public bool IsTicketValid(string corpId, string? agentId, string ticket) => Backend.IsTicketValid(corpId, agentId, ticket);

    /// <summary>Every still-valid corp ticket (agentId null) or agent ticket of an app: each app fetches the corp ticket with its own token.</summary>
    public IReadOnlyList<string> ValidTickets(string corpId, string? agentId = null) => Backend.ValidTickets(corpId, agentId);

    public bool IsAccessTokenValid(string corpId, string agentId, string accessToken) => Backend.IsAccessTokenValid(corpId, agentId, accessToken);

    /// <summary>Every ticket request received, attributed to the app whose token it carried.</summary>
    public IReadOnlyList<WeComTicketCall> TicketCalls => Backend.ReceivedTicketCalls();

    /// <summary>The most ticket requests (both kinds) received in any one hour, from one app (agentId given) or the whole corp.</summary>
    public int MostTicketCallsInAnyHour(string corpId, string? agentId = null)
    {
        var calls = TicketCalls.Where(c => c.CorpId == corpId && (agentId is null || c.AgentId == agentId)).Select(c => c.At).ToList();
        var most = 0;
        for (int first = 0, last = 0; last < calls.Count; last++)
        {
            while (calls[last] - calls[first] >= TimeSpan.FromHours(1))
                first++;
            most = Math.Max(most, last - first + 1);
        }
        return most;
    }

    internal SandboxFault? BeginCall(SandboxEndpoint endpoint)
    {
        lock (_gate)
        {
            _calls = endpoint switch
            {
                SandboxEndpoint.WeComToken => _calls with { Token = _calls.Token + 1 },
                SandboxEndpoint.WeComCorpTicket => _calls with { CorpTicket = _calls.CorpTicket + 1 },
                _ => _calls with { AgentTicket = _calls.AgentTicket + 1 },
            };
        }
        return _faults.TakeFor(endpoint);
    }
}
