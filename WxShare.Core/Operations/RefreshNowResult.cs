namespace WxShare.Operations;

/// <summary>
/// The body of POST /api/ops/refresh: what the refresh did (<c>refreshed</c>, <c>failed</c>, <c>backingOff</c>,
/// <c>leasedByOther</c>, <c>lostRace</c>), and the account's state afterwards. <c>error</c> is null when it refreshed.
/// </summary>
public sealed record RefreshNowResult(
    string? Error,
    string Message,
    string AppId,
    string Result,
    CredentialHealth? AccessToken,
    IReadOnlyDictionary<string, CredentialHealth?> Tickets,
    LastWeChatError? LastError,
    DateTimeOffset? RetryNotBefore);
