using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using WxShare.Cards;

namespace WxShare.Functions;

public sealed class ChooseCardFunction(ChooseCardEndpoint endpoint)
{
    [Function("ChooseCard")]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "options", Route = ChooseCardEndpoint.Route)] HttpRequest request) =>
        endpoint.HandleAsync(request, request.HttpContext.RequestAborted);
}
