using WxShare.WeChat;

namespace WxShare.Storage;

/// <summary>What one refresh obtained: any new credential, and the failure that stopped it, if one did.</summary>
public sealed record RefreshOutcome(
    IssuedCredential? AccessToken, IssuedCredential? JsapiTicket, RefreshFailure? Failure, DateTimeOffset? RetryNotBefore,
    IssuedCredential? CardTicket = null,
    IssuedCredential? AgentTicket = null)
{
    public bool Succeeded => Failure is null;
}
