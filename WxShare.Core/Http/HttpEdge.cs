using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using WxShare.Signing;
using WxShare.Storage;
using WxShare.Telemetry;

namespace WxShare.Http;

/// <summary>
/// The HTTP edge of every route, in one place: Cache-Control no-store, the route's counter, CORS and the OPTIONS
/// preflight, 405 with Allow, and the answer to a failure (Table Storage not answering → JSON 503 with Retry-After,
/// anything else → JSON 500 with a correlation id), and the route's key (<see cref="KeyCheck"/>, the same on both hosts:
/// every function is AuthorizationLevel.Anonymous, so the Functions host checks nothing itself). The standalone host runs this as an endpoint filter
/// (<see cref="FilterAsync"/>), the Functions app around each function (<see cref="HandleAsync"/>).
/// </summary>
public sealed class HttpEdge(CorsOriginPolicy cors, KeyCheck keys, WxShareMetrics metrics, ILogger<HttpEdge> logger)
{
    /// <summary>The Functions app's way in: the edge, the route's handler, and the answer to whatever it throws.</summary>
    public async Task<IResult> HandleAsync(ApiRoute route, HttpRequest request)
    {
        var context = request.HttpContext;
        IResult answer;
        try
        {
            answer = Admit(route, request) ?? await route.Handle(context.RequestServices, request);
        }
        catch (Exception e) when (!IsCallerGone(e, context))
        {
            answer = Failed(route, context, e);
        }
        Count(route, answer);
        return answer;
    }

    /// <summary>The standalone host's way in: the same edge as an endpoint filter of the route's group.</summary>
    public async ValueTask<object?> FilterAsync(ApiRoute route, EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        object? answer;
        try
        {
            answer = Admit(route, context.Request) ?? await next(invocation);
        }
        catch (Exception e) when (!IsCallerGone(e, context))
        {
            answer = Failed(route, context, e);
        }
        Count(route, answer);
        return answer;
    }

    /// <summary>
    /// The config route's counter, by the status of its answer: every answer of that route is an IResult that states
    /// its status, so it is counted here rather than in a completion callback per request (docs/performance.md).
    /// </summary>
    private void Count(ApiRoute route, object? answer)
    {
        if (route.Counter == RouteCounter.Signing)
            metrics.CountSigning(answer is IStatusCodeHttpResult { StatusCode: { } status } ? status : StatusCodes.Status200OK);
    }

    /// <summary>Answers a preflight, a wrong method or a refused origin; null when the request goes on to the handler.</summary>
    public IResult? Admit(ApiRoute route, HttpRequest request)
    {
        var response = request.HttpContext.Response;
        if (route.NoStore)
            response.Headers.CacheControl = "no-store";

        var originAllowed = route.Cors == CorsPolicy.None || cors.Apply(request);
        if (route.Cors != CorsPolicy.None && HttpMethods.IsOptions(request.Method))
        {
            if (!originAllowed)
                return Refused(route, response, $"The origin '{request.Headers.Origin}' is not on an allowed domain, so it gets no CORS grant.");
            cors.ApplyPreflight(request, route.Allow);
            return TypedResults.NoContent();
        }
        if (!Answers(route, request.Method))
        {
            CountRefusal(route);
            var methods = string.Join(", ", route.Methods);
            return ApiErrors.MethodNotAllowed(response, route.Allow,
                route.Cors == CorsPolicy.None ? $"Use {methods}." : $"Use {methods} (or OPTIONS for a CORS preflight).");
        }
        if (route.Cors == CorsPolicy.PageOriginsOnly && !originAllowed)
            return Refused(route, response, $"The origin '{request.Headers.Origin}' is not on an allowed domain: reports come from the account's pages.");
        var keyRefusal = route.Key.Need switch
        {
            KeyNeed.Required => keys.Require(request.HttpContext, route.Key.Scope!, route.Key.OwnQueryNames),
            KeyNeed.Optional => keys.Optional(request.HttpContext, route.Key.Scope!, route.Key.OwnQueryNames),
            _ => null,
        };
        if (keyRefusal is not null)
        {
            CountRefusal(route);
            return ApiErrors.Refused(response, keyRefusal);
        }
        return null;
    }

    // A loop: this runs on every request, and Any with a lambda over the request allocated a closure each time.
    private static bool Answers(ApiRoute route, string method)
    {
        foreach (var answered in route.Methods)
            if (HttpMethods.Equals(answered, method))
                return true;
        return false;
    }

    private IResult Failed(ApiRoute route, HttpContext context, Exception exception) =>
        // The store has logged the outage (once, not per request); this answer is the same for every request during it.
        exception is StorageUnavailableException or RequestFailedException
            ? ApiErrors.StorageUnavailable(context.Response, route.StorageRetryAfter)
            : ApiErrors.Unexpected(context, exception, logger);

    private IResult Refused(ApiRoute route, HttpResponse response, string message)
    {
        CountRefusal(route);
        return ApiErrors.Refused(response, Refusal.NotAllowed("origin_not_allowed", message));
    }

    private void CountRefusal(ApiRoute route)
    {
        if (route.Counter == RouteCounter.FieldReport)
            metrics.CountFieldReport("rejected");
    }

    private static bool IsCallerGone(Exception e, HttpContext context) =>
        e is OperationCanceledException && context.RequestAborted.IsCancellationRequested;
}
