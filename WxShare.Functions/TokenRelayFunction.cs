using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using WxShare.Operations;

namespace WxShare.Functions;

public sealed class TokenRelayFunction(TokenRelayEndpoint endpoint)
{
    [Function("TokenRelay")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Function, "get", Route = TokenRelayEndpoint.Route)] HttpRequest request) =>
        endpoint.HandleAsync(request, request.HttpContext.RequestAborted);
}
