using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using WxShare.Http;

namespace WxShare.Functions;

/// <summary>The route <see cref="ApiRoutes.Token"/>; its attribute repeats the table's row for the Functions host, and a test checks they agree.</summary>
public sealed class TokenRelayFunction(HttpEdge edge)
{
    [Function("TokenRelay")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.TokenPath)] HttpRequest request) =>
        edge.HandleAsync(ApiRoutes.Token, request);
}
