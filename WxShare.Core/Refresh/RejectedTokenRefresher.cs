using WxShare.Errors;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WxShare.Accounts;
using WxShare.Configuration;
using WxShare.Storage;
using WxShare.WeChat;
using WxShare.WeCom;

namespace WxShare.Refresh;

/// <summary>
/// Refreshes one account's access_token because a caller of the token relay had it rejected by WeChat or WeCom
/// (40001 and co.). Rotate-if-current: only while the rejected token is still the stored one, so ten callers holding the same
/// rejected token cause one refresh and the rest get the new token. At most one such refresh per account per minute,
/// never for a token under a minute old; the limit lives in the account's row (<see cref="CredentialRecord.RelayRefreshAt"/>,
/// written with the lease in one ETag-conditional write), so it holds across instances. The timer's back-off and
/// lease apply as they do to a tick. How the replacement is fetched is the one thing that differs by account
/// (<see cref="FetchReplacementAsync"/>): a stable-token account's is a forced refresh, under <see cref="ForcedTokenRefresher"/>'s
/// guard (20 a day, 30 s apart), recorded in the same write as the lease; a WeCom app's is a plain gettoken.
/// </summary>
public sealed partial class RejectedTokenRefresher(
    CredentialStore store,
    WeChatApiClient weChat,
    WeComApiClient weCom,
    ForcedTokenRefresher forcedRefresher,
    RefreshPolicy policy,
    RefreshInstance instance,
    IOptions<RefreshOptions> refreshOptions,
    TimeProvider time,
    ILogger<RejectedTokenRefresher> logger,
    ApiErrorAdvisor advisor)
{
    /// <summary>One relay refresh per account per this interval; also the age under which a token is never replaced.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    // Writers that lose the ETag race re-read: after a few rounds the row has settled into an answer.
    private const int Attempts = 3;

    public async Task<RejectedTokenRefresh> RefreshAsync(Account account, string rejectedToken, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var record = await store.GetAsync(account.StorageKey, cancellationToken);
            var now = time.GetUtcNow();
            if (Refusal(record, rejectedToken, now) is { } refusal)
                return refusal;
            var forced = account.UsesStableToken;
            if (forced && forcedRefresher.Refusal(account, record, now) is { } guard)
                return new RejectedTokenRefresh(RejectedTokenOutcome.ForcedRefreshLimited, record.AccessToken, guard.NotBefore, Reason: guard.Message);

            var leased = await store.TryLeaseForRelayRefreshAsync(record, new RefreshLease(instance.Id, now + refreshOptions.Value.LeaseDuration), now, forced,
                cancellationToken);
            if (leased is null)
                continue;

            LogRefreshing(account.Display, record.AccessToken!.FetchedAt);
            var outcome = await FetchReplacementAsync(account, leased, cancellationToken);
            if (!await store.TryCompleteRefreshAsync(leased, outcome, cancellationToken))
                return new RejectedTokenRefresh(RejectedTokenOutcome.InProgress, RetryAt: now + TimeSpan.FromSeconds(1));
            if (outcome.Failure is { } failure)
            {
                LogFailed(account.Display, failure.ErrorCode, failure.Message, advisor.Advise(account, failure).Text);
                return new RejectedTokenRefresh(RejectedTokenOutcome.Failed, record.AccessToken, outcome.RetryNotBefore, failure);
            }
            LogRefreshed(account.Display, outcome.AccessToken!.ExpiresAt);
            return new RejectedTokenRefresh(RejectedTokenOutcome.Refreshed, outcome.AccessToken);
        }
        return new RejectedTokenRefresh(RejectedTokenOutcome.InProgress, RetryAt: time.GetUtcNow() + TimeSpan.FromSeconds(1));
    }

    private RejectedTokenRefresh? Refusal(CredentialRecord record, string rejectedToken, DateTimeOffset now)
    {
        if (record.AccessToken is not { } stored)
            return new RejectedTokenRefresh(RejectedTokenOutcome.NoToken);
        if (!SameToken(stored.Value, rejectedToken))
            return new RejectedTokenRefresh(RejectedTokenOutcome.AlreadyReplaced, stored);
        if (now - stored.FetchedAt < Interval)
            return new RejectedTokenRefresh(RejectedTokenOutcome.TooNew, stored, stored.FetchedAt + Interval);
        // Any live lease, this instance's too: a concurrent caller here is as much "in progress" as one elsewhere.
        if (record.Lease is { } lease && now < lease.ExpiresAt)
            return new RejectedTokenRefresh(RejectedTokenOutcome.InProgress, stored, lease.ExpiresAt);
        if (record.RelayRefreshAt is { } last && now - last < Interval)
            return new RejectedTokenRefresh(RejectedTokenOutcome.RateLimited, stored, last + Interval);
        if (record.RetryNotBefore > now)
            return new RejectedTokenRefresh(RejectedTokenOutcome.BackingOff, stored, record.RetryNotBefore, record.LastFailure);
        return null;
    }

    /// <summary>
    /// A classic token is replaced by the classic call. A stable token is not (an unforced stable_token call returns the
    /// same, rejected token): it needs force_refresh, the operator's rationed path, whose guard was checked above. A
    /// WeCom app's by gettoken: WeCom has no stable token and no force_refresh, and whether a new token ends the old one
    /// is undocumented either way, so the rotate-if-current rule and the minute's limit are what keep callers in step.
    /// </summary>
    private async Task<RefreshOutcome> FetchReplacementAsync(Account account, CredentialRecord leased, CancellationToken cancellationToken)
    {
        if (account.UsesStableToken)
            return await forcedRefresher.FetchForcedAsync(account, leased, cancellationToken);
        try
        {
            var token = account.Kind == AccountKind.WeCom
                ? await weCom.GetAccessTokenAsync(account.AppId, account.AppSecret, cancellationToken)
                : await weChat.GetAccessTokenAsync(account, forceRefresh: false, cancellationToken);
            return new RefreshOutcome(token, null, null, null);
        }
        catch (ApiCallException e)
        {
            var now = time.GetUtcNow();
            return new RefreshOutcome(null, null, RefreshFailure.From(e, now), policy.RetryNotBefore(e, now));
        }
    }

    // The caller's token is a secret too: compare without leaking how much of it matched.
    private static bool SameToken(string stored, string given) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(stored)), SHA256.HashData(Encoding.UTF8.GetBytes(given)));

    [LoggerMessage(LogLevel.Warning, "A relay caller's access_token for {Account} was rejected and is still the stored one (fetched {FetchedAt}); replacing it")]
    private partial void LogRefreshing(string account, DateTimeOffset fetchedAt);

    [LoggerMessage(LogLevel.Information, "Replaced the rejected access_token of {Account}; the new one expires at {ExpiresAt}")]
    private partial void LogRefreshed(string account, DateTimeOffset expiresAt);

    [LoggerMessage(LogLevel.Error, "Replacing the rejected access_token of {Account} failed: errcode {ErrorCode} {ErrorMessage}. {Advice}")]
    private partial void LogFailed(string account, int? errorCode, string errorMessage, string advice);
}
