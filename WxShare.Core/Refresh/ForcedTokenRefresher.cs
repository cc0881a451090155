using Microsoft.Extensions.Logging;
using WxShare.Accounts;
using WxShare.Errors;
using WxShare.Storage;

namespace WxShare.Refresh;

/// <summary>
/// A new access_token on an operator's explicit request (a leaked token): stable_token with force_refresh:true, which
/// kills the old token at once. Never called by the scheduled refresh. WeChat allows 20 a day, 30 s apart; the guard
/// reads the history stored in the account's row, and the engine records each attempt there with the lease, before
/// calling WeChat, so neither a restart nor a second instance can exceed the limits. The refresh itself is the
/// engine's (<see cref="CredentialRefresher"/>) with a forced-token plan.
/// </summary>
public sealed partial class ForcedTokenRefresher(
    CredentialStore store,
    CredentialRefresher engine,
    ILogger<ForcedTokenRefresher> logger,
    ApiErrorAdvisor advisor)
{
    public const int MaxPerDay = 20;
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromSeconds(30);

    public async Task<ForcedTokenRefresh> ForceRefreshAsync(Account account, CancellationToken cancellationToken)
    {
        await store.EnsureTableAsync(cancellationToken);
        ForcedTokenRefresh? refused = null;
        var run = await engine.RunAsync(account, (record, owner, now) =>
                (refused = Refusal(account, record, now)) is null
                    ? RefreshPolicy.PlanToken(record, owner, now, force: true, forRelayCaller: false)
                    : RefreshPlan.Refused,
            cancellationToken);

        if (refused is not null)
            return refused;
        if (run.Outcome is not { } outcome || run.Result == RefreshResult.LostRace)
            return Busy();
        if (outcome.Failure is { } failure)
            return new ForcedTokenRefresh(ForcedTokenRefreshStatus.Failed, null, null,
                $"WeChat refused the forced refresh: errcode {failure.ErrorCode?.ToString() ?? "none"} {failure.Message}. "
                + advisor.Advise(account, failure).Text + " The stored token is unchanged.");
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
