using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using WxShare.Http;
using WxShare.Operations;
using WxShare.Signing;

namespace WxShare.Host;

/// <summary>
/// WxShare as an ordinary ASP.NET Core process: the Functions app's endpoint and refresh, with the same settings,
/// hosted without the Functions runtime.
/// </summary>
public static class WxShareHost
{
    public const string ConfigRoute = "/api/" + JsSdkConfigEndpoint.Route;
    public const string HealthRoute = "/healthz";

    public static string Api(string route) => "/api/" + route;

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.Services.AddWxShare(builder.Configuration);
        // Runs the endpoint's IActionResults, as the Functions ASP.NET Core integration does.
        builder.Services.AddMvcCore();
        builder.Services.AddHostedService<ScheduledRefreshService>();
        builder.Services.AddHealthChecks();
        builder.Services.AddFunctionKeys(builder.Configuration);
        // Its request lines print the full URL, and a key may travel in the query (code=...).
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);

        var app = builder.Build();
        app.MapMethods(ConfigRoute, [HttpMethods.Get, HttpMethods.Options], async (HttpContext context, JsSdkConfigEndpoint endpoint) =>
        {
            var result = await endpoint.HandleAsync(context.Request, context.RequestAborted);
            await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
        });
        // Health of this process, not of WeChat: a missing ticket shows as 503 on the config route instead.
        app.MapHealthChecks(HealthRoute);
        app.MapGet(Api(HealthEndpoint.Route), (HttpRequest r, HealthEndpoint e) => e.HandleAsync(r, r.HttpContext.RequestAborted));
        app.MapGet(Api(TokenRelayEndpoint.Route), (HttpRequest r, TokenRelayEndpoint e) => e.HandleAsync(r, r.HttpContext.RequestAborted)).RequireFunctionKey();
        app.MapPost(Api(TokenRelayRefreshEndpoint.Route), (HttpRequest r, TokenRelayRefreshEndpoint e) => e.HandleAsync(r, r.HttpContext.RequestAborted)).RequireFunctionKey();
        app.MapPost(Api(RefreshNowEndpoint.Route), (HttpRequest r, RefreshNowEndpoint e) => e.HandleAsync(r, r.HttpContext.RequestAborted)).RequireFunctionKey();
        return app;
    }
}
