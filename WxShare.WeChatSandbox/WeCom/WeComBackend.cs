using WxShare.WeChatSandbox.Domain;

namespace WxShare.WeChatSandbox.WeCom;

/// <summary>
/// The in-memory WeCom: per-app secrets and tokens, the corp ticket (per corp) and agent tickets (per app), the hourly
/// ticket limits (sliding hour, answered with 45009), and the trusted-IP rule (60020). Time from the TimeProvider.
/// </summary>
internal sealed class WeComBackend(WeComSandboxOptions options, TimeProvider time)
{
    public const string AgentConfigType = "agent_config";
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Token> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Issued> _corpTickets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Issued> _agentTickets = new(StringComparer.Ordinal);
    private readonly List<WeComTicketCall> _accepted = [];
    private readonly List<WeComTicketCall> _received = [];
    private bool _allIpsBlocked;
    private readonly HashSet<(string CorpId, string AgentId)> _blockedApps = [];

    private DateTimeOffset Now => time.GetUtcNow();

    /// <summary>GET /cgi-bin/gettoken: a new token per call; earlier ones keep working until their own expiry.</summary>
    public WeComOutcome IssueToken(string? corpId, string? secret)
    {
        lock (_gate)
        {
            if (string.IsNullOrEmpty(corpId))
                return new WeComError(WeComErrorCodes.CorpIdMissing);
            if (string.IsNullOrEmpty(secret))
                return new WeComError(WeComErrorCodes.SecretMissing);
            if (!options.Apps.Any(a => a.CorpId == corpId))
                return new WeComError(WeComErrorCodes.InvalidCorpId);
            var app = options.Apps.FirstOrDefault(a => a.CorpId == corpId && a.Secret == secret);
            if (app is null)
                return new WeComError(options.Apps.Any(a => a.Secret == secret) ? WeComErrorCodes.SecretOfAnotherCorp : WeComErrorCodes.InvalidSecret);
            if (IsBlocked(app))
                return new WeComError(WeComErrorCodes.IpNotTrusted);

            var token = new Token(RandomCredentials.AccessToken(), app, Now.AddSeconds(options.TokenExpiresInSeconds));
            _tokens[token.Value] = token;
            return new WeComIssued("access_token", token.Value, options.TokenExpiresInSeconds);
        }
    }

    /// <summary>Records a ticket request against the app its token belongs to (if any) before anything else happens to it.</summary>
    public void Received(string? accessToken, WeComTicketKind kind)
    {
        lock (_gate)
        {
            if (accessToken is not null && _tokens.TryGetValue(accessToken, out var token))
                _received.Add(new WeComTicketCall(Now, token.App.CorpId, token.App.AgentId, kind));
        }
    }

    public WeComOutcome IssueTicket(string? accessToken, WeComTicketKind kind, string? type = AgentConfigType)
    {
        lock (_gate)
        {
            if (string.IsNullOrEmpty(accessToken))
                return new WeComError(WeComErrorCodes.AccessTokenMissing);
            if (!_tokens.TryGetValue(accessToken, out var token))
                return new WeComError(WeComErrorCodes.InvalidAccessToken);
            var app = token.App;
            if (IsBlocked(app))
                return new WeComError(WeComErrorCodes.IpNotTrusted);
            var now = Now;
            if (now >= token.ExpiresAt)
                return new WeComError(WeComErrorCodes.AccessTokenExpired);
            if (kind == WeComTicketKind.Agent && type != AgentConfigType)
                return new WeComError(WeComErrorCodes.InvalidParameter);

            _accepted.RemoveAll(c => c.At <= now - Hour);
            var byApp = _accepted.Count(c => c.CorpId == app.CorpId && c.AgentId == app.AgentId && c.Kind == kind);
            var byCorp = _accepted.Count(c => c.CorpId == app.CorpId && c.Kind == WeComTicketKind.Corp);
            if (byApp >= options.TicketCallsPerHourPerApp || (kind == WeComTicketKind.Corp && byCorp >= options.CorpTicketCallsPerHourPerCorp))
                return new WeComError(WeComErrorCodes.FrequencyLimit);
            _accepted.Add(new WeComTicketCall(now, app.CorpId, app.AgentId, kind));

            var ticket = new Issued(RandomCredentials.Ticket(), now.AddSeconds(options.TicketExpiresInSeconds), Key(app, kind));
            (kind == WeComTicketKind.Corp ? _corpTickets : _agentTickets)[ticket.Value] = ticket;
            Newest[Key(app, kind)] = ticket;
            return new WeComIssued("ticket", ticket.Value, options.TicketExpiresInSeconds);
        }
    }

    private Dictionary<string, Issued> Newest { get; } = new(StringComparer.Ordinal);

    public string? CurrentTicket(string corpId, string? agentId)
    {
        lock (_gate)
            return Newest.TryGetValue(agentId is null ? corpId : $"{corpId}/{agentId}", out var t) && Now < t.ExpiresAt ? t.Value : null;
    }

    /// <summary>Whether WeCom would accept this ticket: a corp ticket of <paramref name="corpId"/>, or the agent ticket of its app <paramref name="agentId"/>.</summary>
    public bool IsTicketValid(string corpId, string? agentId, string ticket)
    {
        lock (_gate)
        {
            var book = agentId is null ? _corpTickets : _agentTickets;
            return book.TryGetValue(ticket, out var t) && t.Owner == (agentId is null ? corpId : $"{corpId}/{agentId}") && Now < t.ExpiresAt;
        }
    }

    public IReadOnlyList<string> ValidTickets(string corpId, string? agentId)
    {
        var owner = agentId is null ? corpId : $"{corpId}/{agentId}";
        lock (_gate)
            return (agentId is null ? _corpTickets : _agentTickets).Values.Where(t => t.Owner == owner && Now < t.ExpiresAt).Select(t => t.Value).ToList();
    }

    public bool IsAccessTokenValid(string corpId, string agentId, string accessToken)
    {
        lock (_gate)
            return _tokens.TryGetValue(accessToken, out var t) && t.App.CorpId == corpId && t.App.AgentId == agentId && Now < t.ExpiresAt;
    }

    /// <summary>Every call answers 60020 while blocked: all apps, or one app of a corp.</summary>
    public void SetTrustedIpBlocked(bool blocked, string? corpId, string? agentId)
    {
        lock (_gate)
        {
            if (corpId is null || agentId is null)
            {
                _allIpsBlocked = blocked;
                if (!blocked)
                    _blockedApps.Clear();
            }
            else if (blocked)
                _blockedApps.Add((corpId, agentId));
            else
                _blockedApps.Remove((corpId, agentId));
        }
    }

    /// <summary>Every ticket request received, in order (refused and faulted ones included).</summary>
    public IReadOnlyList<WeComTicketCall> ReceivedTicketCalls()
    {
        lock (_gate)
            return _received.ToList();
    }

    private bool IsBlocked(SandboxWeComApp app) => _allIpsBlocked || _blockedApps.Contains((app.CorpId, app.AgentId));

    private static string Key(SandboxWeComApp app, WeComTicketKind kind) => kind == WeComTicketKind.Corp ? app.CorpId : $"{app.CorpId}/{app.AgentId}";

    private sealed record Token(string Value, SandboxWeComApp App, DateTimeOffset ExpiresAt);

    private sealed record Issued(string Value, DateTimeOffset ExpiresAt, string Owner);
}

internal abstract record WeComOutcome;

/// <param name="Field">access_token or ticket.</param>
internal sealed record WeComIssued(string Field, string Value, int ExpiresIn) : WeComOutcome;

internal sealed record WeComError(int Code) : WeComOutcome;
