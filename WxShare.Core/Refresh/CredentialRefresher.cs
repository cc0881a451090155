using WxShare.Errors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WxShare.Accounts;
using WxShare.Configuration;
using WxShare.Storage;
using WxShare.WeChat;
using WxShare.WeCom;

namespace WxShare.Refresh;

/// <summary>
/// One tick of the refresh, for every account at once: read the account's row, and if a credential is due, lease the
/// row, call WeChat, store the outcome. Accounts share nothing but the table, so one that fails or waits on WeChat
/// never delays another.
/// </summary>
public sealed partial class CredentialRefresher(
    AccountRegistry accounts,
    CredentialStore store,
    WeChatApiClient weChat,
    RefreshPolicy policy,
    RefreshInstance instance,
    IOptions<RefreshOptions> refreshOptions,
    TimeProvider time,
    ILogger<CredentialRefresher> logger,
    WeComCredentialRefresher weCom,
    ApiErrorAdvisor advisor)
{
    /// <summary>Refreshes every account concurrently; throws (after all have finished) if any could not reach storage.</summary>
    public async Task<IReadOnlyDictionary<string, RefreshResult>> RefreshAllAsync(CancellationToken cancellationToken)
    {
        await store.EnsureTableAsync(cancellationToken);
        var due = accounts.All.ToArray();
        var results = await Task.WhenAll(due.Select(a => RefreshIfDueAsync(a, cancellationToken)));
        return due.Select((a, i) => (a.Name, results[i])).ToDictionary(r => r.Name, r => r.Item2);
    }

    /// <summary>One account's tick: an official account's here, a WeCom app's by <see cref="WeComCredentialRefresher"/>.</summary>
    public Task<RefreshResult> RefreshIfDueAsync(Account account, CancellationToken cancellationToken) =>
        account.Kind == AccountKind.WeCom
            ? weCom.RefreshIfDueAsync(account, cancellationToken)
            : RefreshAsync(account, policy.Plan, cancellationToken);

    /// <summary>
    /// An operator's "refresh now" (POST /api/ops/refresh): tickets even if not due (the token by <see cref="RefreshPolicy.PlanNow"/>),
    /// under the tick's lease and back-off; a WeCom app's also within its hourly ticket budget.
    /// </summary>
    public async Task<RefreshResult> RefreshNowAsync(Account account, CancellationToken cancellationToken)
    {
        if (account.Kind != AccountKind.WeCom)
            return await RefreshAsync(account, policy.PlanNow, cancellationToken);
        // Refresh-now may come before the first tick has created the table.
        await store.EnsureTableAsync(cancellationToken);
        return await weCom.RefreshNowAsync(account, cancellationToken);
    }

    private async Task<RefreshResult> RefreshAsync(Account account, Func<CredentialRecord, Account, string, DateTimeOffset, RefreshPlan> planFor,
        CancellationToken cancellationToken)
    {
        await store.EnsureTableAsync(cancellationToken);
        var appId = account.AppId;
        var record = await store.GetAsync(account.StorageKey, cancellationToken);
        var now = time.GetUtcNow();
        var plan = planFor(record, account, instance.Id, now);
        switch (plan.Decision)
        {
            case RefreshDecision.NotDue:
                LogNotDue(appId, record.JsapiTicket?.ExpiresAt);
                return RefreshResult.NotDue;
            case RefreshDecision.BackingOff:
                LogBackingOff(appId, record.RetryNotBefore, record.LastFailure?.ErrorCode);
                return RefreshResult.BackingOff;
            case RefreshDecision.LeasedByOther:
                LogLeasedByOther(appId, record.Lease?.Owner);
                return RefreshResult.LeasedByOther;
        }

        var leased = await store.TryAcquireLeaseAsync(record, new RefreshLease(instance.Id, now + refreshOptions.Value.LeaseDuration), cancellationToken);
        if (leased is null)
        {
            LogLostRace(appId);
            return RefreshResult.LostRace;
        }

        var outcome = await FetchAsync(account, plan, leased, cancellationToken);
        if (!await store.TryCompleteRefreshAsync(leased, outcome, cancellationToken))
        {
            LogLostRace(appId);
            return RefreshResult.LostRace;
        }

        if (outcome.Failure is { } failure)
        {
            LogFailed(account, failure, outcome.RetryNotBefore, leased.JsapiTicket?.ExpiresAt);
            return RefreshResult.Failed;
        }
        LogRefreshed(appId, outcome.AccessToken is not null, outcome.AccessToken?.ExpiresAt, outcome.JsapiTicket is not null, outcome.JsapiTicket?.ExpiresAt,
            outcome.CardTicket is not null, outcome.CardTicket?.ExpiresAt);
        return RefreshResult.Refreshed;
    }

    private async Task<RefreshOutcome> FetchAsync(Account account, RefreshPlan plan, CredentialRecord record, CancellationToken cancellationToken)
    {
        IssuedCredential? newToken = null, jsapiTicket = null, cardTicket = null;
        var tokenRenewed = false;
        try
        {
            var token = record.AccessToken is { } stored && !plan.AccessTokenDue
                ? stored
                : newToken = await FetchAccessTokenAsync(account, cancellationToken);
            if (plan.JsapiTicketDue)
                jsapiTicket = await GetTicketAsync(weChat.GetJsapiTicketAsync);
            if (plan.CardTicketDue)
                cardTicket = await GetTicketAsync(weChat.GetCardTicketAsync);
            return new RefreshOutcome(newToken, jsapiTicket, null, null, CardTicket: cardTicket);

            // A refused token means someone else replaced it (a classic fetch, a forced stable refresh):
            // fetch the token once more (never forced) and retry once.
            async Task<IssuedCredential> GetTicketAsync(Func<string, CancellationToken, Task<IssuedCredential>> get)
            {
                try
                {
                    return await get(token.Value, cancellationToken);
                }
                catch (ApiCallException e) when (e.Kind == ApiErrorKind.TokenRejected && !tokenRenewed)
                {
                    LogTokenRejected(account.AppId, e.ErrorCode);
                    tokenRenewed = true;
                    token = newToken = await FetchAccessTokenAsync(account, cancellationToken);
                    return await get(token.Value, cancellationToken);
                }
            }
        }
        catch (ApiCallException e)
        {
            var now = time.GetUtcNow();
            return new RefreshOutcome(newToken, jsapiTicket, RefreshFailure.From(e, now), policy.RetryNotBefore(e, now), CardTicket: cardTicket);
        }
    }

    // Never forced: a forced stable token is an operator's decision (ForcedTokenRefresher).
    private Task<IssuedCredential> FetchAccessTokenAsync(Account account, CancellationToken cancellationToken) =>
        weChat.GetAccessTokenAsync(account, forceRefresh: false, cancellationToken);

    private void LogFailed(Account account, RefreshFailure failure, DateTimeOffset? retryNotBefore, DateTimeOffset? servingTicketUntil)
    {
        var appId = account.AppId;
        var kind = WeChatErrorClassifier.Classify(failure.Call, failure.ErrorCode);
        if (kind is ApiErrorKind.Configuration or ApiErrorKind.RateLimited or ApiErrorKind.Unexpected)
            LogConfigurationError(appId, failure.Call, failure.ErrorCode, failure.Message, advisor.Advise(account, failure).Text, retryNotBefore, servingTicketUntil);
        else
            LogTransientFailure(appId, failure.Call, failure.ErrorCode, failure.Message, servingTicketUntil);
    }

    [LoggerMessage(LogLevel.Debug, "Credentials for {AppId} are not due; the ticket expires at {TicketExpiresAt}")]
    private partial void LogNotDue(string appId, DateTimeOffset? ticketExpiresAt);

    [LoggerMessage(LogLevel.Information, "Refresh for {AppId} waits until {RetryNotBefore} after WeChat errcode {ErrorCode}")]
    private partial void LogBackingOff(string appId, DateTimeOffset? retryNotBefore, int? errorCode);

    [LoggerMessage(LogLevel.Information, "Refresh for {AppId} is in progress elsewhere ({LeaseOwner})")]
    private partial void LogLeasedByOther(string appId, string? leaseOwner);

    [LoggerMessage(LogLevel.Information, "Another writer changed the credentials of {AppId} first; this refresh wrote nothing")]
    private partial void LogLostRace(string appId);

    [LoggerMessage(LogLevel.Warning, "WeChat refused the stored access_token of {AppId} (errcode {ErrorCode}); fetching a new token and retrying once")]
    private partial void LogTokenRejected(string appId, int? errorCode);

    [LoggerMessage(LogLevel.Information, "Refreshed {AppId}: access_token fetched {TokenRenewed} (expires {TokenExpiresAt}), new jsapi_ticket {TicketRenewed} (expires {TicketExpiresAt}), new card api_ticket {CardTicketRenewed} (expires {CardTicketExpiresAt})")]
    private partial void LogRefreshed(string appId, bool tokenRenewed, DateTimeOffset? tokenExpiresAt, bool ticketRenewed, DateTimeOffset? ticketExpiresAt,
        bool cardTicketRenewed, DateTimeOffset? cardTicketExpiresAt);

    [LoggerMessage(LogLevel.Error, "Refresh for {AppId} failed at the {Call} call: errcode {ErrorCode} {ErrorMessage}. {Advice} Next attempt not before {RetryNotBefore}; the stored ticket serves until {ServingTicketUntil}")]
    private partial void LogConfigurationError(string appId, ApiCall call, int? errorCode, string errorMessage, string advice, DateTimeOffset? retryNotBefore, DateTimeOffset? servingTicketUntil);

    [LoggerMessage(LogLevel.Warning, "Refresh for {AppId} failed at the {Call} call: errcode {ErrorCode} {ErrorMessage}; the next tick retries, the stored ticket serves until {ServingTicketUntil}")]
    private partial void LogTransientFailure(string appId, ApiCall call, int? errorCode, string errorMessage, DateTimeOffset? servingTicketUntil);
}
