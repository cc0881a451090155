using WxShare.Errors;

namespace WxShare.Storage;

/// <summary>The table row's shape. PartitionKey is the appId; each account has one row.</summary>
internal sealed class CredentialEntity() : TableRow(JsSdkRowKey)
{
    public const string JsSdkRowKey = "jssdk";

    public string? AccessToken { get; set; }
    public DateTimeOffset? AccessTokenFetchedAt { get; set; }
    public DateTimeOffset? AccessTokenExpiresAt { get; set; }
    public string? JsapiTicket { get; set; }
    public DateTimeOffset? JsapiTicketFetchedAt { get; set; }
    public DateTimeOffset? JsapiTicketExpiresAt { get; set; }
    public string? CardTicket { get; set; }
    public DateTimeOffset? CardTicketFetchedAt { get; set; }
    public DateTimeOffset? CardTicketExpiresAt { get; set; }
    /// <summary>Unix seconds of the forced token refreshes of the last day, comma-separated.</summary>
    public string? ForcedRefreshes { get; set; }
    // WeCom apps: the agent ticket (wx.agentConfig); their corp ticket (wx.config) is the jsapi ticket above.
    public string? AgentTicket { get; set; }
    public DateTimeOffset? AgentTicketFetchedAt { get; set; }
    public DateTimeOffset? AgentTicketExpiresAt { get; set; }
    public string? PreviousJsapiTicket { get; set; }
    public DateTimeOffset? PreviousJsapiTicketFetchedAt { get; set; }
    public DateTimeOffset? PreviousJsapiTicketExpiresAt { get; set; }
    public string? PreviousAgentTicket { get; set; }
    public DateTimeOffset? PreviousAgentTicketFetchedAt { get; set; }
    public DateTimeOffset? PreviousAgentTicketExpiresAt { get; set; }
    public string? LastErrorCall { get; set; }
    public int? LastErrorCode { get; set; }
    public string? LastErrorMessage { get; set; }
    public string? LastErrorRid { get; set; }
    public DateTimeOffset? LastErrorAt { get; set; }
    public DateTimeOffset? RetryNotBefore { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTimeOffset? LeaseExpiresAt { get; set; }
    public DateTimeOffset? RelayRefreshAt { get; set; }
    /// <summary>Unix seconds, comma-separated: which of <see cref="ForcedRefreshes"/> were a relay caller's.</summary>
    public string? RelayForcedRefreshes { get; set; }
    /// <summary>Unix seconds of the last day's refresh-now runs, comma-separated.</summary>
    public string? RefreshNowAttempts { get; set; }
    public DateTimeOffset? QuotaReadAt { get; set; }
    /// <summary>WeChat's quota/get per path: <c>path=daily_limit/used/remain</c>, semicolon-separated.</summary>
    public string? QuotaReadings { get; set; }
    public string? ClearQuotaMonth { get; set; }
    public int? ClearQuotaCount { get; set; }
}

internal static class CredentialEntityMapping
{
    public static CredentialRecord ToRecord(this CredentialEntity e) => new(
        e.PartitionKey,
        Credential(e.AccessToken, e.AccessTokenFetchedAt, e.AccessTokenExpiresAt),
        Credential(e.JsapiTicket, e.JsapiTicketFetchedAt, e.JsapiTicketExpiresAt),
        e.LastErrorAt is { } at && Enum.TryParse<ApiCall>(e.LastErrorCall, out var call)
            ? new RefreshFailure(call, e.LastErrorCode, e.LastErrorMessage ?? "", at, e.LastErrorRid)
            : null,
        e.RetryNotBefore,
        e.LeaseOwner is { } owner && e.LeaseExpiresAt is { } leaseEnd ? new RefreshLease(owner, leaseEnd) : null,
        e.ETag,
        Credential(e.CardTicket, e.CardTicketFetchedAt, e.CardTicketExpiresAt),
        ParseInstants(e.ForcedRefreshes),
        Credential(e.AgentTicket, e.AgentTicketFetchedAt, e.AgentTicketExpiresAt))
    {
        RelayRefreshAt = e.RelayRefreshAt,
        RelayForcedRefreshes = ParseInstants(e.RelayForcedRefreshes),
        RefreshNowAttempts = ParseInstants(e.RefreshNowAttempts),
        QuotaReadAt = e.QuotaReadAt,
        QuotaReadings = ParseQuotaReadings(e.QuotaReadings),
        ClearQuotaMonth = e.ClearQuotaMonth,
        ClearQuotaCount = e.ClearQuotaCount ?? 0,
        PreviousJsapiTicket = Credential(e.PreviousJsapiTicket, e.PreviousJsapiTicketFetchedAt, e.PreviousJsapiTicketExpiresAt),
        PreviousAgentTicket = Credential(e.PreviousAgentTicket, e.PreviousAgentTicketFetchedAt, e.PreviousAgentTicketExpiresAt),
    };

    public static CredentialEntity ToEntity(this CredentialRecord r)
    {
        var e = new CredentialEntity
        {
            PartitionKey = r.AppId,
            ETag = r.ETag,
            ForcedRefreshes = Instants(r.ForcedRefreshes),
            RelayForcedRefreshes = Instants(r.RelayForcedRefreshes),
            RefreshNowAttempts = Instants(r.RefreshNowAttempts),
            LastErrorCall = r.LastFailure?.Call.ToString(),
            LastErrorCode = r.LastFailure?.ErrorCode,
            LastErrorMessage = r.LastFailure?.Message,
            LastErrorRid = r.LastFailure?.Rid,
            LastErrorAt = r.LastFailure?.At,
            RetryNotBefore = r.RetryNotBefore,
            LeaseOwner = r.Lease?.Owner,
            LeaseExpiresAt = r.Lease?.ExpiresAt,
            RelayRefreshAt = r.RelayRefreshAt,
            QuotaReadAt = r.QuotaReadAt,
            QuotaReadings = r.QuotaReadings is { Count: > 0 } readings
                ? string.Join(";", readings.Select(q => $"{q.CgiPath}={q.DailyLimit}/{q.Used}/{q.Remain}"))
                : null,
            ClearQuotaMonth = r.ClearQuotaMonth,
            ClearQuotaCount = r.ClearQuotaMonth is null ? null : r.ClearQuotaCount,
        };
        (e.AccessToken, e.AccessTokenFetchedAt, e.AccessTokenExpiresAt) = Columns(r.AccessToken);
        (e.JsapiTicket, e.JsapiTicketFetchedAt, e.JsapiTicketExpiresAt) = Columns(r.JsapiTicket);
        (e.CardTicket, e.CardTicketFetchedAt, e.CardTicketExpiresAt) = Columns(r.CardTicket);
        (e.AgentTicket, e.AgentTicketFetchedAt, e.AgentTicketExpiresAt) = Columns(r.AgentTicket);
        (e.PreviousJsapiTicket, e.PreviousJsapiTicketFetchedAt, e.PreviousJsapiTicketExpiresAt) = Columns(r.PreviousJsapiTicket);
        (e.PreviousAgentTicket, e.PreviousAgentTicketFetchedAt, e.PreviousAgentTicketExpiresAt) = Columns(r.PreviousAgentTicket);
        return e;
    }

    private static string? Instants(IReadOnlyList<DateTimeOffset>? instants) =>
        instants is { Count: > 0 } ? string.Join(",", instants.Select(t => t.ToUnixTimeSeconds())) : null;

    private static IReadOnlyList<DateTimeOffset> ParseInstants(string? value) =>
        (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(v => long.TryParse(v, out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : (DateTimeOffset?)null)
            .OfType<DateTimeOffset>().ToArray();

    private static IReadOnlyList<QuotaReading>? ParseQuotaReadings(string? value) =>
        value is null ? null
            : value.Split(';', StringSplitOptions.RemoveEmptyEntries)
                .Select(entry => entry.Split('=') is [var path, var figures] && figures.Split('/') is [var limit, var used, var remain]
                                 && long.TryParse(limit, out var l) && long.TryParse(used, out var u) && long.TryParse(remain, out var r)
                    ? new QuotaReading(path, l, u, r)
                    : null)
                .OfType<QuotaReading>().ToArray();

    // A credential is stored as three columns, <name>, <name>FetchedAt and <name>ExpiresAt: these two are the one
    // place that maps them, each way, for every kind of credential a row holds.
    private static WeChat.IssuedCredential? Credential(string? value, DateTimeOffset? fetchedAt, DateTimeOffset? expiresAt) =>
        !string.IsNullOrEmpty(value) && fetchedAt is { } f && expiresAt is { } x ? new WeChat.IssuedCredential(value, f, x) : null;

    private static (string? Value, DateTimeOffset? FetchedAt, DateTimeOffset? ExpiresAt) Columns(WeChat.IssuedCredential? credential) =>
        (credential?.Value, credential?.FetchedAt, credential?.ExpiresAt);
}
