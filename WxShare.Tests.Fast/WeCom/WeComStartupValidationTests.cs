using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using WxShare.Accounts;
using WxShare.Functions.Tests.Infrastructure;

namespace WxShare.Functions.Tests.WeCom;

public sealed class WeComStartupValidationTests
{
    private static IHost BuildHost(Action<Dictionary<string, string?>> change)
    {
        var settings = TestSettings.Offline();
        WeComApps.AddBoth(settings);
        change(settings);
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddWxShare(builder.Configuration);
        return builder.Build();
    }

    [Fact]
    public async Task Two_apps_of_one_corp_beside_an_official_account_start()
    {
        using var host = BuildHost(_ => { });
        await host.StartAsync();
        var accounts = host.Services.GetRequiredService<AccountRegistry>().All;
        Assert.Equal(["crm", "default", "hr"], accounts.Select(a => a.Name).Order());
        var hr = accounts.Single(a => a.Name == "hr");
        Assert.Equal((AccountKind.WeCom, WeComApps.CorpId, WeComApps.One, $"wecom-{WeComApps.CorpId}-{WeComApps.One}"), (hr.Kind, hr.AppId, hr.AgentId, hr.StorageKey));
        Assert.Equal("https://qyapi.weixin.qq.com", new WxShare.WeCom.WeComOptions().ApiBaseUrl);
        await host.StopAsync();
    }

    [Theory]
    [InlineData("Accounts:hr:CorpId", null, "Accounts__hr__CorpId")]
    [InlineData("Accounts:hr:AgentId", null, "Accounts__hr__AgentId")]
    [InlineData("Accounts:hr:AgentId", "hr-app", "Accounts__hr__AgentId")]
    [InlineData("Accounts:hr:AppSecret", "", "Accounts__hr__AppSecret")]
    [InlineData("Accounts:hr:AllowedDomains", "https://work.example.cn", "Accounts__hr__AllowedDomains")]
    [InlineData("Accounts:crm:AgentId", WeComApps.One, "Accounts__crm__CorpId/AgentId and Accounts__hr__CorpId/AgentId")]
    [InlineData("WeCom:ApiBaseUrl", "qyapi.weixin.qq.com", "WeCom__ApiBaseUrl")]
    public async Task A_bad_WeCom_setting_stops_start_up_with_its_name(string key, string? value, string named)
    {
        using var host = BuildHost(s => s[key] = value);
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(named, error.Message);
        Assert.DoesNotContain(WeComApps.SecretOf(WeComApps.Two), error.Message);
    }
}
