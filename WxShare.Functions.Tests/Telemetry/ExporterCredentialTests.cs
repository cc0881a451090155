using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WxShare.Functions.Tests.Infrastructure;

namespace WxShare.Functions.Tests.Telemetry;

/// <summary>
/// The Functions app's Azure Monitor exporter carries a token credential: infra/ turns local auth off on Application
/// Insights, which then refuses telemetry sent with the connection string alone.
/// </summary>
public sealed class ExporterCredentialTests
{
    // A well-formed connection string whose endpoint nothing listens on; the host is built, never started.
    private const string ConnectionString = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://127.0.0.1:9/";

    private static AzureMonitorExporterOptions ExporterOptions(string? clientId)
    {
        var settings = TestSettings.Offline();
        settings[WxShareFunctionsApp.AppInsightsSetting] = ConnectionString;
        // Set either way, so that an AZURE_CLIENT_ID in the test's own environment cannot decide.
        settings[WxShareFunctionsApp.ClientIdSetting] = clientId ?? "";
        using var host = WxShareFunctionsApp.Build([], config => config.AddInMemoryCollection(settings));
        return host.Services.GetRequiredService<IOptionsMonitor<AzureMonitorExporterOptions>>().Get(Options.DefaultName);
    }

    [Fact]
    public void With_a_client_id_the_exporter_authenticates_as_that_user_assigned_managed_identity()
    {
        var credential = ExporterOptions("11111111-2222-3333-4444-555555555555").Credential;

        Assert.IsType<ManagedIdentityCredential>(credential);
    }

    [Fact]
    public void Without_a_client_id_the_exporter_authenticates_with_the_default_azure_credential()
    {
        Assert.IsType<DefaultAzureCredential>(ExporterOptions(clientId: null).Credential);
    }

    [Fact]
    public void The_infra_gives_the_app_its_identity_client_id_as_AZURE_CLIENT_ID()
    {
        Assert.Equal((string?)Deployment.InfraTests.AppSettings["AzureWebJobsStorage__clientId"],
            (string?)Deployment.InfraTests.AppSettings[WxShareFunctionsApp.ClientIdSetting]);
    }
}
