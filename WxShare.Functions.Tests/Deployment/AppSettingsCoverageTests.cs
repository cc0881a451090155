using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WxShare.Functions.Tests.Infrastructure;

namespace WxShare.Functions.Tests.Deployment;

/// <summary>
/// Every setting an operator can read about (the settings table in docs/settings.md) or copy (local.settings.sample.json) is
/// either an app setting in infra/ or deliberately left out, for a stated reason.
/// </summary>
public sealed partial class AppSettingsCoverageTests
{
    private static readonly Dictionary<string, string> IntentionallyAbsent = new()
    {
        ["FUNCTIONS_WORKER_RUNTIME"] = "Flex Consumption takes the runtime from functionAppConfig and rejects the setting; only Core Tools needs it, locally",
        ["AzureWebJobsStorage"] = "shared keys are off, so there is no connection string; the host uses __accountName with the identity",
        ["AzureWebJobsStorage__tableServiceUri"] = "__accountName is the form Flex handles reliably (azure-functions-host #11782)",
        ["Storage__ConnectionString"] = "WxShare falls back to the host's AzureWebJobsStorage__ identity settings: one account, one identity",
        ["Storage__TableServiceUri"] = "as Storage__ConnectionString: the fallback to AzureWebJobsStorage__accountName gives the table endpoint",
        ["Storage__AccountName"] = "as Storage__ConnectionString: AzureWebJobsStorage__accountName names the same account",
        ["Storage__Credential"] = "as Storage__ConnectionString: AzureWebJobsStorage__credential=managedidentity is used",
        ["Storage__ClientId"] = "as Storage__ConnectionString: AzureWebJobsStorage__clientId is used",
        ["Metrics__Prometheus"] = "a switch of the standalone host only; the Functions app exports to Application Insights",
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "no OTLP collector is deployed; metrics go to Application Insights (APPLICATIONINSIGHTS_CONNECTION_STRING)",
        ["Relay__Keys"] = "removed (pre-1.0); documented so that a leftover is recognised: start-up refuses it and names Keys__<name>__* instead",
        ["WeChat__PublicCardIds"] = "no card is public by default: an operator lists the cards a stranger may get signed",
        ["Benchmark__Enabled"] = "a load-test switch of the standalone host that exposes its benchmark routes; never on in a deployment",
    };

    private static readonly string[] WxShareSections = ["WeChat__", "WeCom__", "Storage__", "Refresh__", "Signing__", "Relay__", "Reports__", "Metrics__", "Deployment__"];

    private static IReadOnlySet<string> BicepSettings { get; } =
        InfraTests.AppSettings.Select(s => s.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);

    private static IReadOnlyList<string> SampleSettings() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "local.settings.sample.json")))!["Values"]!
            .AsObject().Select(s => s.Key).ToList();

    /// <summary>The first column of the settings table in docs/settings.md.</summary>
    private static IReadOnlyList<string> SettingsPageSettings() =>
        SettingRow().Matches(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "settings.md")))
            .Select(m => m.Groups["name"].Value).ToList();

    [GeneratedRegex(@"^\| `(?<name>[A-Za-z_]+)` \|", RegexOptions.Multiline)]
    private static partial Regex SettingRow();

    public static TheoryData<string> DocumentedSettings()
    {
        var data = new TheoryData<string>();
        foreach (var name in SettingsPageSettings().Concat(SampleSettings()).Distinct(StringComparer.OrdinalIgnoreCase))
            data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(DocumentedSettings))]
    public void A_documented_setting_is_an_app_setting_or_left_out_for_a_reason(string setting)
    {
        Assert.True(BicepSettings.Contains(setting) || IntentionallyAbsent.ContainsKey(setting),
            $"{setting} is in docs/settings.md or local.settings.sample.json but neither an app setting in infra/app/api.bicep "
            + "nor in IntentionallyAbsent (with its reason).");
    }

    [Fact]
    public void The_documents_list_the_settings_at_all()
    {
        // Guards the parsing above: an empty table would make the theory vacuous.
        Assert.Contains("WeChat__AppId", SettingsPageSettings());
        Assert.Contains("Signing__TicketCacheSeconds", SettingsPageSettings());
        Assert.Contains("WeChat__AppSecret", SampleSettings());
        Assert.True(SettingsPageSettings().Count >= 15);
    }

    [Fact]
    public void What_is_left_out_is_really_absent_and_really_documented()
    {
        var documented = SettingsPageSettings().Concat(SampleSettings()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var name in IntentionallyAbsent.Keys)
        {
            Assert.DoesNotContain(name, BicepSettings);
            Assert.Contains(name, documented);
        }
    }

    [Fact]
    public void Every_WxShare_app_setting_in_infra_is_documented_in_the_settings_page()
    {
        var documented = SettingsPageSettings().ToHashSet(StringComparer.OrdinalIgnoreCase);
        var wxShareSettings = BicepSettings.Where(s => s == "RefreshSchedule" || WxShareSections.Any(p => s.StartsWith(p, StringComparison.Ordinal)));
        Assert.All(wxShareSettings, s => Assert.Contains(s, documented));
    }
}
