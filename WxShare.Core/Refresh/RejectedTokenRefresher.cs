using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using WxShare.Accounts;
using WxShare.Storage;
using WxShare.Errors;

namespace WxShare.Refresh;

/// <summary>
/// Refreshes one account's access_token because a caller of the token relay had it rejected by its issuer
/// (40001 and co.). Rotate-if-current: only while the rejected token is still the stored one, so ten callers holding the same
/// rejected token cause one refresh and the rest get the new token. At most one such refresh per account per minute,
/// never for a token under a minute old; the limit lives in the account's row (<see cref="CredentialRecord.RelayRefreshAt"/>,
/// written with the lease in one ETag-conditional write), so it holds across instances. The timer's back-off and
/// lease apply as they do to a tick. The refresh itself is the engine's (<see cref="CredentialRefresher"/>) with a
/// token-only plan: a stable token (<see cref="ICredentialIssuer.TokenIsStable"/>) is replaced by a forced refresh, under
/// <see cref="ForcedTokenRefresher"/>'s guard (20 a day, 30 s apart), recorded in the same write as the lease, since an
/// unforced call would return the same, rejected token; any other by the plain token call. Whether a new WeCom token ends
/// the old one is undocumented either way, so the rotate-if-current rule and the minute's limit are what keep callers in step.
/// Before any of it the issuer is asked whether the token is in fact dead (<see cref="ICredentialIssuer.AcceptsAccessTokenAsync"/>,
/// WeChat's getcallbackip): a token it still accepts is never replaced on a caller's word. A forced refresh for a relay
/// caller comes out of the relay's share of the account's daily budget (<see cref="ForcedTokenRefresher.RelayShare"/>).
/// </summary>
public sealed partial class RejectedTokenRefresher(
    CredentialRefresher engine,
    CredentialStore store,
    CredentialIssuers issuers,
    ForcedTokenRefresher forcedRefresher,
    TimeProvider time,
    ILogger<RejectedTokenRefresher> logger)
{
    /// <summary>One relay refresh per account per this interval; also the age under which a token is never replaced.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    // Writers that lose the ETag race re-read: after a few rounds the row has settled into an answer.
    private const int Attempts = 3;

    public async Task<RejectedTokenRefresh> RefreshAsync(Account account, string rejectedToken, CancellationToken cancellationToken)
    {
        var issuer = issuers.For(account);
        var forced = issuer.TokenIsStable(account);

        // The caller's word is not enough: WeChat is asked first whether the token is dead, once every cheaper guard has
        // passed (a token already replaced, too new, rate-limited or out of budget costs no call).
        var read = await store.GetAsync(account.StorageKey, cancellationToken);
        if (Refusal(account, read, rejectedToken, forced, time.GetUtcNow()) is { } early)
            return early;
        bool? accepted;
        try
        {
            accepted = await issuer.AcceptsAccessTokenAsync(account, rejectedToken, cancellationToken);
        }
        catch (ApiCallException e)
        {
            return new RejectedTokenRefresh(RejectedTokenOutcome.CheckFailed, read.AccessToken, time.GetUtcNow() + Interval,
                new RefreshFailure(e.Call, e.ErrorCode, e.ErrorMessage, time.GetUtcNow()));
        }
        if (accepted == true)
        {
            LogStillValid(account.Display, account.Issuer);
            return new RejectedTokenRefresh(RejectedTokenOutcome.StillValid, read.AccessToken);
        }

        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            RejectedTokenRefresh? refused = null;
            var run = await engine.RunAsync(account, (record, now) =>
            {
                if ((refused = Refusal(account, record, rejectedToken, forced, now)) is not null)
                    return RefreshPlan.Refused;
                LogRefreshing(account.Display, record.AccessToken!.FetchedAt);
                return RefreshPolicy.PlanToken(record, now, forced, forRelayCaller: true);
            }, cancellationToken);

            if (refused is not null)
                return refused;
            if (run.Outcome is not { } outcome)
                continue; // another writer leased first: read again
            if (run.Result == RefreshResult.LostRace)
                return new RejectedTokenRefresh(RejectedTokenOutcome.InProgress, RetryAt: time.GetUtcNow() + TimeSpan.FromSeconds(1));
            if (outcome.Failure is { } failure)
                return new RejectedTokenRefresh(RejectedTokenOutcome.Failed, run.Read.AccessToken, outcome.RetryNotBefore, failure);
            return new RejectedTokenRefresh(RejectedTokenOutcome.Refreshed, outcome.AccessToken);
        }
        return new RejectedTokenRefresh(RejectedTokenOutcome.InProgress, RetryAt: time.GetUtcNow() + TimeSpan.FromSeconds(1));
    }

    /// <summary>Every guard, in the order a caller learns of them; a stable token's replacement is forced, so it also needs the relay's share of the day.</summary>
    private RejectedTokenRefresh? Refusal(Account account, CredentialRecord record, string rejectedToken, bool forced, DateTimeOffset now) =>
        Refusal(record, rejectedToken, now)
        ?? (forced && forcedRefresher.RelayRefusal(account, record, now) is { } guard
            ? new RejectedTokenRefresh(RejectedTokenOutcome.ForcedRefreshLimited, record.AccessToken, guard.NotBefore, Reason: guard.Message)
            : null);

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

    // The caller's token is a secret too: compare without leaking how much of it matched.
    private static bool SameToken(string stored, string given) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(stored)), SHA256.HashData(Encoding.UTF8.GetBytes(given)));

    [LoggerMessage(LogLevel.Warning, "A relay caller reported the access_token of {Account} rejected, but {Issuer} still accepts it; nothing was replaced")]
    private partial void LogStillValid(string account, string issuer);

    [LoggerMessage(LogLevel.Warning, "A relay caller's access_token for {Account} was rejected and is still the stored one (fetched {FetchedAt}); replacing it")]
    private partial void LogRefreshing(string account, DateTimeOffset fetchedAt);
}
