using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using WxShare.Signing;

namespace WxShare.Functions;

public sealed class JsSdkConfigFunction(JsSdkConfigEndpoint endpoint)
{
    [Function("JsSdkConfig")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "options", Route = JsSdkConfigEndpoint.Route)] HttpRequest request) =>
        endpoint.HandleAsync(request, request.HttpContext.RequestAborted);
}
