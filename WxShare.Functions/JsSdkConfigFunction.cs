using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using WxShare.Http;

namespace WxShare.Functions;

/// <summary>The route <see cref="ApiRoutes.JsSdkConfig"/>; its attribute repeats the table's row for the Functions host, and a test checks they agree.</summary>
public sealed class JsSdkConfigFunction(HttpEdge edge)
{
    [Function("JsSdkConfig")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", "options", Route = ApiRoutes.ConfigPath)] HttpRequest request) =>
        edge.HandleAsync(ApiRoutes.JsSdkConfig, request);
}
