using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Host;

namespace WxShare.Functions.Tests.Configuration;

/// <summary>The report route's limits and the metrics switch are checked at start-up, by the names operators type.</summary>
public sealed class FieldReportSettingsTests
{
    [Theory]
    [InlineData("Reports:PerAddressPerMinute", "0", "Reports__PerAddressPerMinute")]
    [InlineData("Reports:TotalPerMinute", "0", "Reports__TotalPerMinute")]
    [InlineData("Reports:TotalPerMinute", "5", "Reports__TotalPerMinute")] // below the per-address default of 10
    [InlineData("Reports:ClientAddressHeader", "X Forwarded For", "Reports__ClientAddressHeader")]
    public async Task A_bad_report_limit_stops_start_up_with_its_name(string key, string value, string named)
    {
        var settings = TestSettings.Offline();
        settings[key] = value;
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddWxShare(builder.Configuration);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void A_prometheus_switch_that_is_not_true_or_false_stops_the_host_with_its_name()
    {
        var error = Assert.Throws<OptionsValidationException>(() => WxShareHost.Build([], builder =>
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(TestSettings.Offline()) { ["Metrics:Prometheus"] = "yes" })));
        Assert.Contains("Metrics__Prometheus", error.Message);
    }
}
