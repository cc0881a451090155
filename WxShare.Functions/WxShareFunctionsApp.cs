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
        builder.Services.AddWxShare(builder.Configuration);
        var telemetry = builder.Services.AddWxShareOpenTelemetry(builder.Configuration).UseFunctionsWorkerDefaults();
        if (!string.IsNullOrWhiteSpace(builder.Configuration[AppInsightsSetting]))
            telemetry.UseAzureMonitorExporter();
        return builder.Build();
    }
}
