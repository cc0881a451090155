using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using WxShare.Storage;
using WxShare.WeChatDiagnostics;

namespace WxShare.Operations;

/// <summary>
/// GET /api/ops/rid?appId=…&amp;rid=…, key-protected: what WeChat saw of a failed call (openapi/rid/get), by the rid
/// its errmsg ended with; every token, secret and ticket masked.
/// </summary>
public sealed partial class RidLookupEndpoint(OperatorAccounts accounts, RidLookupService lookup, TimeProvider time, ILogger<RidLookupEndpoint> logger)
{
    public const string Route = "ops/rid";
    public const string RidParameter = "rid";

    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var response = request.HttpContext.Response;
        var (account, rejection) = WeChatDiagnosticsResults.OfficialAccount(accounts, request);
        if (account is null)
            return rejection!;
        var rid = request.Query[RidParameter].ToString().Trim();
        if (!RidLookupService.IsWellFormed(rid))
            return OperationsResults.Error(response, StatusCodes.Status400BadRequest, rid.Length == 0 ? "rid_missing" : "rid_invalid",
                $"Give the rid WeChat's errmsg ended with as '?{RidParameter}=…': three groups of 8 hex digits, e.g. 6650a1c2-3b4d5e6f-7a8b9c0d.");
        RidOutcome outcome;
        try
        {
            outcome = await lookup.LookUpAsync(account, rid, cancellationToken);
        }
        catch (StorageUnavailableException e)
        {
            LogStorageFailed(e, account.AppId);
            return OperationsResults.StorageUnavailable(response);
        }
        if (outcome.Failure is { } failure)
            return WeChatDiagnosticsResults.Failure(response, failure, time);
        var call = outcome.Call!;
        return OperationsResults.Json(response,
            new RidReport(account.AppId, call.Rid, call.InvokeTime, call.CostInMs, call.ClientIp, call.RequestUrl, call.RequestBody, call.ResponseBody),
            WeChatDiagnosticsJsonContext.Default.RidReport);
    }

    [LoggerMessage(LogLevel.Error, "The rid route could not read the credentials of {AppId}")]
    private partial void LogStorageFailed(Exception exception, string appId);
}
