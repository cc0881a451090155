using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using WxShare.Storage;
using WxShare.WeChatDiagnostics;

namespace WxShare.Operations;

/// <summary>
/// GET /api/ops/quota?appId=…, key-protected: WeChat's own count of today's quota (openapi/quota/get) for the calls
/// WxShare makes for an official account, with the stored access_token; the reading is kept for health.
/// </summary>
public sealed partial class QuotaEndpoint(OperatorAccounts accounts, WeChatQuotaService quota, TimeProvider time, ILogger<QuotaEndpoint> logger)
{
    public const string Route = "ops/quota";

    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var response = request.HttpContext.Response;
        var (account, rejection) = WeChatDiagnosticsResults.OfficialAccount(accounts, request);
        if (account is null)
            return rejection!;
        QuotaOutcome outcome;
        try
        {
            outcome = await quota.ReadNowAsync(account, cancellationToken);
        }
        catch (StorageUnavailableException e)
        {
            LogStorageFailed(e, account.AppId);
            return OperationsResults.StorageUnavailable(response);
        }
        return outcome.Failure is { } failure
            ? WeChatDiagnosticsResults.Failure(response, failure, time)
            : OperationsResults.Json(response, Report(account.AppId, outcome), WeChatDiagnosticsJsonContext.Default.QuotaReport);
    }

    internal static QuotaReport Report(string appId, QuotaOutcome outcome) =>
        new(appId, outcome.ReadAt, WeChat.BeijingCalendar.NextMidnight(outcome.ReadAt), outcome.Readings ?? []);

    [LoggerMessage(LogLevel.Error, "The quota route could not read the credentials of {AppId}")]
    private partial void LogStorageFailed(Exception exception, string appId);
}
