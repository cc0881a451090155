using WxShare.Accounts;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using WxShare.WeChatDiagnostics;

namespace WxShare.Operations;

/// <summary>
/// GET /api/ops/rid?appId=…&amp;rid=…, key-protected: what WeChat saw of a failed call (openapi/rid/get), by the rid
/// its errmsg ended with; every token, secret and ticket masked.
/// </summary>
public sealed class RidLookupEndpoint(AccountSelector accounts, RidLookupService lookup, TimeProvider time, ILogger<RidLookupEndpoint> logger)
{
    public const string RidParameter = "rid";

    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!OperationsResults.TrySelectAccount(accounts, request, WeChatDiagnosticsResults.OfficialAccountOnly, out var account, out var refused))
            return refused;
        var rid = request.Query[RidParameter].ToString().Trim();
        if (!RidLookupService.IsWellFormed(rid))
            return OperationsResults.Error(request.HttpContext.Response, StatusCodes.Status400BadRequest, rid.Length == 0 ? "rid_missing" : "rid_invalid",
                $"Give the rid WeChat's errmsg ended with as '?{RidParameter}=…': three groups of 8 hex digits, e.g. 6650a1c2-3b4d5e6f-7a8b9c0d.");
        return await WeChatDiagnosticsResults.AnswerAsync(request, account, time, logger,
            () => lookup.LookUpAsync(account, rid, cancellationToken),
            outcome => OperationsResults.Json(
                new RidReport(account.AppId, rid, outcome.Call!.InvokeTime, outcome.Call.CostInMs, outcome.Call.ClientIp,
                    outcome.Call.RequestUrl, outcome.Call.RequestBody, outcome.Call.ResponseBody),
                WeChatDiagnosticsJsonContext.Default.RidReport));
    }
}
