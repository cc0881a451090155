using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using WxShare.Signing;

namespace WxShare.Http;

/// <summary>Error answers as JSON, the same from the endpoint and from the standalone host's exception handler.</summary>
public static partial class ErrorResults
{
    public static IResult Json(int statusCode, ApiError error) =>
        TypedResults.Json(error, WxShareJsonContext.Default.ApiError, statusCode: statusCode);

    /// <summary>
    /// A bug or an unforeseen failure: a JSON 500 naming a correlation id (the request's trace identifier) that is
    /// logged with the exception, so an operator can find it; the exception itself never reaches the client.
    /// </summary>
    public static IResult Unexpected(HttpContext context, Exception exception, ILogger logger)
    {
        var correlationId = context.TraceIdentifier;
        LogUnexpected(logger, exception, context.Request.Method, context.Request.Path.Value ?? "", correlationId);
        return Json(StatusCodes.Status500InternalServerError, new ApiError("internal_error",
            $"WxShare failed unexpectedly. Operators can find the cause in the log under correlation id {correlationId}.", correlationId));
    }

    [LoggerMessage(LogLevel.Error, "Unexpected failure answering {Method} {Path}; correlation id {CorrelationId}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, string path, string correlationId);
}
