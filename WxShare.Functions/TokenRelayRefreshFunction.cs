using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using WxShare.Http;

namespace WxShare.Functions;

/// <summary>The route <see cref="ApiRoutes.TokenRefresh"/>; its attribute repeats the table's row for the Functions host, and a test checks they agree.</summary>
public sealed class TokenRelayRefreshFunction(HttpEdge edge)
{
    [Function("TokenRelayRefresh")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.TokenRefreshPath)] HttpRequest request) =>
        edge.HandleAsync(ApiRoutes.TokenRefresh, request);
}
