using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using WxShare.Http;

namespace WxShare.Functions;

/// <summary>The page helper (classic script and ES module) and its demo page: the rows <see cref="ApiRoutes.Script"/>, <see cref="ApiRoutes.Module"/> and <see cref="ApiRoutes.Demo"/>.</summary>
public sealed class PageAssetFunctions(HttpEdge edge)
{
    [Function("WxShareScript")]
    public Task<IResult> Script([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.ScriptPath)] HttpRequest request) =>
        edge.HandleAsync(ApiRoutes.Script, request);

    [Function("WxShareModule")]
    public Task<IResult> Module([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.ModulePath)] HttpRequest request) =>
        edge.HandleAsync(ApiRoutes.Module, request);

    [Function("Demo")]
    public Task<IResult> Demo([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.DemoPath)] HttpRequest request) =>
        edge.HandleAsync(ApiRoutes.Demo, request);
}
