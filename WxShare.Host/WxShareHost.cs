using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using WxShare.Host.OpenApi;
using WxShare.Http;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using WxShare.Telemetry;

namespace WxShare.Host;

/// <summary>
/// WxShare as an ordinary ASP.NET Core process: the Functions app's endpoint and refresh, with the same settings,
/// hosted without the Functions runtime.
/// </summary>
public static class WxShareHost
{
    public const string ConfigRoute = ApiRoute.Prefix + ApiRoutes.ConfigPath;
    public const string DemoRoute = ApiRoute.Prefix + ApiRoutes.DemoPath;
    public const string HealthRoute = "/healthz";
    public const string DiagnoseRoute = ApiRoute.Prefix + ApiRoutes.DiagnosePath;
    public const string ReportRoute = ApiRoute.Prefix + ApiRoutes.ReportPath;
    public const string PrometheusSetting = "Metrics:Prometheus";
    public const string PrometheusRoute = "/metrics";

    public static string Api(string route) => ApiRoute.Prefix + route;

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
        // Request lines print the full URL, and a careless client may put a key in the query (refused, 400 key_in_query).
        builder.Logging.DropRequestUrlLogs();
        var prometheus = PrometheusEnabled(builder.Configuration);
        // Named, so that scrapes and OTLP show "WxShare" rather than unknown_service (OTEL_SERVICE_NAME still wins).
        var telemetry = builder.Services.AddWxShareOpenTelemetry(builder.Configuration)
            .ConfigureResource(resource => resource.AddService(builder.Configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : "WxShare"));
        if (prometheus)
            telemetry.WithMetrics(metrics => metrics.AddPrometheusExporter());

        var app = builder.Build();
        // Whatever fails outside the routes (whose edge answers their own failures) is still a JSON 500 with a correlation id.
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = context => ApiErrors.Unexpected(context, context.Features.GetRequiredFeature<IExceptionHandlerFeature>().Error,
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WxShareHost))).ExecuteAsync(context),
        });
        MapRoutes(app);
        // Health of this process, not of WeChat: a missing ticket shows as 503 on the config route instead.
        app.MapHealthChecks(HealthRoute);
        app.MapOpenApi(WxShareOpenApi.DocumentPath);
        if (benchmark)
            BenchmarkRoutes.Map(app);
        if (prometheus)
            app.MapPrometheusScrapingEndpoint(PrometheusRoute);
        return app;
    }

    /// <summary>
    /// The route table in one group: the edge's filter (no-store, CORS, preflight, 405, the route's key, failures) on
    /// every route, as the Functions app runs it around each function.
    /// </summary>
    private static void MapRoutes(WebApplication app)
    {
        // Resolved at the first request, not while mapping: the services behind it are validated when the host starts.
        var edge = new Lazy<HttpEdge>(app.Services.GetRequiredService<HttpEdge>);
        var group = app.MapGroup("");
        // Handlers (singletons, or transients that are not disposable: RouteTableTests) come from the application's
        // services, so a request creates no service scope.
        var services = app.Services;
        foreach (var route in ApiRoutes.All)
            group.MapMethods(route.FullPath, route.MappedMethods, (HttpRequest request) => route.Handle(services, request))
                .WithMetadata(route)
                // The edge with its route bound when the endpoint is built, not looked up in the metadata per request.
                .AddEndpointFilter((invocation, next) => edge.Value.FilterAsync(route, invocation, next));
    }

    private static bool PrometheusEnabled(IConfiguration configuration) =>
        configuration[PrometheusSetting] is not { } value || string.IsNullOrWhiteSpace(value) ? false
        : bool.TryParse(value, out var enabled) ? enabled
        : throw new OptionsValidationException(PrometheusSetting, typeof(bool), [$"Metrics__Prometheus '{value}' is not true or false."]);
}
