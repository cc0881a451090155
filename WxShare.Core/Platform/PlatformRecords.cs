using Azure;
using WxShare.WeChat;

namespace WxShare.Platform;

/// <summary>A component_verify_ticket as pushed: its value, CreateTime, and when this server stored it.</summary>
public sealed record VerifyTicket(string Value, DateTimeOffset CreatedAt, DateTimeOffset ReceivedAt)
{
    /// <summary>WeChat honours a ticket for 12 hours after its push.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    public TimeSpan AgeAt(DateTimeOffset now) => now - CreatedAt;

    public override string ToString() => $"VerifyTicket {{ CreatedAt = {CreatedAt:O}, ReceivedAt = {ReceivedAt:O} }}";
}

/// <summary>
/// The platform's own row: the latest verify ticket. One per platform. (The component token is the refresh engine's:
/// the row of <see cref="ThirdPartyPlatform.ComponentAccount"/>.)
/// </summary>
public sealed record ComponentRecord(string PlatformName, VerifyTicket? Ticket)
{
    public ETag ETag { get; init; }

    /// <summary>False until the first write: then it is added, not updated.</summary>
    public bool Exists => ETag != default;

    public static ComponentRecord Empty(string platformName) => new(platformName, null);
}

public enum AuthorizerStatus
{
    /// <summary>The account authorized the platform and its refresh token is stored.</summary>
    Authorized,
    /// <summary>
    /// The authorized event came but api_query_auth failed: the code (valid about an hour) awaits another exchange, which
    /// each refresh tick tries once a component token is there (<see cref="PendingExchanges"/>).
    /// </summary>
    PendingExchange,
    /// <summary>A <see cref="PendingExchange"/> whose code expired (or WeChat refused it, 61010) before an exchange succeeded: the account authorizes again.</summary>
    CodeExpired,
    /// <summary>The account withdrew its authorization (or WeChat answered 61003): not served, the record kept.</summary>
    Unauthorized,
}

/// <summary>One account that authorized a platform: what the platform needs to keep its credentials, in the platform's partition.</summary>
/// <param name="RefreshToken">authorizer_refresh_token: the only way to this account's access token; never lost, never logged.</param>
/// <param name="FuncInfo">The funcscope_category ids granted (permission sets).</param>
/// <param name="LastEventAt">CreateTime of the last event applied: an older or repeated push changes nothing.</param>
public sealed record AuthorizerRecord(
    string PlatformName, string AuthorizerAppId, AuthorizerStatus Status, string? RefreshToken, IReadOnlyList<int> FuncInfo,
    DateTimeOffset? AuthorizedAt, DateTimeOffset? UnauthorizedAt, DateTimeOffset? LastEventAt)
{
    /// <summary>The access token api_query_auth answered with, so the first refresh can wait for its expiry.</summary>
    public IssuedCredential? AccessToken { get; init; }
    /// <summary>An authorization code not yet exchanged (<see cref="AuthorizerStatus.PendingExchange"/>), and when it expires.</summary>
    public string? PendingAuthorizationCode { get; init; }
    public DateTimeOffset? PendingCodeExpiresAt { get; init; }

    /// <summary>How long an authorization code is taken to be valid when its push named no AuthorizationCodeExpiredTime.</summary>
    public static readonly TimeSpan AssumedCodeLifetime = TimeSpan.FromHours(1);

    /// <summary>Until when the pending code can be exchanged: the push's AuthorizationCodeExpiredTime, else an hour after the push.</summary>
    public DateTimeOffset? PendingCodeUsableUntil => PendingCodeExpiresAt ?? LastEventAt + AssumedCodeLifetime;

    /// <summary>
    /// A hash of the last authorization code exchanged: the push and the redirect carry the same code, and whichever comes
    /// second finds the account by it (the code itself is single-use and never stored once exchanged).
    /// </summary>
    public string? ExchangedCodeHash { get; init; }
    public ETag ETag { get; init; }
    public bool Exists => ETag != default;

    public static string HashOf(string authorizationCode) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(authorizationCode)));

    /// <summary>
    /// The row after api_query_auth granted the account (from the authorized push or the authorized redirect, whichever
    /// exchanged the code): served again, with the refresh token, func_info and first access token of the grant.
    /// </summary>
    /// <param name="at">The authorization's time: the push's CreateTime, or when the redirect exchanged the code.</param>
    /// <param name="authorizationCode">The code exchanged: only its hash is kept, for the other door to recognise it.</param>
    public AuthorizerRecord WithGrant(AuthorizationGrant grant, DateTimeOffset at, string authorizationCode) => this with
    {
        ExchangedCodeHash = HashOf(authorizationCode),
        Status = AuthorizerStatus.Authorized,
        RefreshToken = grant.RefreshToken,
        FuncInfo = grant.FuncInfo,
        AuthorizedAt = at,
        LastEventAt = at,
        AccessToken = grant.AccessToken,
        PendingAuthorizationCode = null,
        PendingCodeExpiresAt = null,
    };

    /// <summary>Why the account is not served yet and what comes next, for an authorization whose code is not exchanged; else null.</summary>
    /// <param name="authorizePath">Where a new authorization link comes from (GET /api/platform/&lt;name&gt;/authorize).</param>
    public string? ExchangeState(string authorizePath) => Status switch
    {
        AuthorizerStatus.PendingExchange =>
            $"The authorization code is not exchanged yet (api_query_auth failed); each refresh tick retries it until it expires at {PendingCodeUsableUntil:u}.",
        AuthorizerStatus.CodeExpired =>
            $"The authorization code expired at {PendingCodeUsableUntil:u} (or WeChat refused it) before it could be exchanged: authorize again from a new link ({authorizePath}).",
        _ => null,
    };

    public static AuthorizerRecord Empty(string platformName, string authorizerAppId) =>
        new(platformName, authorizerAppId, AuthorizerStatus.Unauthorized, null, [], null, null, null);

    // The refresh token, access token and code are secrets.
    public override string ToString() =>
        $"AuthorizerRecord {{ PlatformName = {PlatformName}, AuthorizerAppId = {AuthorizerAppId}, Status = {Status}, FuncInfo = [{string.Join(",", FuncInfo)}], "
        + $"AuthorizedAt = {AuthorizedAt:O}, UnauthorizedAt = {UnauthorizedAt:O}, LastEventAt = {LastEventAt:O} }}";
}
