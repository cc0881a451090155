using WxShare.Errors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WxShare.Accounts;
using WxShare.Configuration;
using WxShare.Refresh;
using WxShare.Storage;
using WxShare.WeChat;

namespace WxShare.WeCom;

/// <summary>
/// One tick for one WeCom app, with the official accounts' policy (due at 100 minutes or near expires_in, lease,
/// ETag writes, failure records, back-off): gettoken with the app's Secret, then the corp ticket and the agent ticket,
/// all in the app's own row. Every ticket call is first reserved against WeCom's hourly limits
/// (<see cref="WeComTicketBudget"/>). The corp ticket is fetched per app, with the app's token: sharing it between
/// apps would couple their failures and save only a call per 100 minutes.
/// </summary>
public sealed partial class WeComCredentialRefresher(
    CredentialStore store,
    WeComApiClient weCom,
    WeComTicketBudget budget,
    RefreshPolicy policy,
    RefreshInstance instance,
    IOptions<RefreshOptions> refreshOptions,
    TimeProvider time,
    ILogger<WeComCredentialRefresher> logger,
    ApiErrorAdvisor advisor)
{
    public Task<RefreshResult> RefreshIfDueAsync(Account account, CancellationToken cancellationToken) =>
        RefreshAsync(account, policy.Plan, cancellationToken);

    /// <summary>
    /// An operator's "refresh now" (POST /api/ops/refresh): a new token and both tickets whatever their age, under the
    /// tick's lease and back-off, and within the same hourly ticket budget, so no number of requests can pass WeCom's limits.
    /// </summary>
    public Task<RefreshResult> RefreshNowAsync(Account account, CancellationToken cancellationToken) =>
        RefreshAsync(account, policy.PlanNow, cancellationToken);

    private async Task<RefreshResult> RefreshAsync(Account account, Func<CredentialRecord, Account, string, DateTimeOffset, RefreshPlan> planFor,
        CancellationToken cancellationToken)
    {
        var record = await store.GetAsync(account.StorageKey, cancellationToken);
        var now = time.GetUtcNow();
        var plan = planFor(record, account, instance.Id, now);
        switch (plan.Decision)
        {
            case RefreshDecision.NotDue:
                return RefreshResult.NotDue;
            case RefreshDecision.BackingOff:
                LogBackingOff(account.Name, record.RetryNotBefore, record.LastFailure?.ErrorCode);
                return RefreshResult.BackingOff;
            case RefreshDecision.LeasedByOther:
                return RefreshResult.LeasedByOther;
        }

        var leased = await store.TryAcquireLeaseAsync(record, new RefreshLease(instance.Id, now + refreshOptions.Value.LeaseDuration), cancellationToken);
        if (leased is null)
            return RefreshResult.LostRace;

        var (outcome, heldBack) = await FetchAsync(account, plan, leased, cancellationToken);
        if (!await store.TryCompleteRefreshAsync(leased, outcome, cancellationToken))
            return RefreshResult.LostRace;

        if (outcome.Failure is { } failure)
        {
            if (heldBack)
                LogHeldBack(account.Name, failure.Call, outcome.RetryNotBefore);
            else
                LogFailed(account, failure, leased.LastFailure, outcome.RetryNotBefore, leased.JsapiTicket?.ExpiresAt, leased.AgentTicket?.ExpiresAt);
            return heldBack ? RefreshResult.BackingOff : RefreshResult.Failed;
        }
        LogRefreshed(account.Name, account.AppId, account.AgentId, outcome.AccessToken is not null, outcome.JsapiTicket is not null, outcome.AgentTicket is not null);
        return RefreshResult.Refreshed;
    }

    private async Task<(RefreshOutcome Outcome, bool HeldBack)> FetchAsync(Account account, RefreshPlan plan, CredentialRecord record, CancellationToken cancellationToken)
    {
        IssuedCredential? newToken = null, corpTicket = null, agentTicket = null;
        try
        {
            var ticketCalls = (plan.JsapiTicketDue ? 1 : 0) + (plan.AgentTicketDue ? 1 : 0);
            await ReserveAsync(account, ticketCalls, plan.JsapiTicketDue ? ApiCall.JsapiTicket : ApiCall.AgentTicket, cancellationToken);
            var token = record.AccessToken is { } stored && !plan.AccessTokenDue
                ? stored
                : newToken = await weCom.GetAccessTokenAsync(account.AppId, account.AppSecret, cancellationToken);

            async Task<IssuedCredential> TicketAsync(ApiCall call, Func<string, CancellationToken, Task<IssuedCredential>> fetch)
            {
                try
                {
                    return await fetch(token.Value, cancellationToken);
                }
                catch (ApiCallException e) when (e.Kind == ApiErrorKind.TokenRejected)
                {
                    // WeCom may revoke tokens early (doc 91039): a new token and one more try, itself within the limits.
                    LogTokenRejected(account.Name, call, e.ErrorCode);
                    await ReserveAsync(account, 1, call, cancellationToken);
                    token = newToken = await weCom.GetAccessTokenAsync(account.AppId, account.AppSecret, cancellationToken);
                    return await fetch(token.Value, cancellationToken);
                }
            }

            if (plan.JsapiTicketDue)
                corpTicket = await TicketAsync(ApiCall.JsapiTicket, weCom.GetCorpTicketAsync);
            if (plan.AgentTicketDue)
                agentTicket = await TicketAsync(ApiCall.AgentTicket, weCom.GetAgentTicketAsync);
            return (new RefreshOutcome(newToken, corpTicket, null, null, AgentTicket: agentTicket), false);
        }
        catch (HourlyLimitReachedException e)
        {
            var failure = new RefreshFailure(e.Call, null, e.Message, time.GetUtcNow());
            return (new RefreshOutcome(newToken, corpTicket, failure, e.AllowedFrom, AgentTicket: agentTicket), true);
        }
        catch (ApiCallException e)
        {
            // What was obtained before the failure is kept: a new token or corp ticket is as good as in a full refresh.
            var now = time.GetUtcNow();
            var backOff = e.Kind is ApiErrorKind.Configuration or ApiErrorKind.RateLimited;
            var failure = RefreshFailure.From(e, now);
            return (new RefreshOutcome(newToken, corpTicket, failure, backOff ? now + refreshOptions.Value.ConfigurationErrorBackoff : null, AgentTicket: agentTicket), false);
        }
    }

    private async Task ReserveAsync(Account account, int calls, ApiCall call, CancellationToken cancellationToken)
    {
        if (calls > 0 && await budget.TryReserveAsync(account, calls, cancellationToken) is { } allowedFrom)
            throw new HourlyLimitReachedException(call, allowedFrom);
    }

    private void LogFailed(Account account, RefreshFailure failure, RefreshFailure? previous, DateTimeOffset? retryNotBefore,
        DateTimeOffset? corpTicketUntil, DateTimeOffset? agentTicketUntil)
    {
        var kind = WeComErrorClassifier.Classify(failure.Call, failure.ErrorCode);
        if (kind is ApiErrorKind.Transient or ApiErrorKind.TokenRejected)
        {
            LogTransientFailure(account.Name, failure.Call, failure.ErrorCode, failure.Message, corpTicketUntil, agentTicketUntil);
            return;
        }
        // Reported once with its advice; while the same error persists, each retry after the back-off is a warning.
        if (previous is { } last && last.ErrorCode == failure.ErrorCode && last.Call == failure.Call)
            LogStillFailing(account.Name, failure.Call, failure.ErrorCode, retryNotBefore);
        else
            LogConfigurationError(account.Name, account.AppId, account.AgentId, failure.Call, failure.ErrorCode, failure.Message,
                advisor.Advise(account, failure).Text, retryNotBefore, corpTicketUntil, agentTicketUntil);
    }

    [LoggerMessage(LogLevel.Information, "Refresh for WeCom app {Account} waits until {RetryNotBefore} after errcode {ErrorCode}")]
    private partial void LogBackingOff(string account, DateTimeOffset? retryNotBefore, int? errorCode);

    [LoggerMessage(LogLevel.Warning, "WeCom refused the stored access_token of app {Account} at the {Call} call (errcode {ErrorCode}); fetching a new token and retrying once")]
    private partial void LogTokenRejected(string account, ApiCall call, int? errorCode);

    [LoggerMessage(LogLevel.Warning, "Refresh for WeCom app {Account} held back its {Call} call to stay within WeCom's hourly ticket limits; next attempt not before {RetryNotBefore}")]
    private partial void LogHeldBack(string account, ApiCall call, DateTimeOffset? retryNotBefore);

    [LoggerMessage(LogLevel.Information, "Refreshed WeCom app {Account} (corp {CorpId}, agent {AgentId}): new access_token {TokenRenewed}, new corp ticket {CorpTicketRenewed}, new agent ticket {AgentTicketRenewed}")]
    private partial void LogRefreshed(string account, string corpId, string? agentId, bool tokenRenewed, bool corpTicketRenewed, bool agentTicketRenewed);

    [LoggerMessage(LogLevel.Error, "Refresh for WeCom app {Account} (corp {CorpId}, agent {AgentId}) failed at the {Call} call: errcode {ErrorCode} {ErrorMessage}. {Advice} Next attempt not before {RetryNotBefore}; the stored corp ticket serves until {CorpTicketUntil}, the agent ticket until {AgentTicketUntil}")]
    private partial void LogConfigurationError(string account, string corpId, string? agentId, ApiCall call, int? errorCode, string errorMessage, string advice,
        DateTimeOffset? retryNotBefore, DateTimeOffset? corpTicketUntil, DateTimeOffset? agentTicketUntil);

    [LoggerMessage(LogLevel.Warning, "Refresh for WeCom app {Account} still fails at the {Call} call with errcode {ErrorCode} (reported above with what to do); next attempt not before {RetryNotBefore}")]
    private partial void LogStillFailing(string account, ApiCall call, int? errorCode, DateTimeOffset? retryNotBefore);

    [LoggerMessage(LogLevel.Warning, "Refresh for WeCom app {Account} failed at the {Call} call: errcode {ErrorCode} {ErrorMessage}; the next tick retries, the stored corp ticket serves until {CorpTicketUntil}, the agent ticket until {AgentTicketUntil}")]
    private partial void LogTransientFailure(string account, ApiCall call, int? errorCode, string errorMessage, DateTimeOffset? corpTicketUntil, DateTimeOffset? agentTicketUntil);
}
