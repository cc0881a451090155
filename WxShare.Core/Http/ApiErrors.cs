using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using WxShare.Signing;

namespace WxShare.Http;

/// <summary>
/// The one writer of <c>{"error","message"}</c> answers, for every route on both hosts: a domain <see cref="Refusal"/>
/// mapped to its status code here, an operator route's own status, a storage outage, and an unexpected failure.
/// </summary>
public static partial class ApiErrors
{
    private static readonly WxShareJsonContext Json = new(WxShareJson.Options());

    public static IResult Write(HttpResponse response, int statusCode, string error, string message) =>
        TypedResults.Json(new ApiError(error, message), Json.ApiError, statusCode: statusCode);

    public static IResult Write(HttpResponse response, int statusCode, ApiError error) =>
        TypedResults.Json(error, Json.ApiError, statusCode: statusCode);

    /// <summary>A domain refusal, with Retry-After when it says when to try again.</summary>
    public static IResult Refused(HttpResponse response, Refusal refusal)
    {
        if (refusal.RetryAfter is { } retryAfter)
            SetRetryAfter(response, retryAfter);
        return Write(response, StatusOf(refusal.Kind), refusal.Error);
    }

    public static int StatusOf(RefusalKind kind) => kind switch
    {
        RefusalKind.Invalid => StatusCodes.Status400BadRequest,
        RefusalKind.NotAllowed => StatusCodes.Status403Forbidden,
        RefusalKind.NotFound => StatusCodes.Status404NotFound,
        RefusalKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        RefusalKind.TooMany => StatusCodes.Status429TooManyRequests,
        RefusalKind.Unauthenticated => StatusCodes.Status401Unauthorized,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>An error with its own status (an operator route's 409 or 429), and Retry-After.</summary>
    public static IResult WriteWithRetry(HttpResponse response, int statusCode, string error, string message, TimeSpan retryAfter)
    {
        SetRetryAfter(response, retryAfter);
        return Write(response, statusCode, error, message);
    }

    /// <summary>Table Storage did not answer: 503 with Retry-After, on every route alike.</summary>
    public static IResult StorageUnavailable(HttpResponse response, TimeSpan retryAfter) =>
        WriteWithRetry(response, StatusCodes.Status503ServiceUnavailable, "storage_unavailable",
            $"The credential store cannot be read right now. Retry after {Seconds(retryAfter)} seconds.", retryAfter);

    public static IResult MethodNotAllowed(HttpResponse response, string allowed, string message)
    {
        response.Headers.Allow = allowed;
        return Write(response, StatusCodes.Status405MethodNotAllowed, "method_not_allowed", message);
    }

    /// <summary>
    /// A bug or an unforeseen failure: a JSON 500 naming a correlation id (the request's trace identifier) that is
    /// logged with the exception, so an operator can find it; the exception itself never reaches the client.
    /// </summary>
    public static IResult Unexpected(HttpContext context, Exception exception, ILogger logger)
    {
        var correlationId = context.TraceIdentifier;
        LogUnexpected(logger, exception, context.Request.Method, context.Request.Path.Value ?? "", correlationId);
        return Write(context.Response, StatusCodes.Status500InternalServerError, new ApiError("internal_error",
            $"WxShare failed unexpectedly. Operators can find the cause in the log under correlation id {correlationId}.", correlationId));
    }

    /// <summary>Whole seconds, rounded up and at least one, so a client never retries before the time given.</summary>
    public static void SetRetryAfter(HttpResponse response, TimeSpan retryAfter) =>
        response.Headers.RetryAfter = Seconds(retryAfter);

    private static string Seconds(TimeSpan retryAfter) =>
        Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(LogLevel.Error, "Unexpected failure answering {Method} {Path}; correlation id {CorrelationId}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, string path, string correlationId);
}
