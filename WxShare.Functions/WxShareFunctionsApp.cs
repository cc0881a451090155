using Azure.Core;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WxShare.Http;
using WxShare.Telemetry;

namespace WxShare.Functions;

public static class WxShareFunctionsApp
{
    public const string AppInsightsSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>The user-assigned identity's client id; infra/ sets it.</summary>
    public const string ClientIdSetting = "AZURE_CLIENT_ID";

    /// <param name="configure">Lets tests add settings before the services read them.</param>
    public static IHost Build(string[] args, Action<IConfigurationBuilder>? configure = null)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        configure?.Invoke(builder.Configuration);
        builder.ConfigureFunctionsWebApplication();
        // The worker's ASP.NET Core logs each request's full URL at Information, and its logs go to the host and
        // Application Insights: a key a careless client put in the query would land there (KeyCheck refuses it).
        builder.Logging.DropRequestUrlLogs();
        builder.UseMiddleware<ExceptionHandlingMiddleware>();
        builder.Services.AddWxShare(builder.Configuration);
        var telemetry = builder.Services.AddWxShareOpenTelemetry(builder.Configuration);
        var toAzureMonitor = !string.IsNullOrWhiteSpace(builder.Configuration[AppInsightsSetting]);
        // The worker's defaults tell the host that the worker exports its own telemetry; true only with an exporter.
        // Without one the host keeps receiving the worker's logs with their invocation ids.
        if (toAzureMonitor || !string.IsNullOrWhiteSpace(builder.Configuration[TelemetryServiceCollectionExtensions.OtlpEndpointSetting]))
            telemetry.UseFunctionsWorkerDefaults();
        if (toAzureMonitor)
        {
            // infra/ turns local auth off on Application Insights, so the ingestion endpoint takes only Entra tokens;
            // the exporter does not read APPLICATIONINSIGHTS_AUTHENTICATION_STRING itself.
            var credential = MonitorCredential(builder.Configuration);
            telemetry.UseAzureMonitorExporter(options => options.Credential = credential);
        }
        return builder.Build();
    }

    /// <summary>
    /// The user-assigned managed identity when <c>AZURE_CLIENT_ID</c> names it (an app with only a user-assigned
    /// identity has no default one to fall back on); otherwise DefaultAzureCredential, e.g. a developer's az login.
    /// </summary>
    public static TokenCredential MonitorCredential(IConfiguration configuration) =>
        configuration[ClientIdSetting] is { } clientId && !string.IsNullOrWhiteSpace(clientId)
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId.Trim()))
            : new DefaultAzureCredential();
}
