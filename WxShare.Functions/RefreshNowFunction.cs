using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using WxShare.Operations;

namespace WxShare.Functions;

public sealed class RefreshNowFunction(RefreshNowEndpoint endpoint)
{
    [Function("RefreshNow")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Function, "post", Route = RefreshNowEndpoint.Route)] HttpRequest request) =>
        endpoint.HandleAsync(request, request.HttpContext.RequestAborted);
}
