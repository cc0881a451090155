using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using WxShare.Accounts;

namespace WxShare.Signing;

/// <summary>
/// GET /api/jssdk/config?url=...: the signed wx.config for a page. Hosted by the Functions app and by the
/// standalone host alike. Never calls WeChat.
/// </summary>
public sealed partial class JsSdkConfigEndpoint(
    PageUrlValidator urlValidator,
    CorsOriginPolicy cors,
    AccountSelector accounts,
    JsapiTicketCache tickets,
    TimeProvider time,
    ILogger<JsSdkConfigEndpoint> logger)
{
    public const string Route = "jssdk/config";
    private const int RetryAfterSeconds = 60;

    public async Task<IActionResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        Telemetry.WxShareMetrics.CountSigningWhenAnswered(request.HttpContext);
        var originAllowed = cors.Apply(request);

        if (HttpMethods.IsOptions(request.Method))
        {
            if (!originAllowed)
                return Error(RejectedRequest.Forbidden("origin_not_allowed", OriginMessage(request)));
            cors.ApplyPreflight(request);
            return new NoContentResult();
        }
        if (!HttpMethods.IsGet(request.Method))
        {
            request.HttpContext.Response.Headers.Allow = "GET, OPTIONS";
            return Error(new RejectedRequest(405, new ApiError("method_not_allowed", "Use GET (or OPTIONS for a CORS preflight).")));
        }

        var check = urlValidator.Check(request.Query);
        if (check.Rejection is { } rejection)
            return Error(rejection);

        var selection = accounts.Select(request.Query, check.Page!);
        if (selection.Rejection is { } notSelected)
            return Error(notSelected);
        var account = selection.Account!;

        TicketLookup lookup;
        try
        {
            lookup = await tickets.GetAsync(account.StorageKey, cancellationToken);
        }
        catch (RequestFailedException e)
        {
            LogStorageFailed(e, account.Name);
            return Unavailable(request, "storage_unavailable", "The credential store cannot be read right now. Try again shortly.");
        }

        if (lookup.Ticket is null)
            return Unavailable(request, "ticket_unavailable", NoTicketMessage(lookup));

        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        var nonce = JsSdkSignature.NewNonce();
        var signature = JsSdkSignature.Compute(lookup.Ticket.Value, nonce, timestamp, check.Url!);
        return new OkObjectResult(new JsSdkConfig(account.AppId, timestamp, nonce, signature, check.Url!));
    }

    private static string OriginMessage(HttpRequest request) =>
        $"The origin '{request.Headers.Origin}' is not on an allowed domain, so it gets no CORS grant.";

    private static string NoTicketMessage(TicketLookup lookup) =>
        lookup.LastFailure is { } failure
            ? $"No valid jsapi_ticket is stored: the last refresh failed at the {failure.Call} call"
              + (failure.ErrorCode is { } code ? $" with WeChat errcode {code}" : "")
              + $" at {failure.At:u}. Operators: see the refresh function's log. Retry after {RetryAfterSeconds} seconds."
            : $"No valid jsapi_ticket is stored yet: the refresh has not completed (a fresh deployment gets one within minutes). Retry after {RetryAfterSeconds} seconds.";

    private static ObjectResult Unavailable(HttpRequest request, string error, string message)
    {
        request.HttpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString();
        return Error(new RejectedRequest(503, new ApiError(error, message)));
    }

    private static ObjectResult Error(RejectedRequest rejection) =>
        new(rejection.Error) { StatusCode = rejection.StatusCode, ContentTypes = { "application/json" } };

    [LoggerMessage(LogLevel.Error, "Reading the credentials of account {Account} from Table Storage failed")]
    private partial void LogStorageFailed(Exception exception, string account);
}
