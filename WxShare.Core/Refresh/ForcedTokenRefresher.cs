using WxShare.Errors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WxShare.Accounts;
using WxShare.Configuration;
using WxShare.Storage;
using WxShare.WeChat;

namespace WxShare.Refresh;

/// <summary>
/// A new access_token on an operator's explicit request (a leaked token): stable_token with force_refresh:true, which
/// kills the old token at once. Never called by the scheduled refresh. WeChat allows 20 a day, 30 s apart; the guard
/// reads the history stored in the account's row and records each attempt there before calling WeChat, under the
/// refresh lease, so neither a restart nor a second instance can exceed the limits.
/// </summary>
public sealed partial class ForcedTokenRefresher(
    CredentialStore store,
    WeChatApiClient weChat,
    RefreshInstance instance,
    IOptions<RefreshOptions> refreshOptions,
    TimeProvider time,
    ILogger<ForcedTokenRefresher> logger,
    ApiErrorAdvisor advisor)
{
    public const int MaxPerDay = 20;
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromSeconds(30);

    public async Task<ForcedTokenRefresh> ForceRefreshAsync(Account account, CancellationToken cancellationToken)
    {
        await store.EnsureTableAsync(cancellationToken);
        var record = await store.GetAsync(account.StorageKey, cancellationToken);
        var now = time.GetUtcNow();

        if (Refusal(account, record, now) is { } refused)
            return refused;
        if (record.Lease?.IsHeldByOtherAt(instance.Id, now) == true)
            return Busy();

        var leased = await store.TryAcquireLeaseForForcedRefreshAsync(record, new RefreshLease(instance.Id, now + refreshOptions.Value.LeaseDuration), now, cancellationToken);
        if (leased is null)
            return Busy();

        var outcome = await FetchForcedAsync(account, leased, cancellationToken);
        if (!await store.TryCompleteRefreshAsync(leased, outcome, cancellationToken))
            return Busy();
        if (outcome.Failure is { } failure)
        {
            LogFailed(account.Name, failure.ErrorCode, failure.Message);
            return new ForcedTokenRefresh(ForcedTokenRefreshStatus.Failed, null, null,
                $"WeChat refused the forced refresh: errcode {failure.ErrorCode?.ToString() ?? "none"} {failure.Message}. "
                + advisor.Advise(account, failure).Text + " The stored token is unchanged.");
        }
        LogForced(account.Name, outcome.AccessToken!.ExpiresAt);
        return new ForcedTokenRefresh(ForcedTokenRefreshStatus.Refreshed, outcome.AccessToken.ExpiresAt, null,
            "A new access_token is stored; the previous one no longer works.");
    }

    /// <summary>The guard alone: a Refused answer naming when the next forced refresh is allowed, or null if one is allowed now.</summary>
    public ForcedTokenRefresh? Refusal(Account account, CredentialRecord record, DateTimeOffset now)
    {
        if (NotBefore(record.ForcedRefreshes ?? [], now) is not { } notBefore)
            return null;
        LogRefused(account.Name, notBefore);
        return new ForcedTokenRefresh(ForcedTokenRefreshStatus.Refused, null, notBefore,
            $"WeChat allows {MaxPerDay} forced token refreshes a day, {MinimumInterval.TotalSeconds:0} s apart; the next is allowed at {notBefore:u}.");
    }

    /// <summary>
    /// The WeChat call alone, on a row already leased with this attempt recorded in its history (see
    /// <see cref="CredentialStore.TryAcquireLeaseForForcedRefreshAsync"/>): a failure counts against the day as well.
    /// </summary>
    public async Task<RefreshOutcome> FetchForcedAsync(Account account, CredentialRecord leased, CancellationToken cancellationToken)
    {
        try
        {
            var token = await weChat.GetAccessTokenAsync(account, forceRefresh: true, cancellationToken);
            return new RefreshOutcome(token, null, null, null);
        }
        catch (ApiCallException e)
        {
            return new RefreshOutcome(null, null, RefreshFailure.From(e, time.GetUtcNow()), leased.RetryNotBefore);
        }
    }

    /// <summary>When the next forced refresh is allowed, or null if now.</summary>
    public static DateTimeOffset? NotBefore(IReadOnlyList<DateTimeOffset> history, DateTimeOffset now)
    {
        // A rolling day is stricter than WeChat's calendar day, so it holds whichever day WeChat counts by.
        var lastDay = history.Where(t => now - t < TimeSpan.FromDays(1)).Order().ToArray();
        DateTimeOffset? notBefore = null;
        if (lastDay.Length >= MaxPerDay)
            notBefore = lastDay[^MaxPerDay] + TimeSpan.FromDays(1);
        if (lastDay.Length > 0 && now - lastDay[^1] < MinimumInterval)
            notBefore = Max(notBefore, lastDay[^1] + MinimumInterval);
        return notBefore;
    }

    private static DateTimeOffset Max(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x > b ? x : b;

    private static ForcedTokenRefresh Busy() =>
        new(ForcedTokenRefreshStatus.Busy, null, null, "Another refresh of this account is in progress; try again in a minute.");

    [LoggerMessage(LogLevel.Warning, "Forced a new access_token for account {Account} on an operator's request; it expires at {ExpiresAt}")]
    private partial void LogForced(string account, DateTimeOffset expiresAt);

    [LoggerMessage(LogLevel.Warning, "Refused a forced token refresh for account {Account}: WeChat's limit allows the next at {NotBefore}")]
    private partial void LogRefused(string account, DateTimeOffset notBefore);

    [LoggerMessage(LogLevel.Error, "The forced token refresh for account {Account} failed: errcode {ErrorCode} {ErrorMessage}")]
    private partial void LogFailed(string account, int? errorCode, string errorMessage);
}

public enum ForcedTokenRefreshStatus
{
    Refreshed,
    /// <summary>WeChat's limits (20 a day, 30 s apart) would be exceeded; nothing was called.</summary>
    Refused,
    /// <summary>Another refresh holds the account's lease, or wrote first; nothing was called.</summary>
    Busy,
    /// <summary>WeChat refused or failed; the attempt still counts against the day.</summary>
    Failed,
}

/// <param name="TokenExpiresAt">The new token's expiry, when one was stored.</param>
/// <param name="NotBefore">When refused: when the next forced refresh is allowed.</param>
/// <param name="Message">For the operator; never holds a token.</param>
public sealed record ForcedTokenRefresh(ForcedTokenRefreshStatus Status, DateTimeOffset? TokenExpiresAt, DateTimeOffset? NotBefore, string Message);
