using System.Text.Json;
using WxShare.Accounts;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using WxShare.Errors;
using WxShare.Http;
using WxShare.Storage;
using WxShare.Refresh;

namespace WxShare.Operations;

/// <summary>
/// POST /api/wechat/token/refresh?appId=…[&amp;agentId=…] with <c>{"accessToken":"…"}</c>, key-protected: a relay caller
/// reports that WeChat or WeCom rejected this token (40001, 40014, 42001). The refresh happens only while it is still the stored token,
/// at most once a minute per account across instances, never for a token under a minute old, and for an official account
/// only once WeChat confirms the token is dead (409 <c>token_still_valid</c> otherwise; see <see cref="RejectedTokenRefresher"/>).
/// Every answer that has a usable token carries it.
/// </summary>
public sealed partial class TokenRelayRefreshEndpoint(
    AccountSelector accounts,
    RejectedTokenRefresher refresher,
    TimeProvider time,
    ApiErrorAdvisor advisor,
    ILogger<TokenRelayRefreshEndpoint> logger)
{
    private const int MaxBodyBytes = 4096;

    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!OperationsResults.TrySelectAccount(accounts, request, TokenRelay.Admit, out var account, out var refused))
            return refused;
        var response = request.HttpContext.Response;

        var rejected = await ReadRejectedTokenAsync(request, cancellationToken);
        if (rejected is null)
            return OperationsResults.Error(response, StatusCodes.Status400BadRequest, "body_invalid",
                $"Send the token {account.Issuer} rejected as JSON: {{\"accessToken\":\"…\"}} (Content-Type: application/json, at most 4 KB).");

        var caller = TokenRelay.Caller(request);
        RejectedTokenRefresh refresh;
        try
        {
            refresh = await refresher.RefreshAsync(account, rejected, cancellationToken);
        }
        catch (StorageUnavailableException e)
        {
            LogStorageFailed(e, account.Display);
            throw; // the edge answers a JSON 503 (ApiErrors.StorageUnavailable)
        }
        LogOutcome(account.Display, caller, refresh.Outcome);

        var now = time.GetUtcNow();
        var retryAfter = (refresh.RetryAt ?? now) - now;
        return refresh.Outcome switch
        {
            RejectedTokenOutcome.Refreshed or RejectedTokenOutcome.AlreadyReplaced => OperationsResults.Json(
                RelayedToken.Of(account, refresh.Token!, refresh.Outcome == RejectedTokenOutcome.Refreshed),
                OperationsJsonContext.Answers.RelayedToken),
            RejectedTokenOutcome.StillValid => OperationsResults.Error(response, StatusCodes.Status409Conflict, "token_still_valid",
                $"{account.Issuer} still accepts this access_token (asked with getcallbackip), so nothing was replaced. If a call with it failed, "
                + "read that call's errcode: only 40001, 40014 and 42001 mean the token is dead."),
            RejectedTokenOutcome.CheckFailed => Refused(response, StatusCodes.Status502BadGateway, "token_check_failed", retryAfter,
                $"Could not ask {account.Issuer} whether the token is dead, so nothing was replaced: the {refresh.Failure!.Call} call failed"
                + (refresh.Failure.ErrorCode is { } checkCode ? $" with errcode {checkCode}" : "") + $" ({refresh.Failure.Message})."),
            RejectedTokenOutcome.NoToken => OperationsResults.Unavailable(response, "token_unavailable",
                $"No access_token is stored for '{account.Display}' yet: the refresh has not completed (see GET /api/health).", TimeSpan.FromSeconds(60)),
            RejectedTokenOutcome.TooNew => Refused(response, StatusCodes.Status409Conflict, "token_too_new", retryAfter,
                $"The stored access_token is under {RejectedTokenRefresher.Interval.TotalSeconds:0} s old, so another would not help. If {account.Issuer} keeps "
                + $"rejecting it, something else fetches tokens for this {(account.AgentId is null ? "appId" : "app")} (a second service, or the secret was reset): find it."),
            RejectedTokenOutcome.ForcedRefreshLimited => Refused(response, StatusCodes.Status429TooManyRequests, "forced_refresh_limited", retryAfter,
                "This account uses the stable token, so a new one is a forced refresh, which WeChat rations: " + refresh.Reason),
            RejectedTokenOutcome.InProgress => Refused(response, StatusCodes.Status409Conflict, "refresh_in_progress", retryAfter,
                "A refresh of this account is running now: GET /api/wechat/token again in a moment for the new token."),
            RejectedTokenOutcome.RateLimited => Refused(response, StatusCodes.Status429TooManyRequests, "refresh_rate_limited", retryAfter,
                $"This account's token was already refreshed for a relay caller within the last {RejectedTokenRefresher.Interval.TotalSeconds:0} s, "
                + "and it is still the stored one. Retry after the time in Retry-After."),
            RejectedTokenOutcome.BackingOff => Refused(response, StatusCodes.Status503ServiceUnavailable, "refresh_backing_off", retryAfter,
                $"{account.Issuer} is left alone until {refresh.RetryAt:u} after a configuration or quota error"
                + (refresh.Failure is { } failure ? ". " + advisor.Describe(account, failure) : ": see GET /api/health.")),
            _ => Refused(response, StatusCodes.Status502BadGateway, "refresh_failed", TimeSpan.FromSeconds(60),
                $"{account.Issuer} did not issue a new token. {advisor.Describe(account, refresh.Failure!)}"),
        };
    }

    private static IResult Refused(HttpResponse response, int status, string error, TimeSpan retryAfter, string message) =>
        Http.ApiErrors.WriteWithRetry(response, status, error, message, retryAfter);

    private static async Task<string?> ReadRejectedTokenAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
            return null;
        try
        {
            if (await BoundedBody.ReadAsync(request, MaxBodyBytes, cancellationToken) is not { } body)
                return null;
            var report = JsonSerializer.Deserialize(body.AsSpan(), OperationsJsonContext.Default.RejectedTokenReport);
            return string.IsNullOrWhiteSpace(report?.AccessToken) ? null : report.AccessToken.Trim();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(LogLevel.Information, "Key {KeyName} reported a rejected access_token of {Account}: {Outcome}")]
    private partial void LogOutcome(string account, string keyName, RejectedTokenOutcome outcome);

    [LoggerMessage(LogLevel.Error, "The token relay could not read or write the credentials of {Account}")]
    private partial void LogStorageFailed(Exception exception, string account);
}
