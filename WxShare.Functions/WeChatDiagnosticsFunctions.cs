using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using WxShare.Http;

namespace WxShare.Functions;

/// <summary>The route <see cref="ApiRoutes.Quota"/>; its attribute repeats the table's row for the Functions host, and a test checks they agree.</summary>
public sealed class WeChatQuotaFunction(HttpEdge edge)
{
    [Function("WeChatQuota")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.QuotaPath)] HttpRequest request) =>
        edge.HandleAsync(ApiRoutes.Quota, request);
}

/// <summary>The route <see cref="ApiRoutes.Rid"/>.</summary>
public sealed class WeChatRidFunction(HttpEdge edge)
{
    [Function("WeChatRid")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.RidPath)] HttpRequest request) =>
        edge.HandleAsync(ApiRoutes.Rid, request);
}

/// <summary>The route <see cref="ApiRoutes.ClearQuota"/>.</summary>
public sealed class WeChatClearQuotaFunction(HttpEdge edge)
{
    [Function("WeChatClearQuota")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.ClearQuotaPath)] HttpRequest request) =>
        edge.HandleAsync(ApiRoutes.ClearQuota, request);
}
