using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using WxShare.Telemetry;

namespace WxShare.Functions;

public static class WxShareFunctionsApp
{
    public const string AppInsightsSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <param name="configure">Lets tests add settings before the services read them.</param>
    public static IHost Build(string[] args, Action<IConfigurationBuilder>? configure = null)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        configure?.Invoke(builder.Configuration);
        builder.ConfigureFunctionsWebApplication();
        builder.UseMiddleware<ExceptionHandlingMiddleware>();
        builder.Services.AddWxShare(builder.Configuration);
        var telemetry = builder.Services.AddWxShareOpenTelemetry(builder.Configuration);
        var toAzureMonitor = !string.IsNullOrWhiteSpace(builder.Configuration[AppInsightsSetting]);
        // The worker's defaults tell the host that the worker exports its own telemetry; true only with an exporter.
        // Without one the host keeps receiving the worker's logs with their invocation ids.
        if (toAzureMonitor || !string.IsNullOrWhiteSpace(builder.Configuration[TelemetryServiceCollectionExtensions.OtlpEndpointSetting]))
            telemetry.UseFunctionsWorkerDefaults();
        if (toAzureMonitor)
            telemetry.UseAzureMonitorExporter();
        return builder.Build();
    }
}
