using Microsoft.AspNetCore.Http;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.HttpResults;
using WxShare.Http;

namespace WxShare.Operations;

/// <summary>How the operator routes answer, after the edge (no-store, key): source-generated JSON, errors through <see cref="ApiErrors"/>.</summary>
internal static class OperationsResults
{
    public static readonly TimeSpan StorageRetryAfter = TimeSpan.FromSeconds(30);

    public static JsonHttpResult<T> Json<T>(T value, JsonTypeInfo<T> type, int statusCode = StatusCodes.Status200OK) =>
        TypedResults.Json(value, type, statusCode: statusCode);

    public static IResult Error(HttpResponse response, Refusal refusal) => ApiErrors.Refused(response, refusal);

    public static IResult Error(HttpResponse response, int statusCode, string error, string message) =>
        ApiErrors.Write(response, statusCode, error, message);

    /// <summary>503 with Retry-After, for a moment when WeChat or storage cannot give an answer.</summary>
    public static IResult Unavailable(HttpResponse response, string error, string message, TimeSpan retryAfter) =>
        ApiErrors.WriteWithRetry(response, StatusCodes.Status503ServiceUnavailable, error, message, retryAfter);
}
