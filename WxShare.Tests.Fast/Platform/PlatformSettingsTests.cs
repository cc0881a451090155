using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using WxShare.Accounts;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Platform;
using WxShare.WeChatSandbox.Platform;

namespace WxShare.Functions.Tests.Platform;

/// <summary>Platforms__&lt;name&gt;__* settings are checked at start-up; each error names the setting and never shows a secret.</summary>
public sealed class PlatformSettingsTests
{
    private static async Task<string> StartupFailureAsync(Action<Dictionary<string, string?>> change)
    {
        var settings = PlatformTestSettings.Add(TestSettings.Offline());
        change(settings);
        using var host = ServicesOnlyHost.Build(settings);
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        return error.Message;
    }

    [Fact]
    public async Task A_complete_platform_starts_and_is_registered()
    {
        using var host = ServicesOnlyHost.Build(PlatformTestSettings.Add(TestSettings.Offline()));
        await host.StartAsync();

        var platform = Assert.Single(host.Services.GetRequiredService<PlatformRegistry>().All);
        Assert.Equal("saas", platform.Name);
        Assert.Equal(PlatformSandboxDefaults.ComponentAppId, platform.ComponentAppId);
        Assert.Equal(["wx.example.com"], platform.AllowedDomains);
        Assert.False(platform.Cards);
        Assert.Equal("/api/platform/saas/events", platform.EventPath);
        await host.StopAsync();
    }

    [Fact]
    public async Task No_platform_is_the_default_and_starts()
    {
        using var host = ServicesOnlyHost.Build(TestSettings.Offline());
        await host.StartAsync();
        Assert.Empty(host.Services.GetRequiredService<PlatformRegistry>().All);
        await host.StopAsync();
    }

    [Theory]
    [InlineData("ComponentAppId", null)]
    [InlineData("ComponentAppSecret", "")]
    [InlineData("Token", null)]
    [InlineData("Token", "ab")]
    [InlineData("Token", "has space in it")]
    [InlineData("EncodingAESKey", null)]
    [InlineData("EncodingAESKey", "tooShort")]
    [InlineData("AllowedDomains", "")]
    [InlineData("AllowedDomains", "https://wx.example.com/")]
    [InlineData("Cards", "yes")]
    [InlineData("Relay", "on")]
    public async Task A_bad_setting_stops_start_up_with_its_name(string key, string? value)
    {
        var message = await StartupFailureAsync(s => s[$"Platforms:saas:{key}"] = value);

        Assert.Contains($"Platforms__saas__{key}", message);
    }

    [Fact]
    public async Task A_wrong_EncodingAESKey_is_named_without_its_value()
    {
        const string almostAKey = "sandbox0platform0encoding0aes0key0not0real"; // 42 characters
        var message = await StartupFailureAsync(s => s["Platforms:saas:EncodingAESKey"] = almostAKey);

        Assert.Contains("Platforms__saas__EncodingAESKey", message);
        Assert.DoesNotContain(almostAKey, message);
    }

    [Fact]
    public async Task A_bad_platform_name_is_refused()
    {
        var message = await StartupFailureAsync(s => PlatformTestSettings.Add(s, "Big_Name"));

        Assert.Contains("Platforms__Big_Name", message);
    }

    [Fact]
    public async Task Two_platforms_with_one_component_appid_are_refused()
    {
        var message = await StartupFailureAsync(s => PlatformTestSettings.Add(s, "second"));

        Assert.Contains("Platforms__saas__ComponentAppId and Platforms__second__ComponentAppId", message);
    }

    /// <summary>Authorizers come from storage, so a key names one by appId (or <c>&lt;platform&gt;/&lt;appid&gt;</c>) before it exists; only with a platform.</summary>
    [Fact]
    public async Task A_key_may_name_an_authorizers_appId_only_where_a_platform_is_configured()
    {
        static void Key(Dictionary<string, string?> s, string accounts) => TestKeys.Add(s, "tenant", TestKeys.Secret('t'), routes: "relay", accounts: accounts);

        var withPlatform = PlatformTestSettings.Add(TestSettings.Offline());
        Key(withPlatform, "wxa1b2c3d4e5f60001,saas/wxa1b2c3d4e5f60002");
        using (var host = ServicesOnlyHost.Build(withPlatform))
        {
            await host.StartAsync();
            await host.StopAsync();
        }
        Assert.Contains("Keys__tenant__Accounts names 'other/wxa1b2c3d4e5f60002'", await StartupFailureAsync(s => Key(s, "other/wxa1b2c3d4e5f60002")));
        Assert.Contains("Keys__tenant__Accounts names 'wxshort'", await StartupFailureAsync(s => Key(s, "wxshort")));
        var settings = TestSettings.Offline();
        Key(settings, "wxa1b2c3d4e5f60001");
        using var withoutPlatform = ServicesOnlyHost.Build(settings);
        Assert.Contains("Keys__tenant__Accounts names 'wxa1b2c3d4e5f60001'",
            (await Assert.ThrowsAsync<OptionsValidationException>(() => withoutPlatform.StartAsync())).Message);
    }

    [Theory]
    [InlineData(AccountKind.Mp, "wxa1b2c3d4e5f60001", "saas", "saas/wxa1b2c3d4e5f60001")]
    [InlineData(AccountKind.Mp, "wxa1b2c3d4e5f60001", "two-part", "two-part/wxa1b2c3d4e5f60001")]
    [InlineData(AccountKind.Component, "wxc0e1a2b3c4d5e6f7", "saas", "saas/component")]
    public void A_platform_rows_key_gives_back_its_account_name_and_platform(AccountKind kind, string appId, string platform, string name)
    {
        Assert.Equal((name, platform), Account.NameOfStorageKey(Account.StorageKeyOf(kind, appId, null, platform)));
        Assert.Equal(("wxa1b2c3d4e5f60001", null), Account.NameOfStorageKey(Account.StorageKeyOf(AccountKind.Mp, "wxa1b2c3d4e5f60001", null)));
    }

    [Fact]
    public void Settings_never_print_their_secrets()
    {
        var settings = new PlatformSettings
        {
            Name = "saas", ComponentAppId = "wxc0", ComponentAppSecret = "secret-value", Token = "token-value", EncodingAESKey = PlatformSandboxDefaults.EncodingAESKey,
        };
        var platform = new ThirdPartyPlatform(settings);
        var printed = $"{settings} {platform} {platform.Crypto}";

        Assert.DoesNotContain("secret-value", printed);
        Assert.DoesNotContain("token-value", printed);
        Assert.DoesNotContain(PlatformSandboxDefaults.EncodingAESKey, printed);
    }
}
