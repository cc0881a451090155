using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using OpenTelemetry.Metrics;
using WxShare.Diagnosis;
using WxShare.Signing;
using WxShare.Telemetry;

namespace WxShare.Host;

/// <summary>
/// WxShare as an ordinary ASP.NET Core process: the Functions app's endpoint and refresh, with the same settings,
/// hosted without the Functions runtime.
/// </summary>
public static class WxShareHost
{
    public const string ConfigRoute = "/api/" + JsSdkConfigEndpoint.Route;
    public const string HealthRoute = "/healthz";
    public const string DiagnoseRoute = "/api/" + JsSdkDiagnoseEndpoint.Route;
    public const string ReportRoute = "/api/" + FieldReportEndpoint.Route;
    public const string PrometheusSetting = "Metrics:Prometheus";
    public const string PrometheusRoute = "/metrics";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.Services.AddWxShare(builder.Configuration);
        // Runs the endpoint's IActionResults, as the Functions ASP.NET Core integration does.
        builder.Services.AddMvcCore();
        builder.Services.AddHostedService<ScheduledRefreshService>();
        builder.Services.AddHealthChecks();
        var prometheus = PrometheusEnabled(builder.Configuration);
        var telemetry = builder.Services.AddWxShareOpenTelemetry(builder.Configuration);
        if (prometheus)
            telemetry.WithMetrics(metrics => metrics.AddPrometheusExporter());

        var app = builder.Build();
        app.MapMethods(ConfigRoute, [HttpMethods.Get, HttpMethods.Options], async (HttpContext context, JsSdkConfigEndpoint endpoint) =>
        {
            var result = await endpoint.HandleAsync(context.Request, context.RequestAborted);
            await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
        });
        // Health of this process, not of WeChat: a missing ticket shows as 503 on the config route instead.
        app.MapHealthChecks(HealthRoute);
        // Key protected in Azure (a function key); here the relay's key filter (Relay__Keys) is added to this line at merge.
        app.MapGet(DiagnoseRoute, (HttpContext context, JsSdkDiagnoseEndpoint endpoint) => endpoint.HandleAsync(context.Request, context.RequestAborted));
        app.MapMethods(ReportRoute, [HttpMethods.Post, HttpMethods.Options], (HttpContext context, FieldReportEndpoint endpoint) => endpoint.HandleAsync(context.Request, context.RequestAborted));
        if (prometheus)
            app.MapPrometheusScrapingEndpoint(PrometheusRoute);
        return app;
    }

    private static bool PrometheusEnabled(IConfiguration configuration) =>
        configuration[PrometheusSetting] is not { } value || string.IsNullOrWhiteSpace(value) ? false
        : bool.TryParse(value, out var enabled) ? enabled
        : throw new InvalidOperationException($"Metrics__Prometheus '{value}' is not true or false.");
}
