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

    public bool Exists => ETag != default;

    /// <summary>When the token relay last started a refresh because a caller's token was rejected: the limit every instance shares.</summary>
    public DateTimeOffset? RelayRefreshAt { get; init; }
}
