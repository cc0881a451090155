using Azure;
using WxShare.WeChat;

namespace WxShare.Storage;

/// <summary>One account's row in the credential table, with the ETag that a conditional write must match.</summary>
public sealed record CredentialRecord(
    string AppId,
    IssuedCredential? AccessToken,
    IssuedCredential? JsapiTicket,
    RefreshFailure? LastFailure,
    DateTimeOffset? RetryNotBefore,
    RefreshLease? Lease,
    ETag ETag)
{
    public static CredentialRecord Empty(string appId) => new(appId, null, null, null, null, null, default);

    /// <summary>
    /// The jsapi_ticket that <see cref="JsapiTicket"/> replaced, kept while it may still be valid: a page signed just
    /// before a refresh carries it, and the diagnosis tells that case apart from a wrong signature.
    /// </summary>
    public IssuedCredential? PreviousJsapiTicket { get; init; }

    public bool Exists => ETag != default;
}
