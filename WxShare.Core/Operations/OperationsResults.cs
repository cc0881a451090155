using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http;
using System.Text.Json.Serialization.Metadata;
using WxShare.Accounts;
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

    /// <summary>
    /// The one "select the account or refuse" of the operator routes: the account the query names (or the only one),
    /// within the call's key, admitted by the route's own condition (<paramref name="admit"/>); else false, and the refusal
    /// to answer with.
    /// </summary>
    public static bool TrySelectAccount(AccountSelector accounts, HttpRequest request, Func<Account, Refusal?>? admit,
        [NotNullWhen(true)] out Account? account, [NotNullWhen(false)] out IResult? refused)
    {
        var selection = accounts.Select(request, AccountUse.Operator, admit);
        if (selection.Rejection is { } rejection)
        {
            (account, refused) = (null, Error(request.HttpContext.Response, rejection));
            return false;
        }
        (account, refused) = (selection.Account!, null);
        return true;
    }

    public static IResult Error(HttpResponse response, int statusCode, string error, string message) =>
        ApiErrors.Write(response, statusCode, error, message);

    /// <summary>503 with Retry-After, for a moment when WeChat or storage cannot give an answer.</summary>
    public static IResult Unavailable(HttpResponse response, string error, string message, TimeSpan retryAfter) =>
        ApiErrors.WriteWithRetry(response, StatusCodes.Status503ServiceUnavailable, error, message, retryAfter);
}
