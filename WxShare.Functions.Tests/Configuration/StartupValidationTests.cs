using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using WxShare.Functions.Tests.Infrastructure;

namespace WxShare.Functions.Tests.Configuration;

/// <summary>A host with a missing or wrong setting refuses to start and names the setting.</summary>
public sealed class StartupValidationTests
{
    private static Dictionary<string, string?> ValidSettings() => TestSettings.Offline();

    private static IHost BuildHost(Action<Dictionary<string, string?>> change)
    {
        var settings = ValidSettings();
        change(settings);
        return ServicesOnlyHost.Build(settings);
    }

    private static async Task<string> StartupFailureAsync(Action<Dictionary<string, string?>> change)
    {
        using var host = BuildHost(change);
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        return error.Message;
    }

    [Theory]
    [InlineData("WeChat:AppId", "", "WeChat__AppId")]
    [InlineData("WeChat:AppSecret", null, "WeChat__AppSecret")]
    [InlineData("WeChat:ApiBaseUrl", "api.weixin.qq.com", "WeChat__ApiBaseUrl")]
    [InlineData("Storage:ConnectionString", "", "Storage__ConnectionString")]
    [InlineData("Storage:TableName", "wx-share", "Storage__TableName")]
    [InlineData("RefreshSchedule", "every 5 minutes", "RefreshSchedule")]
    [InlineData("RefreshSchedule", "*/5 * * * *", "RefreshSchedule")]
    [InlineData("Refresh:MaxAgeMinutes", "200", "Refresh__MaxAgeMinutes")]
    [InlineData("Signing:AllowedDomains", "", "Signing__AllowedDomains")]
    [InlineData("Signing:AllowedDomains", "https://example.com", "Signing__AllowedDomains")]
    [InlineData("Signing:AllowedDomains", "example.com:8080", "Signing__AllowedDomains")]
    [InlineData("Signing:TicketCacheSeconds", "300", "Signing__TicketCacheSeconds")]
    public async Task A_bad_setting_stops_start_up_with_its_name(string key, string? value, string named)
    {
        var message = await StartupFailureAsync(s => s[key] = value);
        Assert.Contains(named, message);
    }

    [Fact]
    public async Task Storage_falls_back_to_AzureWebJobsStorage()
    {
        using var host = BuildHost(s =>
        {
            s["Storage:ConnectionString"] = null;
            s["AzureWebJobsStorage"] = "UseDevelopmentStorage=true";
        });
        await host.StartAsync();
        Assert.Equal("UseDevelopmentStorage=true", host.Services.GetRequiredService<IOptions<WxShare.Configuration.StorageOptions>>().Value.ConnectionString);
        await host.StopAsync();
    }

    [Fact]
    public void The_schedule_comes_from_the_flat_setting_the_timer_trigger_reads()
    {
        using var host = BuildHost(s => s["RefreshSchedule"] = "0 0 * * * *");
        var schedule = host.Services.GetRequiredService<WxShare.Refresh.RefreshSchedule>();
        Assert.Equal(DateTimeOffset.Parse("2026-12-01T11:00:00Z"), schedule.NextTickAfter(DateTimeOffset.Parse("2026-12-01T10:02:00Z")));
    }

    [Fact]
    public async Task The_secret_is_never_echoed_in_a_validation_message()
    {
        var message = await StartupFailureAsync(s => s["WeChat:AppId"] = "");
        Assert.DoesNotContain(ValidSettings()["WeChat:AppSecret"]!, message);
    }
}
