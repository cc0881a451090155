using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using WxShare.Operations;

namespace WxShare.Functions;

public sealed class WeChatQuotaFunction(QuotaEndpoint endpoint)
{
    [Function("WeChatQuota")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Function, "get", Route = QuotaEndpoint.Route)] HttpRequest request) =>
        endpoint.HandleAsync(request, request.HttpContext.RequestAborted);
}

public sealed class WeChatRidFunction(RidLookupEndpoint endpoint)
{
    [Function("WeChatRid")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Function, "get", Route = RidLookupEndpoint.Route)] HttpRequest request) =>
        endpoint.HandleAsync(request, request.HttpContext.RequestAborted);
}

public sealed class WeChatClearQuotaFunction(ClearQuotaEndpoint endpoint)
{
    [Function("WeChatClearQuota")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Function, "post", Route = ClearQuotaEndpoint.Route)] HttpRequest request) =>
        endpoint.HandleAsync(request, request.HttpContext.RequestAborted);
}
