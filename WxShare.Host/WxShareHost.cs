using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using WxShare.Host.OpenApi;
using WxShare.Http;
using WxShare.Operations;
using WxShare.Page;
using WxShare.Cards;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
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
    public const string DemoRoute = "/api/" + PageAssetEndpoint.DemoRoute;
    public const string HealthRoute = "/healthz";
    public const string DiagnoseRoute = "/api/" + JsSdkDiagnoseEndpoint.Route;
    public const string ReportRoute = "/api/" + FieldReportEndpoint.Route;
    public const string PrometheusSetting = "Metrics:Prometheus";
    public const string PrometheusRoute = "/metrics";

    public static string Api(string route) => "/api/" + route;

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // Its own folder as content root, so appsettings.json (log levels included) loads wherever it is started from.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            // Named for itself even under a test runner: the OpenAPI document tags its routes with it.
            ApplicationName = typeof(WxShareHost).Assembly.GetName().Name,
        });
        configure?.Invoke(builder);
        builder.Services.AddWxShare(builder.Configuration);
        builder.Services.AddHostedService<ScheduledRefreshService>();
        builder.Services.AddHealthChecks();
        builder.Services.AddWxShareOpenApi();
        var benchmark = BenchmarkRoutes.IsEnabled(builder.Configuration);
        // Its request lines print the full URL, and a key may travel in the query (code=...). Off entirely, not just
        // above Warning: while the category is enabled at any level, hosting opens a log scope for every request
        // (docs/performance.md). Start-up failures still surface: Program prints them (BadSettingsExit) or they throw.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        var prometheus = PrometheusEnabled(builder.Configuration);
        // Named, so that scrapes and OTLP show "WxShare" rather than unknown_service (OTEL_SERVICE_NAME still wins).
        var telemetry = builder.Services.AddWxShareOpenTelemetry(builder.Configuration)
            .ConfigureResource(resource => resource.AddService(builder.Configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : "WxShare"));
        if (prometheus)
            telemetry.WithMetrics(metrics => metrics.AddPrometheusExporter());

        var app = builder.Build();
        // Whatever fails outside the endpoint (which answers its own errors) is still a JSON 500 with a correlation id.
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = context => ErrorResults.Unexpected(context, context.Features.GetRequiredFeature<IExceptionHandlerFeature>().Error,
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WxShareHost))).ExecuteAsync(context),
        });
        app.MapMethods(ConfigRoute, [HttpMethods.Get, HttpMethods.Options],
            (HttpContext context, JsSdkConfigEndpoint endpoint) => endpoint.HandleAsync(context.Request, context.RequestAborted));
        app.MapGet("/api/" + PageAssetEndpoint.ScriptRoute, (HttpRequest request, PageAssetEndpoint page) => page.ServeScript(request));
        app.MapGet("/api/" + PageAssetEndpoint.ModuleRoute, (HttpRequest request, PageAssetEndpoint page) => page.ServeModule(request));
        app.MapGet(DemoRoute, (HttpRequest request, PageAssetEndpoint page) => page.ServeDemo(request));
        app.MapMethods("/api/" + CardExtEndpoint.Route, [HttpMethods.Get, HttpMethods.Options], (HttpContext context, CardExtEndpoint endpoint) => endpoint.HandleAsync(context.Request, context.RequestAborted));
        app.MapMethods("/api/" + ChooseCardEndpoint.Route, [HttpMethods.Get, HttpMethods.Options], (HttpContext context, ChooseCardEndpoint endpoint) => endpoint.HandleAsync(context.Request, context.RequestAborted));
        // Health of this process, not of WeChat: a missing ticket shows as 503 on the config route instead.
        app.MapHealthChecks(HealthRoute);
        app.MapOpenApi(WxShareOpenApi.DocumentPath);
        app.MapGet(Api(HealthEndpoint.Route), (HttpRequest r, HealthEndpoint e) => e.HandleAsync(r, r.HttpContext.RequestAborted));
        app.MapGet(Api(TokenRelayEndpoint.Route), (HttpRequest r, TokenRelayEndpoint e) => e.HandleAsync(r, r.HttpContext.RequestAborted)).RequireKey(KeyRoutes.Relay);
        app.MapPost(Api(TokenRelayRefreshEndpoint.Route), (HttpRequest r, TokenRelayRefreshEndpoint e) => e.HandleAsync(r, r.HttpContext.RequestAborted)).RequireKey(KeyRoutes.RelayRefresh);
        app.MapPost(Api(RefreshNowEndpoint.Route), (HttpRequest r, RefreshNowEndpoint e) => e.HandleAsync(r, r.HttpContext.RequestAborted)).RequireKey(KeyRoutes.Ops);
        app.MapGet(Api(QuotaEndpoint.Route), (HttpRequest r, QuotaEndpoint e) => e.HandleAsync(r, r.HttpContext.RequestAborted)).RequireKey(KeyRoutes.Ops);
        app.MapGet(Api(RidLookupEndpoint.Route), (HttpRequest r, RidLookupEndpoint e) => e.HandleAsync(r, r.HttpContext.RequestAborted)).RequireKey(KeyRoutes.Ops);
        app.MapPost(Api(ClearQuotaEndpoint.Route), (HttpRequest r, ClearQuotaEndpoint e) => e.HandleAsync(r, r.HttpContext.RequestAborted)).RequireKey(KeyRoutes.Ops);
        if (benchmark)
            BenchmarkRoutes.Map(app);
        // Key protected, on both hosts by Keys__* (KeyCheck).
        app.MapGet(DiagnoseRoute, (HttpContext context, JsSdkDiagnoseEndpoint endpoint) => endpoint.HandleAsync(context.Request, context.RequestAborted)).RequireKey(KeyRoutes.Diagnose);
        app.MapMethods(ReportRoute, [HttpMethods.Post, HttpMethods.Options], (HttpContext context, FieldReportEndpoint endpoint) => endpoint.HandleAsync(context.Request, context.RequestAborted));
        if (prometheus)
            app.MapPrometheusScrapingEndpoint(PrometheusRoute);
        return app;
    }

    private static bool PrometheusEnabled(IConfiguration configuration) =>
        configuration[PrometheusSetting] is not { } value || string.IsNullOrWhiteSpace(value) ? false
        : bool.TryParse(value, out var enabled) ? enabled
        : throw new OptionsValidationException(PrometheusSetting, typeof(bool), [$"Metrics__Prometheus '{value}' is not true or false."]);
}
