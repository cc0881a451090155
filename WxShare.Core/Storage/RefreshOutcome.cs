using WxShare.Errors;
using WxShare.WeChat;

namespace WxShare.Storage;

/// <summary>What one refresh obtained: any new credential, and the failure that stopped it, if one did.</summary>
public sealed record RefreshOutcome(
    IssuedCredential? AccessToken, IssuedCredential? JsapiTicket, RefreshFailure? Failure, DateTimeOffset? RetryNotBefore,
    IssuedCredential? CardTicket = null,
    IssuedCredential? AgentTicket = null)
{
    public bool Succeeded => Failure is null;

    /// <summary>The outcome with the new tickets placed where the row keeps them.</summary>
    public RefreshOutcome WithTickets(IReadOnlyDictionary<ApiCall, IssuedCredential> tickets) => this with
    {
        JsapiTicket = tickets.GetValueOrDefault(ApiCall.JsapiTicket) ?? JsapiTicket,
        CardTicket = tickets.GetValueOrDefault(ApiCall.CardTicket) ?? CardTicket,
        AgentTicket = tickets.GetValueOrDefault(ApiCall.AgentTicket) ?? AgentTicket,
    };
}
