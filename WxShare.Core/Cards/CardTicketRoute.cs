using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using WxShare.Accounts;
using WxShare.Errors;
using WxShare.Signing;
using WxShare.WeChat;

namespace WxShare.Cards;

/// <summary>
/// What the two card routes share: no-store, CORS as the config route, GET only, the account (named by appId, or the
/// only one) and its stored wx_card api_ticket. Never calls WeChat.
/// </summary>
public sealed partial class CardTicketRoute(
    CorsOriginPolicy cors,
    AccountSelector accounts,
    JsapiTicketCache tickets,
    TimeProvider time,
    ApiErrorAdvisor advisor,
    ILogger<CardTicketRoute> logger)
{
    private const int RetryAfterSeconds = 60;

    /// <summary>Answers a preflight or a wrong method; null when the request is a GET to go on with.</summary>
    public IResult? Begin(HttpRequest request)
    {
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        Telemetry.WxShareMetrics.CountSigningWhenAnswered(request.HttpContext);
        var originAllowed = cors.Apply(request);
        if (HttpMethods.IsOptions(request.Method))
        {
            if (!originAllowed)
                return Error(RejectedRequest.Forbidden("origin_not_allowed",
                    $"The origin '{request.Headers.Origin}' is not on an allowed domain, so it gets no CORS grant."));
            cors.ApplyPreflight(request);
            return TypedResults.NoContent();
        }
        if (HttpMethods.IsGet(request.Method))
            return null;
        request.HttpContext.Response.Headers.Allow = "GET, OPTIONS";
        return Error(new RejectedRequest(405, new ApiError("method_not_allowed", "Use GET (or OPTIONS for a CORS preflight).")));
    }

    /// <summary>The account the request names and its valid card ticket, or the error to answer with.</summary>
    public async Task<(Account? Account, IssuedCredential? Ticket, IResult? Error)> TicketAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var selection = accounts.SelectWithoutPage(request.Query);
        if (selection.Rejection is { } notSelected)
            return (null, null, Error(notSelected));
        var account = selection.Account!;
        if (!account.CardTicket)
            return (null, null, Error(new RejectedRequest(404, new ApiError("card_ticket_disabled",
                $"The account with appId '{account.AppId}' keeps no card api_ticket. Set {account.SettingName("CardTicket")}=true to sign cards for it."))));

        TicketLookup lookup;
        try
        {
            lookup = await tickets.GetAsync(account.StorageKey, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogStorageFailed(e, account.Name);
            return (null, null, Unavailable(request, "storage_unavailable", "The credential store cannot be read right now. Try again shortly."));
        }

        if (lookup.CardTicket is not { } ticket || !ticket.IsValidAt(time.GetUtcNow()))
            return (null, null, Unavailable(request, "ticket_unavailable",
                "No valid card api_ticket is stored yet."
                + (lookup.LastFailure is { } failure ? " " + advisor.Describe(account, failure) : "")
                + $" Retry after {RetryAfterSeconds} seconds."));
        return (account, ticket, null);
    }

    public static JsonHttpResult<ApiError> Error(RejectedRequest rejection) =>
        TypedResults.Json(rejection.Error, CardJson.Relaxed.ApiError, statusCode: rejection.StatusCode);

    private static JsonHttpResult<ApiError> Unavailable(HttpRequest request, string error, string message)
    {
        request.HttpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Error(new RejectedRequest(503, new ApiError(error, message)));
    }

    [LoggerMessage(LogLevel.Error, "Reading the card ticket of account {Account} from Table Storage failed")]
    private partial void LogStorageFailed(Exception exception, string account);
}
