using Microsoft.Extensions.Logging;
using WxShare.Accounts;
using WxShare.Errors;
using WxShare.Storage;

namespace WxShare.Refresh;

/// <summary>
/// A new access_token on an operator's explicit request (a leaked token): stable_token with force_refresh:true, which
/// kills the old token at once. Never called by the scheduled refresh. WeChat allows 20 a day, 30 s apart: one budget
/// per account (<see cref="Budget"/>) that relay callers share (<see cref="RelayShare"/>, 5 kept for operators). The guard
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

    /// <summary>Of WeChat's 20 a day, these are never spent on a relay caller's report: an operator can still force a token.</summary>
    public const int KeptForOperators = 5;

    /// <summary>WeChat's limit on forced refreshes, for every reason together: one budget per account, whoever spends it.</summary>
    public static readonly DailyAllowance Budget = new(MaxPerDay, MinimumInterval);

    /// <summary>The relay's share of <see cref="Budget"/>: a key in a loop cannot leave operators without a forced refresh.</summary>
    public static readonly DailyAllowance RelayShare = new(MaxPerDay - KeptForOperators, MinimumInterval);

    public async Task<ForcedTokenRefresh> ForceRefreshAsync(Account account, CancellationToken cancellationToken)
    {
        await store.EnsureTableAsync(cancellationToken);
        ForcedTokenRefresh? refused = null;
        var run = await engine.RunAsync(account, (record, now) =>
                (refused = Refusal(account, record, now)) is null
                    ? RefreshPolicy.PlanToken(record, now, force: true, forRelayCaller: false)
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

    /// <summary>The operator's guard: a Refused answer naming when the next forced refresh is allowed, or null if one is allowed now.</summary>
    public ForcedTokenRefresh? Refusal(Account account, CredentialRecord record, DateTimeOffset now) =>
        Budget.NotBefore(record.ForcedRefreshes, now) is { } notBefore
            ? Refused(account, notBefore,
                $"WeChat allows {MaxPerDay} forced token refreshes a day, {MinimumInterval.TotalSeconds:0} s apart; the next is allowed at {notBefore:u}.")
            : null;

    /// <summary>
    /// A relay caller's guard: the day's budget and the relay's share of it (all but <see cref="KeptForOperators"/>), or
    /// null if a forced refresh is allowed now.
    /// </summary>
    public ForcedTokenRefresh? RelayRefusal(Account account, CredentialRecord record, DateTimeOffset now)
    {
        if (Refusal(account, record, now) is { } refused)
            return refused;
        return RelayShare.NotBefore(record.RelayForcedRefreshes, now) is { } notBefore
            ? Refused(account, notBefore,
                $"Relay callers may cause {RelayShare.PerDay} of WeChat's {MaxPerDay} forced token refreshes a day (the other {KeptForOperators} are kept "
                + $"for operators); the next is allowed at {notBefore:u}.")
            : null;
    }

    private ForcedTokenRefresh Refused(Account account, DateTimeOffset notBefore, string message)
    {
        LogRefused(account.Name, notBefore);
        return new ForcedTokenRefresh(ForcedTokenRefreshStatus.Refused, null, notBefore, message);
    }

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
