using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using WxShare.Signing;

namespace WxShare.Functions;

public sealed class JsSdkConfigFunction(JsSdkConfigEndpoint endpoint)
{
    // The ASP.NET Core integration executes the IResult, as the standalone host's minimal API does.
    [Function("JsSdkConfig")]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "options", Route = JsSdkConfigEndpoint.Route)] HttpRequest request) =>
        endpoint.HandleAsync(request, request.HttpContext.RequestAborted);
}
