using WxShare.Functions.Tests.Infrastructure;
using WxShare.Platform;
using WxShare.Refresh;
using WxShare.Telemetry;

namespace WxShare.Functions.Tests.Platform;

/// <summary>
/// The WxShare meter for a platform, on the fake clock: an authorizer's refreshes and credential lifetimes carry its
/// account tag (<c>saas/&lt;appid&gt;</c>) like any account's, and a platform tag (<c>none</c> for a configured account);
/// a withdrawn authorizer's lifetimes leave the gauge with its credentials.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PlatformMetricsTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task An_authorizers_refreshes_and_lifetimes_carry_its_account_and_platform_tags()
    {
        await using var context = await PlatformScenario.StartAsync(azurite);
        using var readings = new MeterReadings(context.Get<WxShareMetrics>().Meter);
        var appId = PlatformScenario.AuthorizerAppId(7);
        var account = $"saas/{appId}";

        await context.PushTicketAsync();
        await context.AuthorizeAsync(appId);
        await context.Get<CredentialRefresher>().RefreshAllAsync(CancellationToken.None);
        context.Time.Advance(TimeSpan.FromMinutes(20));

        Assert.Equal(1, readings.Sum("wxshare.refreshes", ("account", account), ("platform", "saas"), ("result", "refreshed")));
        Assert.Equal(1, readings.Sum("wxshare.refreshes", ("account", "saas/component"), ("platform", "saas"), ("result", "refreshed")));
        Assert.Equal(1, readings.Sum("wxshare.refreshes", ("account", "default"), ("platform", "none"), ("result", "refreshed")));
        Assert.Single(readings.Observe("wxshare.credential.remaining", ("account", account), ("platform", "saas"), ("credential", "jsapi_ticket")));
        Assert.Single(readings.Observe("wxshare.credential.remaining", ("account", account), ("platform", "saas"), ("credential", "access_token")));
        Assert.Single(readings.Observe("wxshare.credential.remaining", ("account", "saas/component"), ("platform", "saas"), ("credential", "access_token")));
        Assert.Empty(readings.Observe("wxshare.credential.remaining", ("account", $"authorizer-saas-{appId}")));

        Assert.Equal(PlatformEventEffect.AuthorizerUnauthorized, (await context.UnauthorizeAsync(appId)).Effect);
        Assert.Empty(readings.Observe("wxshare.credential.remaining", ("account", account)));
        Assert.Single(readings.Observe("wxshare.credential.remaining", ("account", "default"), ("platform", "none"), ("credential", "jsapi_ticket")));
    }
}
