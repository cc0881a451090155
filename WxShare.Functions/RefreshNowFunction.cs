using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using WxShare.Http;

namespace WxShare.Functions;

/// <summary>The route <see cref="ApiRoutes.RefreshNow"/>; its attribute repeats the table's row for the Functions host, and a test checks they agree.</summary>
public sealed class RefreshNowFunction(HttpEdge edge)
{
    [Function("RefreshNow")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.RefreshNowPath)] HttpRequest request) =>
        edge.HandleAsync(ApiRoutes.RefreshNow, request);
}
