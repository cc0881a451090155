using System.Text.Json.Serialization;

namespace WxShare.Operations;

/// <summary>
/// The body of POST /api/ops/refresh: what the refresh did (<c>refreshed</c>, <c>failed</c>, <c>backingOff</c>,
/// <c>leasedByOther</c>, <c>lostRace</c>, <c>refused</c> by the cooldown), and the account's state afterwards (a WeCom app's agent ticket among its tickets). <c>error</c> is null when it refreshed.
/// </summary>
/// <param name="AgentId">A WeCom app's AgentId; absent for an official account.</param>
public sealed record RefreshNowResult(
    string? Error,
    string Message,
    string AppId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AgentId,
    string Result,
    CredentialHealth? AccessToken,
    IReadOnlyDictionary<string, CredentialHealth?> Tickets,
    LastApiError? LastError,
    DateTimeOffset? RetryNotBefore);
