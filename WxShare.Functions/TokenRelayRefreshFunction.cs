using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using WxShare.Operations;

namespace WxShare.Functions;

public sealed class TokenRelayRefreshFunction(TokenRelayRefreshEndpoint endpoint)
{
    [Function("TokenRelayRefresh")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Function, "post", Route = TokenRelayRefreshEndpoint.Route)] HttpRequest request) =>
        endpoint.HandleAsync(request, request.HttpContext.RequestAborted);
}
