using Azure;
using WxShare.Errors;
using WxShare.WeChat;

namespace WxShare.Storage;

/// <summary>One account's row in the credential table, with the ETag that a conditional write must match.</summary>
/// <param name="AppId">The row's key: the account's <see cref="Accounts.Account.StorageKey"/> (its AppID for an official account).</param>
/// <param name="CardTicket">The wx_card api_ticket, for accounts with CardTicket=true.</param>
/// <param name="JsapiTicket">The ticket that signs wx.config: an official account's jsapi_ticket, or a WeCom corp's.</param>
/// <param name="AgentTicket">A WeCom app's agent ticket (wx.agentConfig); null for official accounts.</param>
/// <param name="ForcedRefreshes">When an operator forced a new access_token, within the last day: the guard on WeChat's 20 a day, 30 s apart.</param>
public sealed record CredentialRecord(
    string AppId,
    IssuedCredential? AccessToken,
    IssuedCredential? JsapiTicket,
    RefreshFailure? LastFailure,
    DateTimeOffset? RetryNotBefore,
    RefreshLease? Lease,
    ETag ETag,
    IssuedCredential? CardTicket = null,
    IReadOnlyList<DateTimeOffset>? ForcedRefreshes = null,
    IssuedCredential? AgentTicket = null)
{
    public static CredentialRecord Empty(string appId) => new(appId, null, null, null, null, null, default);

    /// <summary>
    /// The jsapi_ticket that <see cref="JsapiTicket"/> replaced, kept while it may still be valid: a page signed just
    /// before a refresh carries it, and the diagnosis tells that case apart from a wrong signature.
    /// </summary>
    public IssuedCredential? PreviousJsapiTicket { get; init; }

    /// <summary>The agent ticket that <see cref="AgentTicket"/> replaced, kept the same way, for the same reason.</summary>
    public IssuedCredential? PreviousAgentTicket { get; init; }

    public bool Exists => ETag != default;

    /// <summary>The stored ticket a call issues: the row's jsapi (or WeCom corp), card or agent ticket.</summary>
    public IssuedCredential? Ticket(ApiCall ticket) => ticket switch
    {
        ApiCall.JsapiTicket => JsapiTicket,
        ApiCall.CardTicket => CardTicket,
        ApiCall.AgentTicket => AgentTicket,
        _ => throw new ArgumentOutOfRangeException(nameof(ticket), ticket, "Not a ticket."),
    };

    /// <summary>When the token relay last started a refresh because a caller's token was rejected: the limit every instance shares.</summary>
    public DateTimeOffset? RelayRefreshAt { get; init; }

    /// <summary>Which of <see cref="ForcedRefreshes"/> a relay caller's report caused: the relay's share of the day is smaller.</summary>
    public IReadOnlyList<DateTimeOffset>? RelayForcedRefreshes { get; init; }

    /// <summary>When an operator's refresh-now took the lease, within the last day: its cooldown.</summary>
    public IReadOnlyList<DateTimeOffset>? RefreshNowAttempts { get; init; }

    /// <summary>
    /// When WeChat's quota/get was last asked for this account (claimed before the call, so that across instances it
    /// is asked at most once an hour), and what it said, per API path.
    /// </summary>
    public DateTimeOffset? QuotaReadAt { get; init; }

    /// <inheritdoc cref="QuotaReadAt"/>
    public IReadOnlyList<QuotaReading>? QuotaReadings { get; init; }

    /// <summary>The Beijing month (<c>yyyy-MM</c>) of <see cref="ClearQuotaCount"/>: clear_quota calls started this month, at most 10.</summary>
    public string? ClearQuotaMonth { get; init; }

    /// <inheritdoc cref="ClearQuotaMonth"/>
    public int ClearQuotaCount { get; init; }
}

/// <summary>One API path's daily quota as WeChat's quota/get reported it.</summary>
public sealed record QuotaReading(string CgiPath, long DailyLimit, long Used, long Remain)
{
    /// <summary>The share of the daily limit left, 0 to 1 (1 when WeChat reports no limit).</summary>
    public double RemainingShare => DailyLimit > 0 ? Math.Clamp((double)Remain / DailyLimit, 0, 1) : 1;
}
