using WxShare.Accounts;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using WxShare.WeChatDiagnostics;

namespace WxShare.Operations;

/// <summary>
/// GET /api/ops/quota?appId=…, key-protected: WeChat's own count of today's quota (openapi/quota/get) for the calls
/// WxShare makes for an official account, with the stored access_token; the reading is kept for health.
/// </summary>
public sealed class QuotaEndpoint(AccountSelector accounts, WeChatQuotaService quota, TimeProvider time, ILogger<QuotaEndpoint> logger)
{

    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!OperationsResults.TrySelectAccount(accounts, request, WeChatDiagnosticsResults.OfficialAccountOnly, out var account, out var refused))
            return refused;
        return await WeChatDiagnosticsResults.AnswerAsync(request, account, time, logger,
            () => quota.ReadNowAsync(account, cancellationToken),
            outcome => OperationsResults.Json(Report(account.AppId, outcome), WeChatDiagnosticsJsonContext.Default.QuotaReport));
    }

    internal static QuotaReport Report(string appId, QuotaOutcome outcome) =>
        new(appId, outcome.ReadAt, WeChat.BeijingCalendar.NextMidnight(outcome.ReadAt), outcome.Readings ?? []);
}
