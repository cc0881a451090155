using Azure;
using Azure.Data.Tables;
using WxShare.WeChat;

namespace WxShare.Platform;

/// <summary>
/// Platform rows share the credential table: partition <c>platform-&lt;name&gt;</c> (never an appid, which starts wx),
/// row <c>component</c> for the platform, <c>authorizer-&lt;appid&gt;</c> for each account it serves.
/// </summary>
internal static class PlatformKeys
{
    public const string ComponentRowKey = "component";
    public const string AuthorizerRowPrefix = "authorizer-";

    public static string Partition(string platformName) => $"platform-{platformName}";

    public static string AuthorizerRow(string authorizerAppId) => AuthorizerRowPrefix + authorizerAppId;
}

internal sealed class ComponentEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = PlatformKeys.ComponentRowKey;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string? VerifyTicket { get; set; }
    public DateTimeOffset? VerifyTicketCreatedAt { get; set; }
    public DateTimeOffset? VerifyTicketReceivedAt { get; set; }

    public static ComponentEntity From(ComponentRecord r) => new()
    {
        PartitionKey = PlatformKeys.Partition(r.PlatformName),
        ETag = r.ETag,
        VerifyTicket = r.Ticket?.Value,
        VerifyTicketCreatedAt = r.Ticket?.CreatedAt,
        VerifyTicketReceivedAt = r.Ticket?.ReceivedAt,
    };

    public ComponentRecord ToRecord(string platformName) => new(
        platformName,
        !string.IsNullOrEmpty(VerifyTicket) && VerifyTicketCreatedAt is { } created && VerifyTicketReceivedAt is { } received
            ? new VerifyTicket(VerifyTicket, created, received)
            : null) { ETag = ETag };
}

internal sealed class AuthorizerEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string? AuthorizerAppId { get; set; }
    public string? Status { get; set; }
    public string? RefreshToken { get; set; }
    /// <summary>funcscope_category ids, comma-separated.</summary>
    public string? FuncInfo { get; set; }
    public DateTimeOffset? AuthorizedAt { get; set; }
    public DateTimeOffset? UnauthorizedAt { get; set; }
    public DateTimeOffset? LastEventAt { get; set; }
    public string? AccessToken { get; set; }
    public DateTimeOffset? AccessTokenFetchedAt { get; set; }
    public DateTimeOffset? AccessTokenExpiresAt { get; set; }
    public string? PendingAuthorizationCode { get; set; }
    public DateTimeOffset? PendingCodeExpiresAt { get; set; }
    public string? ExchangedCodeHash { get; set; }

    public static AuthorizerEntity From(AuthorizerRecord r) => new()
    {
        PartitionKey = PlatformKeys.Partition(r.PlatformName),
        RowKey = PlatformKeys.AuthorizerRow(r.AuthorizerAppId),
        ETag = r.ETag,
        AuthorizerAppId = r.AuthorizerAppId,
        Status = r.Status.ToString(),
        RefreshToken = r.RefreshToken,
        FuncInfo = string.Join(",", r.FuncInfo),
        AuthorizedAt = r.AuthorizedAt,
        UnauthorizedAt = r.UnauthorizedAt,
        LastEventAt = r.LastEventAt,
        AccessToken = r.AccessToken?.Value,
        AccessTokenFetchedAt = r.AccessToken?.FetchedAt,
        AccessTokenExpiresAt = r.AccessToken?.ExpiresAt,
        PendingAuthorizationCode = r.PendingAuthorizationCode,
        PendingCodeExpiresAt = r.PendingCodeExpiresAt,
        ExchangedCodeHash = r.ExchangedCodeHash,
    };

    public AuthorizerRecord ToRecord(string platformName) => new(
        platformName,
        AuthorizerAppId ?? RowKey[PlatformKeys.AuthorizerRowPrefix.Length..],
        Enum.TryParse<AuthorizerStatus>(Status, out var status) ? status : AuthorizerStatus.Unauthorized,
        string.IsNullOrEmpty(RefreshToken) ? null : RefreshToken,
        (FuncInfo ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(v => int.TryParse(v, out var id) ? id : (int?)null).OfType<int>().ToArray(),
        AuthorizedAt, UnauthorizedAt, LastEventAt)
    {
        AccessToken = PlatformCredential.From(AccessToken, AccessTokenFetchedAt, AccessTokenExpiresAt),
        PendingAuthorizationCode = string.IsNullOrEmpty(PendingAuthorizationCode) ? null : PendingAuthorizationCode,
        PendingCodeExpiresAt = PendingCodeExpiresAt,
        ExchangedCodeHash = ExchangedCodeHash,
        ETag = ETag,
    };
}

internal static class PlatformCredential
{
    public static IssuedCredential? From(string? value, DateTimeOffset? fetchedAt, DateTimeOffset? expiresAt) =>
        !string.IsNullOrEmpty(value) && fetchedAt is { } f && expiresAt is { } x ? new IssuedCredential(value, f, x) : null;
}
