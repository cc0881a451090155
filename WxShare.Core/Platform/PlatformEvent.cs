namespace WxShare.Platform;

/// <summary>One decrypted push to the event URL (授权事件接收URL), by its InfoType.</summary>
/// <param name="ComponentAppId">The AppId element: the platform the push is for.</param>
/// <param name="CreatedAt">CreateTime: when WeChat made the push; later pushes win over earlier ones.</param>
public abstract record PlatformEvent(string ComponentAppId, DateTimeOffset CreatedAt);

/// <summary><c>component_verify_ticket</c>, pushed every 10 minutes, valid 12 hours; the component token is fetched with it.</summary>
public sealed record ComponentVerifyTicketEvent(string ComponentAppId, DateTimeOffset CreatedAt, string Ticket)
    : PlatformEvent(ComponentAppId, CreatedAt)
{
    public override string ToString() => $"ComponentVerifyTicketEvent {{ ComponentAppId = {ComponentAppId}, CreatedAt = {CreatedAt:O} }}";
}

/// <summary><c>authorized</c> or (<paramref name="IsUpdate"/>) <c>updateauthorized</c>: an account granted the platform (new) rights; its code is exchanged at once.</summary>
/// <param name="AuthorizationCodeExpiresAt">AuthorizationCodeExpiredTime, read as epoch seconds; null when absent.</param>
public sealed record AuthorizedEvent(
    string ComponentAppId, DateTimeOffset CreatedAt, string AuthorizerAppId, string AuthorizationCode,
    DateTimeOffset? AuthorizationCodeExpiresAt, string? PreAuthCode, bool IsUpdate)
    : PlatformEvent(ComponentAppId, CreatedAt)
{
    public override string ToString() =>
        $"AuthorizedEvent {{ ComponentAppId = {ComponentAppId}, CreatedAt = {CreatedAt:O}, AuthorizerAppId = {AuthorizerAppId}, IsUpdate = {IsUpdate} }}";
}

/// <summary><c>unauthorized</c>: the account withdrew the platform's rights; stop serving it, keep its record.</summary>
public sealed record UnauthorizedEvent(string ComponentAppId, DateTimeOffset CreatedAt, string AuthorizerAppId)
    : PlatformEvent(ComponentAppId, CreatedAt);

/// <summary>Any other InfoType (e.g. mini program registration notices): acknowledged, nothing stored.</summary>
public sealed record OtherPlatformEvent(string ComponentAppId, DateTimeOffset CreatedAt, string InfoType)
    : PlatformEvent(ComponentAppId, CreatedAt);
