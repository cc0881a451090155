using WxShare.Http;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using WxShare.Accounts;
using WxShare.Signing;
using WxShare.Storage;
using WxShare.WeChatDiagnostics;

namespace WxShare.Operations;

/// <summary>The body of GET /api/ops/quota: WeChat's count per API path WxShare calls, and when it resets (midnight Beijing time).</summary>
public sealed record QuotaReport(string AppId, DateTimeOffset ReadAt, DateTimeOffset ResetsAt, IReadOnlyList<QuotaReading> Calls);

/// <summary>The body of GET /api/ops/rid: what WeChat saw of the call, every token, secret and ticket masked as <c>***</c>.</summary>
public sealed record RidReport(
    string AppId, string Rid, DateTimeOffset? InvokeTime, long? CostInMs, string? ClientIp, string? RequestUrl, string? RequestBody, string? ResponseBody);

/// <summary>The body of POST /api/ops/clear-quota: the month's count of clearings (10 allowed) and the quota read right after.</summary>
public sealed record ClearQuotaReport(
    string AppId, string Message, string Month, int ClearsThisMonth, int ClearsLeftThisMonth,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] QuotaReport? Quota);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(QuotaReport))]
[JsonSerializable(typeof(RidReport))]
[JsonSerializable(typeof(ClearQuotaReport))]
internal sealed partial class WeChatDiagnosticsJsonContext : JsonSerializerContext;

/// <summary>What the three WeChat-diagnostics routes share: the account they act on, and how a failure is answered.</summary>
internal static partial class WeChatDiagnosticsResults
{
    /// <summary>Runs a route's service and answers: 503 on a storage outage, the failure it returned, else its report.</summary>
    public static async Task<IResult> AnswerAsync<TOutcome>(HttpRequest request, Account account, TimeProvider time, ILogger logger,
        Func<Task<TOutcome>> run, Func<TOutcome, IResult> report) where TOutcome : IDiagnosticsOutcome
    {
        var response = request.HttpContext.Response;
        TOutcome outcome;
        try
        {
            outcome = await run();
        }
        catch (StorageUnavailableException e)
        {
            LogStorageFailed(logger, e, request.Path, account.AppId);
            throw; // the edge answers a JSON 503 (ApiErrors.StorageUnavailable)
        }
        return outcome.Failure is { } failure ? Failure(response, failure, time) : report(outcome);
    }

    /// <summary>The three routes' condition on the selected account (<see cref="OperationsResults.TrySelectAccount"/>): not a WeCom app, as these are WeChat's official-account APIs.</summary>
    public static Refusal? OfficialAccountOnly(Account account) =>
        account.Kind == AccountKind.WeCom
            ? Refusal.Invalid("not_an_official_account",
                $"{account.Display} is a WeCom app: quota/get, rid/get and clear_quota are WeChat's official-account APIs; WeCom has none of them.")
            : null;

    public static IResult Failure(HttpResponse response, DiagnosticsFailure failure, TimeProvider time)
    {
        var (status, error) = failure.Kind switch
        {
            DiagnosticsFailureKind.NoToken => (StatusCodes.Status503ServiceUnavailable, "token_unavailable"),
            DiagnosticsFailureKind.RidUnknown => (StatusCodes.Status404NotFound, "rid_unknown"),
            DiagnosticsFailureKind.RidMalformed => (StatusCodes.Status400BadRequest, "rid_invalid"),
            DiagnosticsFailureKind.LeasedByOther => (StatusCodes.Status409Conflict, "refresh_in_progress"),
            DiagnosticsFailureKind.LostRace => (StatusCodes.Status409Conflict, "lost_race"),
            DiagnosticsFailureKind.MonthlyBudgetSpent => (StatusCodes.Status429TooManyRequests, "clear_quota_budget_spent"),
            DiagnosticsFailureKind.WeChatMonthlyLimit => (StatusCodes.Status429TooManyRequests, "wechat_clear_quota_limit"),
            DiagnosticsFailureKind.WeChatUnreachable => (StatusCodes.Status502BadGateway, "wechat_unreachable"),
            _ => (StatusCodes.Status502BadGateway, "wechat_refused"),
        };
        if (failure.RetryAt is { } at)
            ApiErrors.SetRetryAfter(response, at - time.GetUtcNow());
        else if (failure.Kind == DiagnosticsFailureKind.NoToken)
            ApiErrors.SetRetryAfter(response, TimeSpan.FromSeconds(60));
        return OperationsResults.Error(response, status, error, failure.Message);
    }

    [LoggerMessage(LogLevel.Error, "{Path} could not read or write the credentials of {AppId}")]
    private static partial void LogStorageFailed(ILogger logger, Exception exception, PathString path, string appId);
}
