using WxShare.Errors;
using Microsoft.Extensions.Options;
using WxShare.Accounts;
using WxShare.Configuration;
using WxShare.Storage;
using WxShare.WeChat;

namespace WxShare.Refresh;

/// <summary>
/// Decides on each tick whether to call WeChat. A ticket, and a classic token, is due when missing, older than the
/// maximum age, or within the safety margin of its own expires_in (which WeChat may shorten). A stable token is due
/// only when WeChat would hand out a new one: in its last 300 s (or once expired).
/// </summary>
public sealed class RefreshPolicy(IOptions<RefreshOptions> options)
{
    /// <summary>WeChat issues a new stable token only in the last 300 s of the current one; before that it returns the same.</summary>
    public static readonly TimeSpan StableTokenRenewalWindow = TimeSpan.FromSeconds(300);

    /// <remarks>A WeCom app's row also holds an agent ticket, due by the same rules; its gettoken is classic.</remarks>
    public RefreshPlan Plan(CredentialRecord record, Account account, string instanceId, DateTimeOffset now)
    {
        var tokenDue = account.UsesStableToken ? IsStableTokenDue(record.AccessToken, now) : IsDue(record.AccessToken, now);
        var ticketDue = IsDue(record.JsapiTicket, now);
        var cardTicketDue = account.CardTicket && IsDue(record.CardTicket, now);
        var agentTicketDue = account.Kind == AccountKind.WeCom && IsDue(record.AgentTicket, now);
        var decision = !(tokenDue || ticketDue || cardTicketDue || agentTicketDue) ? RefreshDecision.NotDue : Decide(record, instanceId, now);
        return new RefreshPlan(decision, tokenDue, ticketDue, CardTicketDue: cardTicketDue, AgentTicketDue: agentTicketDue);
    }

    /// <summary>
    /// An operator's "refresh now": every ticket the account keeps, whatever its age, under the same back-off and lease
    /// as a tick. A classic token is fetched anew; a stable token only when it is due, since asking earlier returns the
    /// same token (a new one before then is the forced, rationed path of <see cref="ForcedTokenRefresher"/>). A WeCom
    /// app's gettoken is fetched anew, as a classic token is.
    /// </summary>
    public RefreshPlan PlanNow(CredentialRecord record, Account account, string instanceId, DateTimeOffset now) =>
        new(Decide(record, instanceId, now),
            AccessTokenDue: !account.UsesStableToken || IsStableTokenDue(record.AccessToken, now),
            JsapiTicketDue: true,
            CardTicketDue: account.CardTicket,
            AgentTicketDue: account.Kind == AccountKind.WeCom);

    /// <summary>How long WeChat is left alone after this error: configuration errors and 45009 wait, the rest retry on the next tick.</summary>
    public DateTimeOffset? RetryNotBefore(ApiCallException e, DateTimeOffset now) =>
        e.Kind == ApiErrorKind.Configuration || e.ErrorCode == 45009 ? now + options.Value.ConfigurationErrorBackoff : null;

    private static RefreshDecision Decide(CredentialRecord record, string instanceId, DateTimeOffset now) =>
        record.RetryNotBefore > now ? RefreshDecision.BackingOff
        : record.Lease?.IsHeldByOtherAt(instanceId, now) == true ? RefreshDecision.LeasedByOther
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
