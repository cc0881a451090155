using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using WxShare.Accounts;
using WxShare.Errors;
using WxShare.Storage;
using WxShare.Telemetry;
using WxShare.WeChat;

namespace WxShare.WeChatDiagnostics;

/// <summary>What quota/get said for each call WxShare makes, or why there is no answer.</summary>
public sealed record QuotaOutcome(IReadOnlyList<QuotaReading>? Readings, DateTimeOffset ReadAt, DiagnosticsFailure? Failure) : IDiagnosticsOutcome;

/// <summary>
/// WeChat's own count of an official account's daily quota (POST /cgi-bin/openapi/quota/get) for the calls WxShare
/// makes: its token call (classic or stable, by TokenApi) and getticket. Read on an operator's request, and by the
/// refresh timer at most once an hour per account across all instances (the row records each read before WeChat is
/// asked); each reading is kept in the account's row, where health and the gauge find it.
/// </summary>
public sealed partial class WeChatQuotaService(
    CredentialStore store,
    WeChatApiClient weChat,
    WxShareMetrics metrics,
    TimeProvider time,
    ILogger<WeChatQuotaService> logger)
{
    public static readonly TimeSpan ReadInterval = TimeSpan.FromHours(1);
    public const string TokenPath = "/cgi-bin/token";
    public const string StableTokenPath = "/cgi-bin/stable_token";
    public const string TicketPath = "/cgi-bin/ticket/getticket";

    /// <summary>When this process last read (or saw another instance read) each account's quota: spares the row read on most ticks.</summary>
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastReadAt = new();

    /// <summary>The API paths whose quota WxShare spends for this account.</summary>
    public static IReadOnlyList<string> CgiPathsOf(Account account) => [account.UsesStableToken ? StableTokenPath : TokenPath, TicketPath];

    /// <summary>An operator's reading: asks WeChat now, whenever the last reading was, and keeps the answer in the row.</summary>
    public async Task<QuotaOutcome> ReadNowAsync(Account account, CancellationToken cancellationToken)
    {
        var record = await store.GetAsync(account.StorageKey, cancellationToken);
        var now = time.GetUtcNow();
        if (StoredToken(record, now) is not { } token)
            return new QuotaOutcome(null, now, DiagnosticsFailure.NoToken(account));
        IReadOnlyList<QuotaReading> readings;
        try
        {
            readings = await AskAsync(account, token, cancellationToken);
        }
        catch (ApiCallException e)
        {
            return new QuotaOutcome(null, now, DiagnosticsFailure.FromWeChat(e, account, now));
        }
        _lastReadAt[account.StorageKey] = now;
        // Kept unless a refresh holds the row: making it lose its write would cost more than a missed reading.
        if (!IsLeased(record, now) && await store.TryRecordQuotaReadAsync(record, now, readings, cancellationToken) is null)
            LogReadingNotStored(account.AppId);
        return new QuotaOutcome(readings, now, null);
    }

    /// <summary>
    /// The timer's reading, after the account's refresh: only when no instance has read it within the hour, and never
    /// failing the tick (a missed reading waits for the next).
    /// </summary>
    public async Task ReadIfDueAsync(Account account, CancellationToken cancellationToken)
    {
        if (account.Kind != AccountKind.Mp)
            return;
        var now = time.GetUtcNow();
        if (_lastReadAt.TryGetValue(account.StorageKey, out var last) && now - last < ReadInterval)
            return;
        try
        {
            var record = await store.GetAsync(account.StorageKey, cancellationToken);
            if (record.QuotaReadAt is { } readAt && now - readAt < ReadInterval)
            {
                _lastReadAt[account.StorageKey] = readAt;
                return;
            }
            if (StoredToken(record, now) is not { } token || IsLeased(record, now))
                return;
            // Claimed before WeChat is asked: of instances racing for the hour's reading, only the one whose write lands asks.
            if (await store.TryRecordQuotaReadAsync(record, now, null, cancellationToken) is not { } claimed)
                return;
            _lastReadAt[account.StorageKey] = now;
            var readings = await AskAsync(account, token, cancellationToken);
            if (await store.TryRecordQuotaReadAsync(claimed, now, readings, cancellationToken) is null)
                LogReadingNotStored(account.AppId);
            LogRead(account.AppId, readings.Select(r => r.RemainingShare).DefaultIfEmpty(1).Min());
        }
        catch (ApiCallException e)
        {
            LogReadFailed(account.AppId, e.Call, e.ErrorCode, e.ErrorMessage);
        }
        catch (StorageUnavailableException e)
        {
            LogStorageFailed(e, account.AppId);
        }
    }

    private async Task<IReadOnlyList<QuotaReading>> AskAsync(Account account, IssuedCredential token, CancellationToken cancellationToken)
    {
        var readings = new List<QuotaReading>();
        foreach (var path in CgiPathsOf(account))
        {
            var answer = await weChat.GetQuotaAsync(token.Value, path, cancellationToken);
            if (answer.Quota is { } quota)
                readings.Add(new QuotaReading(path, quota.DailyLimit, quota.Used, quota.Remain));
        }
        metrics.SawQuota(account.StorageKey, readings);
        return readings;
    }

    internal static IssuedCredential? StoredToken(CredentialRecord record, DateTimeOffset now) =>
        record.AccessToken is { } token && token.IsValidAt(now) ? token : null;

    internal static bool IsLeased(CredentialRecord record, DateTimeOffset now) => record.Lease?.IsLiveAt(now) == true;

    [LoggerMessage(LogLevel.Information, "Read WeChat's quota of {AppId}: the least left is {LeastShareLeft:P0} of a daily limit")]
    private partial void LogRead(string appId, double leastShareLeft);

    [LoggerMessage(LogLevel.Information, "WeChat's quota reading of {AppId} was not stored: another writer changed the row first")]
    private partial void LogReadingNotStored(string appId);

    [LoggerMessage(LogLevel.Warning, "WeChat's quota of {AppId} could not be read ({Call}, errcode {ErrorCode}: {ErrorMessage}); the next hourly reading tries again")]
    private partial void LogReadFailed(string appId, ApiCall call, int? errorCode, string errorMessage);

    [LoggerMessage(LogLevel.Warning, "WeChat's quota of {AppId} was not read: the credential table is unavailable")]
    private partial void LogStorageFailed(Exception exception, string appId);
}
