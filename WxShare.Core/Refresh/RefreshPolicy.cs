using Microsoft.Extensions.Options;
using WxShare.Accounts;
using WxShare.Configuration;
using WxShare.Errors;
using WxShare.Storage;
using WxShare.WeChat;

namespace WxShare.Refresh;

/// <summary>
/// Decides on each tick whether to call the issuer. A ticket, and a classic token, is due when missing, older than the
/// maximum age, or within the safety margin of its own expires_in (which the issuer may shorten). A stable token is due
/// only when WeChat would hand out a new one: in its last 300 s (or once expired). Which tickets an account keeps, and
/// whether its token is stable, its issuer says (<see cref="ICredentialIssuer"/>).
/// </summary>
public sealed class RefreshPolicy(IOptions<RefreshOptions> options, CredentialIssuers issuers)
{
    /// <summary>WeChat issues a new stable token only in the last 300 s of the current one; before that it returns the same.</summary>
    public static readonly TimeSpan StableTokenRenewalWindow = TimeSpan.FromSeconds(300);

    public RefreshPlan Plan(CredentialRecord record, Account account, DateTimeOffset now)
    {
        var issuer = issuers.For(account);
        var tokenDue = issuer.TokenIsStable(account) ? IsStableTokenDue(record.AccessToken, now) : IsDue(record.AccessToken, now);
        var ticketsDue = issuer.Tickets(account).Where(t => IsDue(record.Ticket(t), now)).ToArray();
        var decision = !tokenDue && ticketsDue.Length == 0 ? RefreshDecision.NotDue : Decide(record, now);
        return new RefreshPlan(decision, tokenDue, ticketsDue);
    }

    /// <summary>
    /// An operator's "refresh now": every ticket the account keeps, whatever its age, under the same back-off and lease
    /// as a tick. A classic token (and a WeCom app's) is fetched anew; a stable token only when it is due, since asking
    /// earlier returns the same token (a new one before then is the forced, rationed path of <see cref="ForcedTokenRefresher"/>).
    /// </summary>
    public RefreshPlan PlanNow(CredentialRecord record, Account account, DateTimeOffset now)
    {
        var issuer = issuers.For(account);
        return new(Decide(record, now),
            AccessTokenDue: !issuer.TokenIsStable(account) || IsStableTokenDue(record.AccessToken, now),
            TicketsDue: issuer.Tickets(account))
        {
            ForRefreshNow = true,
        };
    }

    /// <summary>
    /// A new token and nothing else, on a caller's explicit request (<see cref="ForcedTokenRefresher"/>,
    /// <see cref="RejectedTokenRefresher"/>), whose guards have already passed; a live lease still stops it.
    /// </summary>
    public static RefreshPlan PlanToken(CredentialRecord record, DateTimeOffset now, bool force, bool forRelayCaller) =>
        new(record.Lease?.IsLiveAt(now) == true ? RefreshDecision.LeasedByOther : RefreshDecision.Due, AccessTokenDue: true, TicketsDue: [])
        {
            ForceToken = force,
            ForRelayCaller = forRelayCaller,
        };

    /// <summary>The lease a refresh starting now takes: long enough for its calls, short enough that a crashed owner's lapses soon.</summary>
    public RefreshLease LeaseFrom(string owner, DateTimeOffset now) => new(owner, now + options.Value.LeaseDuration);

    /// <summary>
    /// How long the issuer is left alone after this error: configuration errors and the daily quota (45009) wait the
    /// configured back-off, the rest retry on the next tick. Where the error names when the service accepts the call
    /// again (<see cref="ApiErrorAdvice.RetryAfter"/>: a quota's reset, the end of an administrator's rejection) and that
    /// bars the whole run, the later of the two. The one back-off rule for every kind of account.
    /// </summary>
    public DateTimeOffset? RetryNotBefore(Account account, ApiCallException e, DateTimeOffset now)
    {
        var backoff = e.Kind == ApiErrorKind.Configuration || e.ErrorCode == 45009 ? now + options.Value.ConfigurationErrorBackoff : (DateTimeOffset?)null;
        if (!BarsTheRun(e))
            return backoff;
        // The deployment's NAT address only changes the advice's words, not when the service accepts the call again.
        var serviceAllows = ApiErrorAdvice.For(ApiErrorAdvice.ServiceOf(account, e.Call), account, e.Call, e.ErrorCode, e.ErrorMessage, now,
            deploymentIp: null).RetryAfter;
        return backoff is null || serviceAllows > backoff ? serviceAllows : backoff; // the later of the two
    }

    /// <summary>
    /// A rejected IP (89506/89507) is refused on every call until then, and no run gets past a token call's quota. A
    /// ticket's quota bars only that API: the token, which the relay serves to other backends, is still renewed on each
    /// retry after the fixed back-off.
    /// </summary>
    private static bool BarsTheRun(ApiCallException e) =>
        e.Kind == ApiErrorKind.Configuration || e.Call is ApiCall.AccessToken or ApiCall.ComponentToken or ApiCall.AuthorizerToken;

    // A live lease stops every other run, this instance's too: a second refresh-now or tick here while one runs would
    // spend the same calls twice.
    private static RefreshDecision Decide(CredentialRecord record, DateTimeOffset now) =>
        record.RetryNotBefore > now ? RefreshDecision.BackingOff
        : record.Lease?.IsLiveAt(now) == true ? RefreshDecision.LeasedByOther
        : RefreshDecision.Due;

    private bool IsDue(IssuedCredential? credential, DateTimeOffset now) =>
        credential is null
        || now - credential.FetchedAt >= options.Value.MaxAge
        || now >= credential.ExpiresAt - options.Value.ExpiryMargin;

    /// <summary>
    /// Asking earlier than the renewal window only returns the same token. A token that was already fetched inside the
    /// window (WeChat had no newer one to give) is not asked for again until it expires: a short remaining life never
    /// turns into a call every tick.
    /// </summary>
    private static bool IsStableTokenDue(IssuedCredential? token, DateTimeOffset now) =>
        token is null
        || now >= token.ExpiresAt
        || (now >= token.ExpiresAt - StableTokenRenewalWindow && token.FetchedAt < token.ExpiresAt - StableTokenRenewalWindow);
}
