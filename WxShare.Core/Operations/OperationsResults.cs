using Microsoft.AspNetCore.Http;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.HttpResults;
using WxShare.Signing;

namespace WxShare.Operations;

/// <summary>How the operator routes answer: source-generated JSON, never cached, errors as <c>{"error","message"}</c>.</summary>
internal static class OperationsResults
{
    public const int StorageRetryAfterSeconds = 30;

    public static JsonHttpResult<T> Json<T>(HttpResponse response, T value, JsonTypeInfo<T> type, int statusCode = StatusCodes.Status200OK)
    {
        response.Headers.CacheControl = "no-store";
        return TypedResults.Json(value, type, statusCode: statusCode);
    }

    public static JsonHttpResult<ApiError> Error(HttpResponse response, RejectedRequest rejection) =>
        Json(response, rejection.Error, OperationsJsonContext.Default.ApiError, rejection.StatusCode);

    public static JsonHttpResult<ApiError> Error(HttpResponse response, int statusCode, string error, string message) =>
        Error(response, new RejectedRequest(statusCode, new ApiError(error, message)));

    /// <summary>503 with Retry-After, for a moment when WeChat or storage cannot give an answer.</summary>
    public static JsonHttpResult<ApiError> Unavailable(HttpResponse response, string error, string message, TimeSpan retryAfter)
    {
        SetRetryAfter(response, retryAfter);
        return Error(response, StatusCodes.Status503ServiceUnavailable, error, message);
    }

    /// <summary>Whole seconds, rounded up and at least one, so a client never retries before the time given.</summary>
    public static void SetRetryAfter(HttpResponse response, TimeSpan retryAfter) =>
        response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString();

    public static JsonHttpResult<ApiError> StorageUnavailable(HttpResponse response) =>
        Unavailable(response, "storage_unavailable", "The credential store cannot be read right now. Try again shortly.",
            TimeSpan.FromSeconds(StorageRetryAfterSeconds));
}
