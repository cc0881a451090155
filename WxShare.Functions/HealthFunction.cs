using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using WxShare.Operations;

namespace WxShare.Functions;

public sealed class HealthFunction(HealthEndpoint endpoint)
{
    [Function("Health")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = HealthEndpoint.Route)] HttpRequest request) =>
        endpoint.HandleAsync(request, request.HttpContext.RequestAborted);
}
