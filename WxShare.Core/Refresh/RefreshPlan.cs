using WxShare.Errors;
using WxShare.WeChat;

namespace WxShare.Refresh;

public enum RefreshDecision
{
    NotDue,
    Due,
    /// <summary>Due, but a configuration or quota error asked the issuer to be left alone for a while.</summary>
    BackingOff,
    /// <summary>Due, but another run holds the refresh lease: on another instance, or on this one (a lease is held whoever holds it).</summary>
    LeasedByOther,
    /// <summary>A guard of the caller's (forced refresh, relay refresh) declined; it answers with its own reason.</summary>
    Refused,
}

/// <summary>What one refresh fetches, decided from the row as read.</summary>
/// <param name="TicketsDue">The tickets to fetch, in the issuer's order.</param>
public sealed record RefreshPlan(RefreshDecision Decision, bool AccessTokenDue, IReadOnlyList<ApiCall> TicketsDue)
{
    /// <summary>The token is fetched with force (a new one that ends the old at once); the lease's write records the attempt.</summary>
    public bool ForceToken { get; init; }

    /// <summary>The refresh replaces a token a relay caller reported; the lease's write records when, for the per-account limit.</summary>
    public bool ForRelayCaller { get; init; }

    /// <summary>An operator's refresh-now; the lease's write records when, for its cooldown (<see cref="RefreshNowCooldown"/>).</summary>
    public bool ForRefreshNow { get; init; }

    public static readonly RefreshPlan Refused = new(RefreshDecision.Refused, false, []);

    public bool IsDue(ApiCall ticket) => TicketsDue.Contains(ticket);
}
