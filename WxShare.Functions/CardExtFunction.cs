using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using WxShare.Http;

namespace WxShare.Functions;

/// <summary>The route <see cref="ApiRoutes.CardExt"/>; its attribute repeats the table's row for the Functions host, and a test checks they agree.</summary>
public sealed class CardExtFunction(HttpEdge edge)
{
    [Function("CardExt")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", "options", Route = ApiRoutes.CardExtPath)] HttpRequest request) =>
        edge.HandleAsync(ApiRoutes.CardExt, request);
}
