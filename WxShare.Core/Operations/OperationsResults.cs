using Microsoft.AspNetCore.Http;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.HttpResults;
using WxShare.Http;
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

    /// <summary>The errors every route answers with (<see cref="ErrorResults"/>), not cached.</summary>
    public static IResult Error(HttpResponse response, RejectedRequest rejection)
    {
        response.Headers.CacheControl = "no-store";
        return ErrorResults.Json(rejection.StatusCode, rejection.Error);
    }

    public static IResult Error(HttpResponse response, int statusCode, string error, string message) =>
        Error(response, new RejectedRequest(statusCode, new ApiError(error, message)));

    /// <summary>503 with Retry-After, for a moment when WeChat or storage cannot give an answer.</summary>
    public static IResult Unavailable(HttpResponse response, string error, string message, TimeSpan retryAfter)
    {
        SetRetryAfter(response, retryAfter);
        return Error(response, StatusCodes.Status503ServiceUnavailable, error, message);
    }

    /// <summary>Whole seconds, rounded up and at least one, so a client never retries before the time given.</summary>
    public static void SetRetryAfter(HttpResponse response, TimeSpan retryAfter) =>
        response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString();

    public static IResult StorageUnavailable(HttpResponse response) =>
        Unavailable(response, "storage_unavailable", "The credential store cannot be read right now. Try again shortly.",
            TimeSpan.FromSeconds(StorageRetryAfterSeconds));
}
