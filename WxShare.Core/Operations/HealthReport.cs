namespace WxShare.Operations;

/// <summary>The body of GET /api/health: each account's state and the worst of them. Times and errcodes only, never a credential.</summary>
public sealed record HealthReport(string Status, DateTimeOffset CheckedAt, IReadOnlyList<AccountHealth> Accounts);

public sealed record AccountHealth(
    string Name,
    string AppId,
    string Status,
    string Reason,
    CredentialHealth? AccessToken,
    /// <summary>Per ticket type (<c>jsapi</c>, and the card ticket's type where one is kept).</summary>
    IReadOnlyDictionary<string, CredentialHealth?> Tickets,
    LastRefresh? LastRefresh,
    LastWeChatError? LastError,
    DateTimeOffset? RetryNotBefore,
    bool Relay);

public sealed record CredentialHealth(DateTimeOffset FetchedAt, DateTimeOffset ExpiresAt, long RemainingSeconds);

/// <param name="Result"><c>succeeded</c> or <c>failed</c>.</param>
public sealed record LastRefresh(DateTimeOffset At, string Result);

public sealed record LastWeChatError(string Call, int? Errcode, string Message, DateTimeOffset At);
