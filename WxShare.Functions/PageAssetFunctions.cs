using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using WxShare.Page;

namespace WxShare.Functions;

/// <summary>The page helper (classic script and ES module) and its demo page.</summary>
public sealed class PageAssetFunctions(PageAssetEndpoint endpoint)
{
    [Function("WxShareScript")]
    public IResult Script([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PageAssetEndpoint.ScriptRoute)] HttpRequest request) =>
        endpoint.ServeScript(request);

    [Function("WxShareModule")]
    public IResult Module([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PageAssetEndpoint.ModuleRoute)] HttpRequest request) =>
        endpoint.ServeModule(request);

    [Function("Demo")]
    public IResult Demo([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PageAssetEndpoint.DemoRoute)] HttpRequest request) =>
        endpoint.ServeDemo(request);
}
