using System.Text.Json.Serialization;
using WxShare.Errors;

namespace WxShare.Operations;

/// <summary>The body of GET /api/health: each account's and each platform's state and the worst of them. Times and errcodes only, never a credential.</summary>
public sealed record HealthReport(string Status, DateTimeOffset CheckedAt, IReadOnlyList<AccountHealth> Accounts)
{
    /// <summary>Each third-party platform (<c>Platforms__&lt;name&gt;__*</c>) the key reaches; absent when none is configured.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<PlatformHealth>? Platforms { get; init; }
}

/// <param name="AgentId">A WeCom app's AgentId (its AppId is the CorpId); absent for an official account.</param>
/// <param name="Kind"><see cref="OfficialAccountKind"/>, <see cref="WeComAppKind"/> or <see cref="AuthorizerKind"/>.</param>
/// <param name="Platform">The third-party platform an authorizer authorized (its credentials come through it); absent otherwise.</param>
public sealed record AccountHealth(
    string Name,
    string AppId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AgentId,
    string Kind,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Platform,
    string Status,
    string Reason,
    CredentialHealth? AccessToken,
    /// <summary>Per ticket type: <c>jsapi</c> (a WeCom corp's ticket too), <c>wx_card</c> where kept, a WeCom app's <c>agent_config</c>.</summary>
    IReadOnlyDictionary<string, CredentialHealth?> Tickets,
    LastRefresh? LastRefresh,
    LastApiError? LastError,
    DateTimeOffset? RetryNotBefore,
    bool Relay)
{
    /// <summary>An official account configured with its AppSecret.</summary>
    public const string OfficialAccountKind = "officialAccount";
    /// <summary>A WeCom self-built app.</summary>
    public const string WeComAppKind = "weComApp";
    /// <summary>An official account that authorized a third-party platform (no AppSecret here; the platform keeps its refresh token).</summary>
    public const string AuthorizerKind = "authorizer";

    /// <summary>WeChat's own count of today's quota (openapi/quota/get) per API path, when read today (Beijing time); else absent.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public QuotaHealth? Quota { get; init; }

    /// <summary>The reason as a stranger may read it: no errmsg, address, rid or times (<see cref="PublicAccountHealth"/>).</summary>
    [JsonIgnore]
    public string PublicReason { get; init; } = "";

    public PublicAccountHealth Public() => new(Name, AppId, AgentId, Status, PublicReason);
}

/// <summary>
/// GET /api/health without a key: the status and a reason per account, and the worst status. No WeChat errmsg (it
/// holds the server's address), rid, times or quota; the detailed view (<see cref="HealthReport"/>) needs a key with route ops.
/// </summary>
public sealed record PublicHealthReport(string Status, IReadOnlyList<PublicAccountHealth> Accounts)
{
    /// <summary>Each platform's name, status and reason (<see cref="PublicPlatformHealth"/>); absent when none is configured.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<PublicPlatformHealth>? Platforms { get; init; }
}

public sealed record PublicAccountHealth(
    string Name,
    string AppId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AgentId,
    string Status,
    string Reason);

public sealed record CredentialHealth(DateTimeOffset FetchedAt, DateTimeOffset ExpiresAt, long RemainingSeconds);

/// <param name="Result"><c>succeeded</c> or <c>failed</c>.</param>
public sealed record LastRefresh(DateTimeOffset At, string Result);

/// <summary>The last failed call of a refresh: the service's errcode and errmsg as they came, its rid, and WxShare's advice.</summary>
/// <param name="Message">The errmsg as WeChat/WeCom gave it (WxShare's words when there was no answer).</param>
/// <param name="Rid">The service's request id of the call (<c>rid:</c> in the errmsg), to look it up.</param>
/// <param name="Advice">What it means and what to do, in WxShare's words.</param>
public sealed record LastApiError(
    string Call,
    int? Errcode,
    string Message,
    DateTimeOffset At,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Rid,
    ApiErrorAdvice Advice);
