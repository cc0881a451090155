using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using WxShare.Http;

namespace WxShare.Functions;

/// <summary>The route <see cref="ApiRoutes.ChooseCard"/>; its attribute repeats the table's row for the Functions host, and a test checks they agree.</summary>
public sealed class ChooseCardFunction(HttpEdge edge)
{
    [Function("ChooseCard")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", "options", Route = ApiRoutes.ChooseCardPath)] HttpRequest request) =>
        edge.HandleAsync(ApiRoutes.ChooseCard, request);
}
