using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using WxShare.Diagnosis;
using WxShare.Signing;

namespace WxShare.Http;

/// <summary>The <c>{"error","message"}</c> answer of the IResult routes, serialized by source-generated JSON.</summary>
internal static class JsonErrors
{
    public static JsonHttpResult<ApiError> Of(int statusCode, string error, string message) =>
        TypedResults.Json(new ApiError(error, message), DiagnosisJsonContext.Readable.ApiError, statusCode: statusCode);

    public static JsonHttpResult<ApiError> MethodNotAllowed(HttpResponse response, string allowed)
    {
        response.Headers.Allow = allowed;
        return Of(StatusCodes.Status405MethodNotAllowed, "method_not_allowed", $"Use {allowed}.");
    }
}
