using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using WxShare.Accounts;
using WxShare.Errors;
using WxShare.Http;
using WxShare.Storage;
using WxShare.WeCom;

namespace WxShare.Signing;

/// <summary>
/// GET /api/jssdk/config?url=...: the signed wx.config for a page. Hosted by the Functions app and by the
/// standalone host alike. Never calls WeChat, and never waits on storage while a valid ticket is in memory.
/// </summary>
public sealed class JsSdkConfigEndpoint(
    PageUrlValidator urlValidator,
    CorsOriginPolicy cors,
    AccountSelector accounts,
    JsapiTicketCache tickets,
    TimeProvider time,
    ApiErrorAdvisor advisor,
    ILogger<JsSdkConfigEndpoint> logger)
{
    public const string Route = "jssdk/config";
    private const int RetryAfterSeconds = 60;
    private const string RetryAfter = "60";

    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await AnswerAsync(request, cancellationToken);
        }
        catch (StorageUnavailableException)
        {
            // The ticket cache has logged the outage once; this answer is the same for every request during it.
            return Unavailable(request, "storage_unavailable", $"The credential store cannot be read right now. Retry after {RetryAfterSeconds} seconds.");
        }
        catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            return ErrorResults.Unexpected(request.HttpContext, e, logger);
        }
    }

    private async Task<IResult> AnswerAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        Telemetry.WxShareMetrics.CountSigningWhenAnswered(request.HttpContext);
        var originAllowed = cors.Apply(request);

        if (HttpMethods.IsOptions(request.Method))
        {
            if (!originAllowed)
                return Error(RejectedRequest.Forbidden("origin_not_allowed", OriginMessage(request)));
            cors.ApplyPreflight(request);
            return TypedResults.NoContent();
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
        var lookup = await tickets.GetAsync(account.StorageKey, cancellationToken);
        if (lookup.Ticket is null)
            return Unavailable(request, "ticket_unavailable", NoTicketMessage(account, lookup));

        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        if (account.Kind == AccountKind.WeCom)
            return lookup.AgentTicket is { } agentTicket
                ? TypedResults.Json(WeComConfigSigner.Sign(account, lookup.Ticket.Value, agentTicket.Value, check.Url!, timestamp), WxShareJsonContext.Default.WeComJsSdkConfig)
                : Unavailable(request, "ticket_unavailable", NoTicketMessage(account, lookup, "agent ticket (wx.agentConfig)"));
        var nonce = JsSdkSignature.NewNonce();
        var signature = JsSdkSignature.Compute(lookup.Ticket.Value, nonce, timestamp, check.Url!);
        return TypedResults.Json(new JsSdkConfig(account.AppId, timestamp, nonce, signature, check.Url!), WxShareJsonContext.Default.JsSdkConfig);
    }

    private static string OriginMessage(HttpRequest request) =>
        $"The origin '{request.Headers.Origin}' is not on an allowed domain, so it gets no CORS grant.";

    private string NoTicketMessage(Account account, TicketLookup lookup, string ticket = "jsapi_ticket") =>
        lookup.LastFailure is { } failure
            ? $"No valid {ticket} is stored. {advisor.Describe(account, failure)} Operators: see the refresh function's log and /api/health. "
              + $"Retry after {RetryAfterSeconds} seconds."
            : $"No valid {ticket} is stored yet: the refresh has not completed (a fresh deployment gets one within minutes). Retry after {RetryAfterSeconds} seconds.";

    private static IResult Unavailable(HttpRequest request, string error, string message)
    {
        request.HttpContext.Response.Headers.RetryAfter = RetryAfter;
        return Error(new RejectedRequest(503, new ApiError(error, message)));
    }

    private static IResult Error(RejectedRequest rejection) => ErrorResults.Json(rejection.StatusCode, rejection.Error);
}
