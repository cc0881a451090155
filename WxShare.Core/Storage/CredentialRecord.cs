using Azure;
using WxShare.WeChat;

namespace WxShare.Storage;

/// <summary>One account's row in the credential table, with the ETag that a conditional write must match.</summary>
/// <param name="JsapiTicket">The ticket that signs wx.config: an official account's jsapi_ticket, or a WeCom corp's.</param>
/// <param name="AgentTicket">A WeCom app's agent ticket (wx.agentConfig); null for official accounts.</param>
public sealed record CredentialRecord(
    string AppId,
    IssuedCredential? AccessToken,
    IssuedCredential? JsapiTicket,
    RefreshFailure? LastFailure,
    DateTimeOffset? RetryNotBefore,
    RefreshLease? Lease,
    ETag ETag,
    IssuedCredential? AgentTicket = null)
{
    public static CredentialRecord Empty(string appId) => new(appId, null, null, null, null, null, default);

    public bool Exists => ETag != default;
}
