using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using WxShare.Accounts;
using WxShare.Errors;
using WxShare.Refresh;
using WxShare.Storage;

namespace WxShare.Operations;

/// <summary>
/// POST /api/ops/refresh?appId=…[&amp;agentId=…], key-protected: an operator's "refresh now" for one account, e.g. after
/// fixing the IP whitelist. It fetches the tickets (and a token where asking again gives a new one) even when they are
/// not due, under the same lease and back-off as the timer, and for a WeCom app within its hourly ticket budget (so it
/// cannot hammer WeChat or WeCom past a configuration error or a quota), and answers with the result. Its stored cooldown
/// (<see cref="RefreshNowCooldown"/>: once a minute, 30 a day per account) answers 429 <c>refresh_cooldown</c> with Retry-After.
/// Not /api/admin/…: the Functions host reserves routes that begin with "admin" for itself.
/// </summary>
public sealed partial class RefreshNowEndpoint(
    AccountSelector accounts,
    CredentialRefresher refresher,
    CredentialStore store,
    TimeProvider time,
    ApiErrorAdvisor advisor,
    ILogger<RefreshNowEndpoint> logger)
{

    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!OperationsResults.TrySelectAccount(accounts, request, admit: null, out var account, out var refused))
            return refused;
        var response = request.HttpContext.Response;

        RefreshResult result;
        CredentialRecord record;
        try
        {
            result = await refresher.RefreshNowAsync(account, cancellationToken);
            record = await store.GetAsync(account.StorageKey, cancellationToken);
        }
        catch (StorageUnavailableException e)
        {
            LogStorageFailed(e, account.Display);
            throw; // the edge answers a JSON 503 (ApiErrors.StorageUnavailable)
        }
        LogRefreshNow(account.Display, Http.OperatorCaller.Of(request.HttpContext), result);

        var now = time.GetUtcNow();
        var state = HealthEndpoint.Assess(account, record, now, advisor);
        var cooldownEnds = RefreshNowCooldown.NotBefore(record.RefreshNowAttempts, now);
        var (status, error, message) = result switch
        {
            RefreshResult.Refreshed => (StatusCodes.Status200OK, null, account.Kind == AccountKind.WeCom
                ? "The app's access_token, corp ticket and agent ticket were refreshed."
                : "The account's tickets were refreshed, and its access_token where it was due."),
            RefreshResult.Failed => (StatusCodes.Status502BadGateway, "refresh_failed",
                $"{account.Issuer} refused or failed; the stored credentials are untouched. " + state.Reason),
            RefreshResult.BackingOff => (StatusCodes.Status429TooManyRequests, "refresh_backing_off",
                $"{account.Issuer} is left alone until {record.RetryNotBefore:u} after a configuration or quota error"
                + (account.Kind == AccountKind.WeCom ? ", or to stay within its hourly ticket limits" : "") + "; nothing was called. " + state.Reason),
            RefreshResult.LeasedByOther => (StatusCodes.Status409Conflict, "refresh_in_progress",
                $"Another refresh of this account is running now, on this instance or another (its lease ends {record.Lease?.ExpiresAt:u}); nothing was called."),
            RefreshResult.Refused => (StatusCodes.Status429TooManyRequests, "refresh_cooldown",
                $"Refresh-now runs at most once a minute and {RefreshNowCooldown.Allowance.PerDay} times a day per account, on any instance; "
                + $"the next is allowed at {cooldownEnds:u}. Nothing was called. " + state.Reason),
            _ => (StatusCodes.Status409Conflict, "refresh_lost_race", "Another writer changed the account's row first; this refresh wrote nothing."),
        };
        if (result == RefreshResult.BackingOff && record.RetryNotBefore is { } until)
            Http.ApiErrors.SetRetryAfter(response, until - now);
        if (result == RefreshResult.Refused && cooldownEnds is { } allowed)
            Http.ApiErrors.SetRetryAfter(response, allowed - now);

        var body = new RefreshNowResult(error, message, account.AppId, account.AgentId, ResultName(result), state.AccessToken, state.Tickets, state.LastError, state.RetryNotBefore);
        return OperationsResults.Json(body, OperationsJsonContext.Answers.RefreshNowResult, status);
    }

    private static string ResultName(RefreshResult result) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(result.ToString());

    [LoggerMessage(LogLevel.Information, "Key {KeyName} asked to refresh {Account} now: {Result}")]
    private partial void LogRefreshNow(string account, string keyName, RefreshResult result);

    [LoggerMessage(LogLevel.Error, "Refresh-now could not read or write the credentials of {Account}")]
    private partial void LogStorageFailed(Exception exception, string account);
}
