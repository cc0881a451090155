using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WxShare.Configuration;
using WxShare.Storage;
using WxShare.WeChat;

namespace WxShare.Refresh;

/// <summary>One tick of the refresh: read the row, and if a credential is due, lease the row, call WeChat, store the outcome.</summary>
public sealed partial class CredentialRefresher(
    CredentialStore store,
    WeChatApiClient weChat,
    RefreshPolicy policy,
    RefreshInstance instance,
    IOptions<WeChatOptions> weChatOptions,
    IOptions<RefreshOptions> refreshOptions,
    TimeProvider time,
    ILogger<CredentialRefresher> logger)
{
    private string AppId => weChatOptions.Value.AppId;

    public async Task<RefreshResult> RefreshIfDueAsync(CancellationToken cancellationToken)
    {
        await store.EnsureTableAsync(cancellationToken);
        var record = await store.GetAsync(AppId, cancellationToken);
        var now = time.GetUtcNow();
        var plan = policy.Plan(record, instance.Id, now);
        switch (plan.Decision)
        {
            case RefreshDecision.NotDue:
                LogNotDue(AppId, record.JsapiTicket?.ExpiresAt);
                return RefreshResult.NotDue;
            case RefreshDecision.BackingOff:
                LogBackingOff(AppId, record.RetryNotBefore, record.LastFailure?.ErrorCode);
                return RefreshResult.BackingOff;
            case RefreshDecision.LeasedByOther:
                LogLeasedByOther(AppId, record.Lease?.Owner);
                return RefreshResult.LeasedByOther;
        }

        var leased = await store.TryAcquireLeaseAsync(record, new RefreshLease(instance.Id, now + refreshOptions.Value.LeaseDuration), cancellationToken);
        if (leased is null)
        {
            LogLostRace(AppId);
            return RefreshResult.LostRace;
        }

        var outcome = await FetchAsync(plan, leased, cancellationToken);
        if (!await store.TryCompleteRefreshAsync(leased, outcome, cancellationToken))
        {
            LogLostRace(AppId);
            return RefreshResult.LostRace;
        }

        if (outcome.Failure is { } failure)
        {
            LogFailed(failure, outcome.RetryNotBefore, leased.JsapiTicket?.ExpiresAt);
            return RefreshResult.Failed;
        }
        LogRefreshed(AppId, outcome.AccessToken is not null, outcome.AccessToken?.ExpiresAt, outcome.JsapiTicket is not null, outcome.JsapiTicket?.ExpiresAt);
        return RefreshResult.Refreshed;
    }

    private async Task<RefreshOutcome> FetchAsync(RefreshPlan plan, CredentialRecord record, CancellationToken cancellationToken)
    {
        IssuedCredential? newToken = null;
        try
        {
            var token = record.AccessToken is { } stored && !plan.AccessTokenDue
                ? stored
                : newToken = await FetchAccessTokenAsync(cancellationToken);
            if (!plan.JsapiTicketDue)
                return new RefreshOutcome(newToken, null, null, null);

            IssuedCredential ticket;
            try
            {
                ticket = await weChat.GetJsapiTicketAsync(token.Value, cancellationToken);
            }
            catch (WeChatApiException e) when (e.Kind == WeChatErrorKind.TokenRejected)
            {
                LogTokenRejected(AppId, e.ErrorCode);
                newToken = await FetchAccessTokenAsync(cancellationToken);
                ticket = await weChat.GetJsapiTicketAsync(newToken.Value, cancellationToken);
            }
            return new RefreshOutcome(newToken, ticket, null, null);
        }
        catch (WeChatApiException e)
        {
            var now = time.GetUtcNow();
            return new RefreshOutcome(newToken, null, new RefreshFailure(e.Call, e.ErrorCode, e.ErrorMessage, now), RetryNotBefore(e, now));
        }
    }

    private Task<IssuedCredential> FetchAccessTokenAsync(CancellationToken cancellationToken) =>
        weChat.GetAccessTokenAsync(AppId, weChatOptions.Value.AppSecret, cancellationToken);

    private DateTimeOffset? RetryNotBefore(WeChatApiException e, DateTimeOffset now) =>
        e.Kind == WeChatErrorKind.Configuration || e.ErrorCode == 45009
            ? now + refreshOptions.Value.ConfigurationErrorBackoff
            : null;

    private void LogFailed(RefreshFailure failure, DateTimeOffset? retryNotBefore, DateTimeOffset? servingTicketUntil)
    {
        var kind = WeChatErrorClassifier.Classify(failure.Call, failure.ErrorCode);
        var advice = WeChatErrorClassifier.Advice(failure.ErrorCode) ?? "The next tick retries.";
        if (kind is WeChatErrorKind.Configuration or WeChatErrorKind.RateLimited or WeChatErrorKind.Unexpected)
            LogConfigurationError(AppId, failure.Call, failure.ErrorCode, failure.Message, advice, retryNotBefore, servingTicketUntil);
        else
            LogTransientFailure(AppId, failure.Call, failure.ErrorCode, failure.Message, servingTicketUntil);
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

    [LoggerMessage(LogLevel.Information, "Refreshed {AppId}: new access_token {TokenRenewed} (expires {TokenExpiresAt}), new jsapi_ticket {TicketRenewed} (expires {TicketExpiresAt})")]
    private partial void LogRefreshed(string appId, bool tokenRenewed, DateTimeOffset? tokenExpiresAt, bool ticketRenewed, DateTimeOffset? ticketExpiresAt);

    [LoggerMessage(LogLevel.Error, "Refresh for {AppId} failed at the {Call} call: errcode {ErrorCode} {ErrorMessage}. {Advice} Next attempt not before {RetryNotBefore}; the stored ticket serves until {ServingTicketUntil}")]
    private partial void LogConfigurationError(string appId, WeChatCall call, int? errorCode, string errorMessage, string advice, DateTimeOffset? retryNotBefore, DateTimeOffset? servingTicketUntil);

    [LoggerMessage(LogLevel.Warning, "Refresh for {AppId} failed at the {Call} call: errcode {ErrorCode} {ErrorMessage}; the next tick retries, the stored ticket serves until {ServingTicketUntil}")]
    private partial void LogTransientFailure(string appId, WeChatCall call, int? errorCode, string errorMessage, DateTimeOffset? servingTicketUntil);
}
