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
    [InlineData("Deployment:OutboundIp", "nat-gateway.example.com", "Deployment__OutboundIp")]
    [InlineData("Deployment:OutboundIp", "203.0.113.300", "Deployment__OutboundIp")]
    public async Task A_bad_setting_stops_start_up_with_its_name(string key, string? value, string named)
    {
        var message = await StartupFailureAsync(s => s[key] = value);
        Assert.Contains(named, message);
    }

    [Fact]
    public async Task A_lease_shorter_than_the_longest_refresh_the_time_outs_allow_stops_start_up_naming_the_settings()
    {
        // 5 calls × 3 attempts × 10 s = 150 s (the tests' back-off is 0): the lease of 120 s that was once the default lapses mid-refresh.
        var message = await StartupFailureAsync(s => s["Refresh:LeaseSeconds"] = "120");

        Assert.Contains("Refresh__LeaseSeconds (120)", message);
        Assert.Contains("150 s", message);
        Assert.Contains("WeChat__RequestTimeoutSeconds (10 s)", message);
        Assert.Contains("WeChat__RetryDelayMilliseconds", message);

        // A shorter time-out makes the same lease long enough; the default lease covers the default time-outs.
        using var shorter = BuildHost(s => (s["Refresh:LeaseSeconds"], s["WeChat:RequestTimeoutSeconds"]) = ("120", "8"));
        Assert.Equal(120, shorter.Services.GetRequiredService<IOptions<WxShare.Configuration.RefreshOptions>>().Value.LeaseSeconds);
        using var defaults = BuildHost(s => s["WeChat:RetryDelayMilliseconds"] = "1000");
        Assert.Equal(240, defaults.Services.GetRequiredService<IOptions<WxShare.Configuration.RefreshOptions>>().Value.LeaseSeconds);
        var backOff = await StartupFailureAsync(s => s["WeChat:RetryDelayMilliseconds"] = "30000");
        Assert.Contains("Refresh__LeaseSeconds (240)", backOff);
    }

    [Theory]
    [InlineData("Accounts:shop:AppId", "Accounts__shop__AppId")]
    [InlineData("Accounts:shop:AppSecret", "Accounts__shop__AppSecret")]
    [InlineData("Accounts:shop:AllowedDomains", "Accounts__shop__AllowedDomains")]
    public async Task Each_missing_setting_of_a_named_account_is_named(string missing, string named)
    {
        var message = await StartupFailureAsync(s =>
        {
            AddShop(s);
            s[missing] = null;
        });
        Assert.Contains(named, message);
    }

    [Theory]
    [InlineData("Accounts:shop:TokenApi", "fast", "Accounts__shop__TokenApi")]
    [InlineData("Accounts:shop:CardTicket", "yes", "Accounts__shop__CardTicket")]
    [InlineData("Accounts:shop:Kind", "miniprogram", "Accounts__shop__Kind")]
    [InlineData("Accounts:shop:AllowedDomains", "https://shop.cn", "Accounts__shop__AllowedDomains")]
    [InlineData("WeChat:TokenApi", "fast", "WeChat__TokenApi")]
    [InlineData("WeChat:CardTicket", "1", "WeChat__CardTicket")]
    public async Task A_bad_account_value_is_named(string key, string value, string named)
    {
        var message = await StartupFailureAsync(s =>
        {
            AddShop(s);
            s[key] = value;
        });
        Assert.Contains(named, message);
    }

    [Fact]
    public async Task Two_accounts_with_one_appId_are_refused_naming_both_settings()
    {
        var message = await StartupFailureAsync(s =>
        {
            AddShop(s);
            s["Accounts:shop:AppId"] = s["WeChat:AppId"];
        });
        Assert.Contains("WeChat__AppId and Accounts__shop__AppId", message);
    }

    [Theory]
    [InlineData("Shop")]
    [InlineData("shop_1")]
    [InlineData("商店")]
    public async Task An_account_name_outside_lower_case_letters_digits_and_dashes_is_refused(string name)
    {
        var message = await StartupFailureAsync(s => AddShop(s, name));
        Assert.Contains($"Accounts__{name}", message);
    }

    [Theory]
    [InlineData("", null)]
    [InlineData(" 203.0.113.7 ", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8::7", "2001:db8::7")]
    public async Task The_deployments_outbound_IP_is_optional_and_read_as_an_address(string value, string? address)
    {
        using var host = BuildHost(s => s["Deployment:OutboundIp"] = value);
        await host.StartAsync();
        Assert.Equal(address, host.Services.GetRequiredService<IOptions<WxShare.Configuration.DeploymentOptions>>().Value.OutboundAddress?.ToString());
        await host.StopAsync();
    }

    [Fact]
    public async Task Accounts_alone_need_no_single_account_settings()
    {
        using var host = BuildHost(s =>
        {
            AddShop(s);
            s["WeChat:AppId"] = s["WeChat:AppSecret"] = s["Signing:AllowedDomains"] = null;
        });
        await host.StartAsync();
        var accounts = host.Services.GetRequiredService<WxShare.Accounts.AccountRegistry>().All;
        Assert.Equal("shop", Assert.Single(accounts).Name);
        await host.StopAsync();
    }

    [Fact]
    public async Task The_single_account_settings_define_the_account_named_default_beside_named_ones()
    {
        using var host = BuildHost(s => AddShop(s, "shop-2"));
        await host.StartAsync();
        var accounts = host.Services.GetRequiredService<WxShare.Accounts.AccountRegistry>().All;
        Assert.Equal(["default", "shop-2"], accounts.Select(a => a.Name));
        await host.StopAsync();
    }

    [Fact]
    public async Task Without_any_account_the_single_account_settings_are_required()
    {
        var message = await StartupFailureAsync(s => s["WeChat:AppId"] = s["WeChat:AppSecret"] = s["Signing:AllowedDomains"] = null);
        Assert.Contains("WeChat__AppId", message);
        Assert.Contains("WeChat__AppSecret", message);
        Assert.Contains("Signing__AllowedDomains", message);
    }

    private static void AddShop(Dictionary<string, string?> settings, string name = "shop")
    {
        settings[$"Accounts:{name}:AppId"] = "wx00000000000005h0";
        settings[$"Accounts:{name}:AppSecret"] = "shop0secret";
        settings[$"Accounts:{name}:AllowedDomains"] = "shop.cn";
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
        var message = await StartupFailureAsync(s =>
        {
            s["WeChat:AppId"] = "";
            AddShop(s);
            s["Accounts:shop:TokenApi"] = "fast";
        });
        Assert.DoesNotContain(ValidSettings()["WeChat:AppSecret"]!, message);
        Assert.DoesNotContain("shop0secret", message);
    }
}
