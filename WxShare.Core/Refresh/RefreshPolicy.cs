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
    /// <param name="withAgentTicket">A WeCom app's row also holds an agent ticket, due by the same rules.</param>
    public RefreshPlan Plan(CredentialRecord record, string instanceId, DateTimeOffset now, bool withAgentTicket = false)
    {
        var tokenDue = IsDue(record.AccessToken, now);
        var ticketDue = IsDue(record.JsapiTicket, now);
        var agentTicketDue = withAgentTicket && IsDue(record.AgentTicket, now);
        var decision = !(tokenDue || ticketDue || agentTicketDue) ? RefreshDecision.NotDue
            : record.RetryNotBefore > now ? RefreshDecision.BackingOff
            : record.Lease?.IsHeldByOtherAt(instanceId, now) == true ? RefreshDecision.LeasedByOther
            : RefreshDecision.Due;
        return new RefreshPlan(decision, tokenDue, ticketDue, agentTicketDue);
    }

    private bool IsDue(IssuedCredential? credential, DateTimeOffset now) =>
        credential is null
        || now - credential.FetchedAt >= options.Value.MaxAge
        || now >= credential.ExpiresAt - options.Value.ExpiryMargin;
}
