using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Host;
using WxShare.Http;

namespace WxShare.Functions.Tests.Configuration;

/// <summary>Relay and key settings validated at start-up, naming the setting and never printing a key.</summary>
public sealed class OperatorSettingsTests
{
    private const string Key = "a-perfectly-long-key-0123456789abcdefghij";

    private static async Task<string> StandaloneStartupFailureAsync(Action<Dictionary<string, string?>> change)
    {
        var settings = TestSettings.Offline();
        change(settings);
        await using var app = WxShareHost.Build([], builder => builder.Configuration.AddInMemoryCollection(settings));
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        return error.Message;
    }

    /// <summary>Relay__Keys is gone (pre-1.0): left set, it stops the host saying what replaces it, never echoing its keys.</summary>
    [Theory]
    [InlineData("menus=" + Key)]
    [InlineData("menus:" + Key)]
    public async Task A_leftover_Relay_Keys_stops_the_standalone_host_naming_its_replacement_but_not_the_key(string keys)
    {
        var message = await StandaloneStartupFailureAsync(s => s["Relay:Keys"] = keys);

        Assert.Contains("Relay__Keys", message);
        Assert.Contains("Keys__<name>__Secret", message);
        Assert.DoesNotContain(Key, message);
    }

    [Theory]
    [InlineData("Keys:menus:Secret", "short", "Keys__menus__Secret")]
    [InlineData("Keys:menus:Routes", "relay,everything", "Keys__menus__Routes")]
    [InlineData("Keys:menus:Accounts", "nosuchaccount", "Keys__menus__Accounts")]
    public async Task A_bad_key_stops_the_standalone_host_naming_the_setting_but_not_the_secret(string setting, string value, string named)
    {
        var message = await StandaloneStartupFailureAsync(s =>
        {
            TestKeys.Add(s, "menus", Key, routes: "relay", accounts: "*");
            s[setting] = value;
        });

        Assert.Contains(named, message);
        Assert.DoesNotContain(Key, message);
    }

    [Theory]
    [InlineData("Accounts:shop:Relay", "on", "Accounts__shop__Relay")]
    [InlineData("WeChat:Relay", "yes", "WeChat__Relay")]
    public async Task A_relay_flag_that_is_not_true_or_false_is_named(string key, string value, string named)
    {
        var message = await StandaloneStartupFailureAsync(s =>
        {
            s["Accounts:shop:AppId"] = "wx00000000000000shop";
            s["Accounts:shop:AppSecret"] = "shop-secret";
            s["Accounts:shop:AllowedDomains"] = "shop.example.cn";
            s[key] = value;
        });

        Assert.Contains(named, message);
    }

    [Fact]
    public void Keys_are_matched_by_whole_secret_to_their_name()
    {
        var settings = TestSettings.Offline();
        TestKeys.Add(settings, "menus", Key, routes: "*", accounts: "*");
        TestKeys.Add(settings, "crm", Key + "X", routes: "*", accounts: "*");
        using var host = ServicesOnlyHost.Build(settings);
        var keys = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<KeyRing>(host.Services);

        Assert.Equal("menus", keys.Find(Key)?.Name);
        Assert.Equal("crm", keys.Find(Key + "X")?.Name);
        Assert.Null(keys.Find(Key[..^1]));
        Assert.Null(keys.Find(""));
    }
}
