using Microsoft.Extensions.Options;
using WxShare.Configuration;
using WxShare.Storage;
using WxShare.WeChat;

namespace WxShare.Refresh;

/// <summary>
/// Decides on each tick whether to call WeChat: a credential is due when missing, older than the maximum age,
/// or within the safety margin of its own expires_in (which WeChat may shorten).
/// </summary>
public sealed class RefreshPolicy(IOptions<RefreshOptions> options)
{
    public RefreshPlan Plan(CredentialRecord record, string instanceId, DateTimeOffset now)
    {
        var tokenDue = IsDue(record.AccessToken, now);
        var ticketDue = IsDue(record.JsapiTicket, now);
        var decision = !(tokenDue || ticketDue) ? RefreshDecision.NotDue : Decide(record, instanceId, now);
        return new RefreshPlan(decision, tokenDue, ticketDue);
    }

    /// <summary>An operator's "refresh now": both credentials, whatever their age, under the same back-off and lease as a tick.</summary>
    public RefreshPlan PlanNow(CredentialRecord record, string instanceId, DateTimeOffset now) =>
        new(Decide(record, instanceId, now), AccessTokenDue: true, JsapiTicketDue: true);

    /// <summary>How long WeChat is left alone after this error: configuration errors and 45009 wait, the rest retry on the next tick.</summary>
    public DateTimeOffset? RetryNotBefore(WeChatApiException e, DateTimeOffset now) =>
        e.Kind == WeChatErrorKind.Configuration || e.ErrorCode == 45009 ? now + options.Value.ConfigurationErrorBackoff : null;

    private static RefreshDecision Decide(CredentialRecord record, string instanceId, DateTimeOffset now) =>
        record.RetryNotBefore > now ? RefreshDecision.BackingOff
        : record.Lease?.IsHeldByOtherAt(instanceId, now) == true ? RefreshDecision.LeasedByOther
        : RefreshDecision.Due;

    private bool IsDue(IssuedCredential? credential, DateTimeOffset now) =>
        credential is null
        || now - credential.FetchedAt >= options.Value.MaxAge
        || now >= credential.ExpiresAt - options.Value.ExpiryMargin;
}
