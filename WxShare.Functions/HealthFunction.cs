using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using WxShare.Http;

namespace WxShare.Functions;

/// <summary>The route <see cref="ApiRoutes.Health"/>; its attribute repeats the table's row for the Functions host, and a test checks they agree.</summary>
public sealed class HealthFunction(HttpEdge edge)
{
    [Function("Health")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.HealthPath)] HttpRequest request) =>
        edge.HandleAsync(ApiRoutes.Health, request);
}
