using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Host;
using WxShare.Http;

namespace WxShare.Functions.Tests.Configuration;

/// <summary>Relay settings validated at start-up, naming the setting and never printing a key.</summary>
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

    [Theory]
    [InlineData("menus:" + Key)]
    [InlineData("menus=short")]
    [InlineData("me nus=" + Key)]
    [InlineData("menus=" + Key + ";menus=" + Key + "2")]
    [InlineData("menus=" + Key + ";crm=" + Key)]
    public async Task A_bad_Relay_Keys_stops_the_standalone_host_naming_the_setting_but_not_the_key(string keys)
    {
        var message = await StandaloneStartupFailureAsync(s => s["Relay:Keys"] = keys);

        Assert.Contains("Relay__Keys", message);
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
    public void Keys_are_matched_by_whole_value_to_their_name()
    {
        var keys = new AccessKeys(Options.Create(new WxShare.Configuration.RelayOptions { Keys = $"menus={Key}; crm={Key}X" }));

        Assert.Equal("menus", keys.NameOf(Key));
        Assert.Equal("crm", keys.NameOf(Key + "X"));
        Assert.Null(keys.NameOf(Key[..^1]));
        Assert.Null(keys.NameOf(""));
    }
}
