using Microsoft.Extensions.Logging;
using WxShare.Accounts;
using WxShare.Errors;
using WxShare.Storage;
using WxShare.WeChat;

namespace WxShare.WeChatDiagnostics;

/// <param name="ClearsThisMonth">clear_quota calls started for the account this Beijing month, this one included.</param>
/// <param name="Quota">quota/get right after clearing, when it could be read.</param>
public sealed record ClearQuotaOutcome(string Month, int ClearsThisMonth, QuotaOutcome? Quota, DiagnosticsFailure? Failure) : IDiagnosticsOutcome;

/// <summary>
/// POST /cgi-bin/clear_quota/v2: resets an official account's daily quotas. WeChat allows 10 a month; WxShare keeps
/// the count in the account's row and writes it (ETag-conditional) before WeChat is called, so that no crash, retry or
/// second instance spends a clearing unrecorded, and the 11th is refused without calling WeChat.
/// </summary>
public sealed partial class ClearQuotaService(
    CredentialStore store,
    WeChatApiClient weChat,
    WeChatQuotaService quota,
    TimeProvider time,
    ILogger<ClearQuotaService> logger)
{
    public const int MonthlyBudget = 10;

    public async Task<ClearQuotaOutcome> ClearAsync(Account account, string caller, CancellationToken cancellationToken)
    {
        var record = await store.GetAsync(account.StorageKey, cancellationToken);
        var now = time.GetUtcNow();
        var month = BeijingCalendar.Month(now);
        var spent = record.ClearQuotaMonth == month ? record.ClearQuotaCount : 0;
        if (spent >= MonthlyBudget)
            return Failed(month, spent, new(DiagnosticsFailureKind.MonthlyBudgetSpent,
                $"{account.AppId}'s quota was cleared {spent} times this month (Beijing time) and WeChat allows {MonthlyBudget}: WeChat was not called. "
                + "The daily quotas reset at midnight Beijing time; the next clearing is possible from the 1st of next month.",
                RetryAt: NextBeijingMonth(now)));
        if (WeChatQuotaService.IsLeased(record, now))
            return Failed(month, spent, new(DiagnosticsFailureKind.LeasedByOther,
                $"A refresh of {account.AppId} is in progress (its lease ends {record.Lease!.ExpiresAt:u}); nothing was called. Try again in a few seconds.",
                RetryAt: record.Lease.ExpiresAt));
        if (await store.TryRecordClearQuotaAsync(record, month, spent + 1, cancellationToken) is null)
            return Failed(month, spent, new(DiagnosticsFailureKind.LostRace,
                $"Another writer changed {account.AppId}'s row first; nothing was called. Try again."));

        LogClearing(account.AppId, caller, spent + 1, month);
        try
        {
            await weChat.ClearQuotaAsync(account.AppId, account.AppSecret, cancellationToken);
        }
        catch (ApiCallException e)
        {
            // The clearing stays counted: WeChat may have counted it too (an answer lost on the way back).
            LogClearFailed(account.AppId, e.ErrorCode, e.ErrorMessage);
            return Failed(month, spent + 1, DiagnosticsFailure.FromWeChat(e, account, now));
        }
        await LiftQuotaBackOffAsync(account, now, cancellationToken);
        // The counters start again from zero: read them now, so that health stops reporting the spent quota.
        return new ClearQuotaOutcome(month, spent + 1, await quota.ReadNowAsync(account, cancellationToken), null);
    }

    /// <summary>
    /// A refresh that waits for the daily quota's reset (45009, <see cref="Refresh.RefreshPolicy.RetryNotBefore"/>) may
    /// go at once: clearing is that reset, and the operator's next step is a refresh-now.
    /// </summary>
    private async Task LiftQuotaBackOffAsync(Account account, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var record = await store.GetAsync(account.StorageKey, cancellationToken);
        // Lost to another writer (a refresh running now): that writer's outcome stands.
        if (record.LastFailure?.ErrorCode == 45009 && record.RetryNotBefore > now)
            await store.TryLiftBackOffAsync(record, cancellationToken);
    }

    private static ClearQuotaOutcome Failed(string month, int clears, DiagnosticsFailure failure) => new(month, clears, null, failure);

    private static DateTimeOffset NextBeijingMonth(DateTimeOffset now)
    {
        var beijing = now.ToOffset(BeijingCalendar.Offset);
        return new DateTimeOffset(beijing.Year, beijing.Month, 1, 0, 0, 0, BeijingCalendar.Offset).AddMonths(1).ToUniversalTime();
    }

    [LoggerMessage(LogLevel.Warning, "Key {KeyName} clears WeChat's quota of {AppId}: clearing {Clearing} of 10 in {Month} (Beijing time)")]
    private partial void LogClearing(string appId, string keyName, int clearing, string month);

    [LoggerMessage(LogLevel.Error, "WeChat refused to clear the quota of {AppId}: errcode {ErrorCode} {ErrorMessage}")]
    private partial void LogClearFailed(string appId, int? errorCode, string errorMessage);
}
