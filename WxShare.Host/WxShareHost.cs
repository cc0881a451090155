using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using WxShare.Cards;
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

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.Services.AddWxShare(builder.Configuration);
        // Runs the endpoint's IActionResults, as the Functions ASP.NET Core integration does.
        builder.Services.AddMvcCore();
        builder.Services.AddHostedService<ScheduledRefreshService>();
        builder.Services.AddHealthChecks();

        var app = builder.Build();
        app.MapMethods(ConfigRoute, [HttpMethods.Get, HttpMethods.Options], async (HttpContext context, JsSdkConfigEndpoint endpoint) =>
        {
            var result = await endpoint.HandleAsync(context.Request, context.RequestAborted);
            await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
        });
        app.MapMethods("/api/" + CardExtEndpoint.Route, [HttpMethods.Get, HttpMethods.Options], (HttpContext context, CardExtEndpoint endpoint) => endpoint.HandleAsync(context.Request, context.RequestAborted));
        app.MapMethods("/api/" + ChooseCardEndpoint.Route, [HttpMethods.Get, HttpMethods.Options], (HttpContext context, ChooseCardEndpoint endpoint) => endpoint.HandleAsync(context.Request, context.RequestAborted));
        // Health of this process, not of WeChat: a missing ticket shows as 503 on the config route instead.
        app.MapHealthChecks(HealthRoute);
        return app;
    }
}
