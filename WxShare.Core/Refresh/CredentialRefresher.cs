using Microsoft.Extensions.Logging;
using WxShare.Accounts;
using WxShare.Errors;
using WxShare.Storage;
using WxShare.WeChat;

namespace WxShare.Refresh;

/// <summary>
/// The refresh engine: read the account's row → plan → lease → fetch → complete → log, once for every kind of account
/// (the kinds plug in as <see cref="ICredentialIssuer"/>s) and every reason to refresh: the timer's tick, an operator's
/// refresh-now, a forced token (<see cref="ForcedTokenRefresher"/>) and a relay caller's rejected token
/// (<see cref="RejectedTokenRefresher"/>), which differ only in their plan. Accounts share nothing but the table, so one
/// that fails or waits on its issuer never delays another.
/// </summary>
public sealed partial class CredentialRefresher(
    AccountRegistry accounts,
    CredentialStore store,
    CredentialIssuers issuers,
    RefreshPolicy policy,
    RefreshInstance instance,
    TimeProvider time,
    ILogger<CredentialRefresher> logger,
    WeChatDiagnostics.WeChatQuotaService quota,
    ApiErrorAdvisor advisor,
    Platform.PlatformRegistry platforms,
    Platform.AuthorizerDirectory authorizers,
    Platform.PendingExchanges pendingExchanges)
{
    /// <summary>
    /// Refreshes every account concurrently, then reads each official account's WeChat quota when an hour has passed
    /// (<see cref="WeChatDiagnostics.WeChatQuotaService.ReadIfDueAsync"/>, which never fails the tick); throws (after all
    /// have finished) if any could not reach storage. Third-party platforms go first: each platform's authorizers are
    /// read from storage, its component token is refreshed before the authorizer tokens that need it, and an authorization
    /// whose code was not exchanged yet is retried (<see cref="Platform.PendingExchanges"/>).
    /// </summary>
    /// <returns>Each account's result by <see cref="Account.Name"/> (<c>&lt;platform&gt;/component</c>, <c>&lt;platform&gt;/&lt;appid&gt;</c> for a platform's).</returns>
    public async Task<IReadOnlyDictionary<string, RefreshResult>> RefreshAllAsync(CancellationToken cancellationToken)
    {
        await store.EnsureTableAsync(cancellationToken);
        Platform.ThirdPartyPlatform[] thirdParty = [.. platforms.All];
        var authorizerRows = new IReadOnlyList<Platform.AuthorizerRecord>[thirdParty.Length];
        for (var i = 0; i < thirdParty.Length; i++)
            authorizerRows[i] = await authorizers.RefreshAsync(thirdParty[i], cancellationToken);
        Account[] components = [.. thirdParty.Select(p => p.ComponentAccount)];
        var componentResults = await Task.WhenAll(components.Select(c => RefreshIfDueAsync(c, cancellationToken)));
        // With the component token renewed: an authorization whose code exchange failed is tried again, and served from
        // this tick. A storage failure there is thrown once the accounts are refreshed, as theirs are.
        StorageUnavailableException? pendingFailure = null;
        for (var i = 0; i < thirdParty.Length; i++)
        {
            try
            {
                await pendingExchanges.RetryAsync(thirdParty[i], authorizerRows[i], cancellationToken);
            }
            catch (StorageUnavailableException e)
            {
                pendingFailure ??= e;
            }
        }
        var due = accounts.All.ToArray();
        var results = await Task.WhenAll(due.Select(async a =>
        {
            var result = await RefreshIfDueAsync(a, cancellationToken);
            await quota.ReadIfDueAsync(a, cancellationToken);
            return result;
        }));
        if (pendingFailure is not null)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(pendingFailure);
        return components.Select((c, i) => (c.Name, componentResults[i])).Concat(due.Select((a, i) => (a.Name, results[i])))
            .ToDictionary(r => r.Name, r => r.Item2);
    }

    /// <summary>One account's tick: what is due (<see cref="RefreshPolicy.Plan"/>).</summary>
    public async Task<RefreshResult> RefreshIfDueAsync(Account account, CancellationToken cancellationToken) =>
        (await RunAsync(account, (record, now) => policy.Plan(record, account, now), cancellationToken)).Result;

    /// <summary>
    /// An operator's "refresh now" (POST /api/ops/refresh): every ticket even if not due (and the token by
    /// <see cref="RefreshPolicy.PlanNow"/>), under the tick's lease and back-off, and within the issuer's own limits
    /// (a WeCom app's hourly ticket budget), so no number of requests can pass them.
    /// </summary>
    /// <remarks>
    /// Within its stored cooldown (<see cref="RefreshNowCooldown"/>: one a minute, 30 a day per account, on any instance)
    /// the answer is <see cref="RefreshResult.Refused"/> and nothing is called; only a run that takes the lease counts.
    /// </remarks>
    public async Task<RefreshResult> RefreshNowAsync(Account account, CancellationToken cancellationToken)
    {
        // Refresh-now may come before the first tick has created the table.
        await store.EnsureTableAsync(cancellationToken);
        return (await RunAsync(account, (record, now) =>
        {
            var plan = policy.PlanNow(record, account, now);
            return plan.Decision == RefreshDecision.Due && RefreshNowCooldown.NotBefore(record.RefreshNowAttempts, now) is not null
                ? RefreshPlan.Refused
                : plan;
        }, cancellationToken)).Result;
    }

    /// <summary>
    /// The most calls one run makes: the token, two tickets, and the rejected-token retry's token and ticket. With the
    /// per-call worst case (<see cref="Http.ApiHttpClient.WorstCaseCall"/>) it bounds how long a run holds its lease.
    /// </summary>
    public const int MaxCallsPerRun = 5;

    /// <summary>
    /// The one refresh flow. <paramref name="planFor"/> sees the row as read and the time, and says what to fetch, or refuses.
    /// </summary>
    internal async Task<RefreshRun> RunAsync(Account account, Func<CredentialRecord, DateTimeOffset, RefreshPlan> planFor,
        CancellationToken cancellationToken)
    {
        var record = await store.GetAsync(account.StorageKey, cancellationToken);
        var now = time.GetUtcNow();
        var plan = planFor(record, now);
        switch (plan.Decision)
        {
            case RefreshDecision.Refused:
                return new RefreshRun(RefreshResult.Refused, record, null);
            case RefreshDecision.NotDue:
                LogNotDue(account.Display, record.JsapiTicket?.ExpiresAt);
                return new RefreshRun(RefreshResult.NotDue, record, null);
            case RefreshDecision.BackingOff:
                LogBackingOff(account.Display, record.RetryNotBefore, record.LastFailure?.ErrorCode);
                return new RefreshRun(RefreshResult.BackingOff, record, null);
            case RefreshDecision.LeasedByOther:
                LogLeasedByOther(account.Display, record.Lease?.Owner);
                return new RefreshRun(RefreshResult.LeasedByOther, record, null);
        }

        var attempt = plan.ForceToken || plan.ForRelayCaller || plan.ForRefreshNow
            ? new RefreshAttempt(now, plan.ForceToken, plan.ForRelayCaller, plan.ForRefreshNow)
            : null;
        var lease = policy.LeaseFrom(instance.Id, now);
        var leased = await store.TryAcquireLeaseAsync(record, lease, cancellationToken, attempt);
        if (leased is null)
        {
            LogLostRace(account.Display);
            return new RefreshRun(RefreshResult.LostRace, record, null);
        }

        // From here the caller's cancellation no longer applies: a forced token ends the old one the moment WeChat
        // issues it, so a run given up halfway could leave no working token stored. The run is bounded by its lease
        // instead, which start-up has checked outlasts every call's time-outs and retries (RefreshOptionsValidator).
        using var untilLeaseEnds = new CancellationTokenSource(lease.ExpiresAt - now);
        var issuer = issuers.For(account);
        var (outcome, heldBack) = await FetchAsync(issuer, account, plan, leased, untilLeaseEnds.Token);
        if (!await store.TryCompleteRefreshAsync(leased, outcome, untilLeaseEnds.Token))
        {
            LogLostRace(account.Display);
            return new RefreshRun(RefreshResult.LostRace, record, outcome);
        }

        if (outcome.Failure is { } failure)
        {
            if (heldBack)
                LogHeldBack(account.Display, failure.Call, failure.Message);
            else
                LogFailed(issuer, account, failure, leased.LastFailure, outcome.RetryNotBefore, leased);
            return new RefreshRun(heldBack ? RefreshResult.BackingOff : RefreshResult.Failed, record, outcome);
        }
        LogRefreshed(account.Display, outcome.AccessToken is not null, outcome.AccessToken?.ExpiresAt, string.Join(", ", plan.TicketsDue),
            outcome.JsapiTicket?.ExpiresAt);
        return new RefreshRun(RefreshResult.Refreshed, record, outcome);
    }

    /// <summary>
    /// The token if due, then each due ticket. What was obtained before a failure is kept: a new token or ticket is as
    /// good as in a full refresh.
    /// </summary>
    /// <returns>The outcome, and whether the issuer held a call back to stay within its limits.</returns>
    private async Task<(RefreshOutcome Outcome, bool HeldBack)> FetchAsync(ICredentialIssuer issuer, Account account, RefreshPlan plan, CredentialRecord leased,
        CancellationToken cancellationToken)
    {
        IssuedCredential? newToken = null;
        var tickets = new Dictionary<ApiCall, IssuedCredential>();
        var tokenRenewed = false;
        try
        {
            await issuer.ReserveTicketCallsAsync(account, plan.TicketsDue, cancellationToken);
            var token = leased.AccessToken is { } stored && !plan.AccessTokenDue
                ? stored
                : newToken = await issuer.GetAccessTokenAsync(account, leased, plan.ForceToken, cancellationToken);
            foreach (var ticket in plan.TicketsDue)
                tickets[ticket] = await GetTicketAsync(ticket);
            return (new RefreshOutcome(newToken, null, null, null).WithTickets(tickets), false);

            // A refused token means something else replaced it (a classic fetch, a forced stable refresh) or the issuer
            // revoked it early (WeCom, doc 91039): fetch the token once more (never forced) and retry once, the retry
            // itself within the issuer's limits.
            async Task<IssuedCredential> GetTicketAsync(ApiCall ticket)
            {
                try
                {
                    return await issuer.GetTicketAsync(account, ticket, token.Value, cancellationToken);
                }
                catch (ApiCallException e) when (e.Kind == ApiErrorKind.TokenRejected && !tokenRenewed)
                {
                    LogTokenRejected(account.Issuer, account.Display, ticket, e.ErrorCode);
                    tokenRenewed = true;
                    await issuer.ReserveTicketCallsAsync(account, [ticket], cancellationToken);
                    token = newToken = await issuer.GetAccessTokenAsync(account, leased, force: false, cancellationToken);
                    return await issuer.GetTicketAsync(account, ticket, token.Value, cancellationToken);
                }
            }
        }
        catch (RefreshHeldBackException e)
        {
            var failure = new RefreshFailure(e.Call, null, e.Message, time.GetUtcNow());
            return (new RefreshOutcome(newToken, null, failure, e.AllowedFrom).WithTickets(tickets), true);
        }
        catch (ApiCallException e)
        {
            var now = time.GetUtcNow();
            // A forced token is an explicit request, not the timer's: its failure leaves the timer's back-off as it was.
            var retryNotBefore = plan.ForceToken ? leased.RetryNotBefore : policy.RetryNotBefore(account, e, now);
            return (new RefreshOutcome(newToken, null, RefreshFailure.From(e, now), retryNotBefore).WithTickets(tickets), false);
        }
    }

    private void LogFailed(ICredentialIssuer issuer, Account account, RefreshFailure failure, RefreshFailure? previous, DateTimeOffset? retryNotBefore,
        CredentialRecord serving)
    {
        var servingUntil = string.Join(", ", issuer.Tickets(account).Select(t => $"{t} until {serving.Ticket(t)?.ExpiresAt:u}"));
        if (issuer.Classify(failure.Call, failure.ErrorCode) is ApiErrorKind.Transient or ApiErrorKind.TokenRejected)
        {
            LogTransientFailure(account.Display, failure.Call, failure.ErrorCode, failure.Message, servingUntil);
            return;
        }
        // Reported once with its advice; while the same error persists, each retry after the back-off is a warning.
        if (previous is { } last && last.ErrorCode == failure.ErrorCode && last.Call == failure.Call)
            LogStillFailing(account.Display, failure.Call, failure.ErrorCode, retryNotBefore);
        else
            LogConfigurationError(account.Issuer, account.Display, failure.Call, failure.ErrorCode, failure.Message,
                advisor.Advise(account, failure).Text, retryNotBefore, servingUntil);
    }

    [LoggerMessage(LogLevel.Debug, "Credentials for {Account} are not due; the ticket expires at {TicketExpiresAt}")]
    private partial void LogNotDue(string account, DateTimeOffset? ticketExpiresAt);

    [LoggerMessage(LogLevel.Information, "Refresh for {Account} waits until {RetryNotBefore} after errcode {ErrorCode}")]
    private partial void LogBackingOff(string account, DateTimeOffset? retryNotBefore, int? errorCode);

    [LoggerMessage(LogLevel.Information, "Refresh for {Account} is in progress elsewhere ({LeaseOwner})")]
    private partial void LogLeasedByOther(string account, string? leaseOwner);

    [LoggerMessage(LogLevel.Information, "Another writer changed the credentials of {Account} first; this refresh wrote nothing")]
    private partial void LogLostRace(string account);

    [LoggerMessage(LogLevel.Warning, "{Issuer} refused the stored access_token of {Account} at the {Call} call (errcode {ErrorCode}); fetching a new token and retrying once")]
    private partial void LogTokenRejected(string issuer, string account, ApiCall call, int? errorCode);

    [LoggerMessage(LogLevel.Warning, "Refresh for {Account} held back its {Call} call: {Reason}")]
    private partial void LogHeldBack(string account, ApiCall call, string reason);

    [LoggerMessage(LogLevel.Information, "Refreshed {Account}: access_token fetched {TokenRenewed} (expires {TokenExpiresAt}), new tickets [{Tickets}] (the jsapi ticket expires {TicketExpiresAt})")]
    private partial void LogRefreshed(string account, bool tokenRenewed, DateTimeOffset? tokenExpiresAt, string tickets, DateTimeOffset? ticketExpiresAt);

    [LoggerMessage(LogLevel.Error, "Refresh of {Issuer} account {Account} failed at the {Call} call: errcode {ErrorCode} {ErrorMessage}. {Advice} Next attempt not before {RetryNotBefore}; the stored tickets serve: {ServingUntil}")]
    private partial void LogConfigurationError(string issuer, string account, ApiCall call, int? errorCode, string errorMessage, string advice,
        DateTimeOffset? retryNotBefore, string servingUntil);

    [LoggerMessage(LogLevel.Warning, "Refresh for {Account} still fails at the {Call} call with errcode {ErrorCode} (reported above with what to do); next attempt not before {RetryNotBefore}")]
    private partial void LogStillFailing(string account, ApiCall call, int? errorCode, DateTimeOffset? retryNotBefore);

    [LoggerMessage(LogLevel.Warning, "Refresh for {Account} failed at the {Call} call: errcode {ErrorCode} {ErrorMessage}; the next tick retries, the stored tickets serve: {ServingUntil}")]
    private partial void LogTransientFailure(string account, ApiCall call, int? errorCode, string errorMessage, string servingUntil);
}

/// <summary>What one run of the engine did.</summary>
/// <param name="Read">The row as read before the refresh.</param>
/// <param name="Outcome">What the refresh obtained or failed with; null when nothing was called.</param>
internal sealed record RefreshRun(RefreshResult Result, CredentialRecord Read, RefreshOutcome? Outcome);
