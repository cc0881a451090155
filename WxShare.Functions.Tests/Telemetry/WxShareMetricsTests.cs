using System.Net;
using WxShare.Functions.Tests.EndToEnd;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Functions.Tests.Refresh;
using WxShare.Functions.Tests.WeCom;
using WxShare.Host;
using WxShare.Telemetry;
using WxShare.WeChatSandbox;
using Microsoft.Extensions.DependencyInjection;
using WxShare.Refresh;

namespace WxShare.Functions.Tests.Telemetry;

/// <summary>The WxShare meter's values, read back with a MeterListener after real refreshes and requests.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class WxShareMetricsTests(AzuriteFixture azurite)
{
    private const string Page = "https://m.example.com/article/1?x=1";

    [Fact]
    public async Task A_refresh_against_the_sandbox_counts_the_refresh_the_WeChat_calls_today_and_the_lifetimes()
    {
        await using var context = await WxShareTestContext.StartAsync(azurite);
        using var readings = new MeterReadings(context.Get<WxShareMetrics>().Meter);

        await context.TickAsync();
        context.Time.Advance(TimeSpan.FromMinutes(20));

        Assert.Equal(1, readings.Sum("wxshare.refreshes", ("account", "default"), ("result", "refreshed"), ("errcode", "0")));
        // The default account uses the stable token, counted as its own endpoint with its own quota.
        Assert.Equal(1, readings.Sum("wxshare.wechat.calls", ("endpoint", WeChatEndpoints.StableToken), ("http.response.status_code", "200")));
        Assert.Equal(0, readings.Sum("wxshare.wechat.calls", ("endpoint", WeChatEndpoints.Token)));
        Assert.Equal(1, readings.Sum("wxshare.wechat.calls", ("endpoint", WeChatEndpoints.Ticket)));
        Assert.Equal([1.0], readings.Observe("wxshare.wechat.calls.today", ("endpoint", WeChatEndpoints.Ticket)));
        Assert.Equal([2000.0], readings.Observe("wxshare.wechat.daily_quota", ("endpoint", WeChatEndpoints.Token)));
        Assert.Equal([500_000.0], readings.Observe("wxshare.wechat.daily_quota", ("endpoint", WeChatEndpoints.StableToken)));
        Assert.Equal([7200.0 - 20 * 60], readings.Observe("wxshare.credential.remaining", ("account", "default"), ("credential", "jsapi_ticket")));
        Assert.Equal([7200.0 - 20 * 60], readings.Observe("wxshare.credential.remaining", ("account", "default"), ("credential", "access_token")));
    }

    [Fact]
    public async Task A_failed_refresh_counts_with_its_errcode_and_retries_count_as_WeChat_calls()
    {
        await using var context = await WxShareTestContext.StartAsync(azurite);
        using var readings = new MeterReadings(context.Get<WxShareMetrics>().Meter);
        context.Sandbox.State.SetFault(new SandboxFault(SandboxFaultKind.ErrorCode, SandboxEndpoint.StableToken, ErrorCode: 40164));

        await context.TickAsync();
        context.Sandbox.State.SetFault(new SandboxFault(SandboxFaultKind.ServerError, SandboxEndpoint.StableToken));
        context.Time.Advance(TimeSpan.FromMinutes(31)); // past the configuration-error back-off
        await context.TickAsync();

        Assert.Equal(1, readings.Sum("wxshare.refreshes", ("account", "default"), ("result", "failed"), ("errcode", "40164"), ("call", "AccessToken")));
        Assert.Equal(1, readings.Sum("wxshare.refreshes", ("result", "failed"), ("errcode", "none")));
        // One call for 40164, then three HTTP attempts (two retries) for the 503s: WeChat counts each.
        Assert.Equal(3, readings.Sum("wxshare.wechat.calls", ("endpoint", WeChatEndpoints.StableToken), ("http.response.status_code", "503")));
        Assert.Equal([4.0], readings.Observe("wxshare.wechat.calls.today", ("endpoint", WeChatEndpoints.StableToken)));
        Assert.Empty(readings.Observe("wxshare.credential.remaining"));
    }

    [Fact]
    public async Task WeCom_calls_count_under_their_own_endpoints_with_calls_today_and_no_daily_quota()
    {
        await using var context = await WxShareTestContext.StartAsync(azurite, WeComApps.AddBoth);
        using var readings = new MeterReadings(context.Get<WxShareMetrics>().Meter);

        await context.Get<CredentialRefresher>().RefreshAllAsync(CancellationToken.None);
        context.Time.Advance(TimeSpan.FromMinutes(10));

        // Two apps: each fetches a token, the corp ticket and its agent ticket with its own Secret; the sandbox served exactly these.
        var served = context.Sandbox.WeCom.Calls;
        Assert.Equal((2, 2, 2), (served.Token, served.CorpTicket, served.AgentTicket));
        Assert.Equal(served.Token, readings.Sum("wxshare.wechat.calls", ("endpoint", WeComEndpoints.GetToken), ("http.response.status_code", "200")));
        Assert.Equal(served.CorpTicket, readings.Sum("wxshare.wechat.calls", ("endpoint", WeComEndpoints.CorpTicket), ("http.response.status_code", "200")));
        Assert.Equal(served.AgentTicket, readings.Sum("wxshare.wechat.calls", ("endpoint", WeComEndpoints.AgentTicket), ("http.response.status_code", "200")));
        Assert.Equal(0, readings.Sum("wxshare.wechat.calls", ("endpoint", WeComEndpoints.Other)));
        // The official account beside them is counted under WeChat's names only, as before.
        Assert.Equal(1, readings.Sum("wxshare.wechat.calls", ("endpoint", WeChatEndpoints.StableToken)));
        Assert.Equal(1, readings.Sum("wxshare.wechat.calls", ("endpoint", WeChatEndpoints.Ticket)));
        Assert.Equal([2.0], readings.Observe("wxshare.wechat.calls.today", ("endpoint", WeComEndpoints.GetToken)));
        Assert.Equal([2.0], readings.Observe("wxshare.wechat.calls.today", ("endpoint", WeComEndpoints.AgentTicket)));
        // WeCom's limits are hourly, per corp and app (WeComTicketBudget keeps them): no daily quota is pretended.
        foreach (var endpoint in new[] { WeComEndpoints.GetToken, WeComEndpoints.CorpTicket, WeComEndpoints.AgentTicket })
            Assert.Empty(readings.Observe("wxshare.wechat.daily_quota", ("endpoint", endpoint)));
        Assert.Equal(3, readings.Observe("wxshare.wechat.daily_quota").Count); // WeChat's token, stable_token and getticket
        Assert.Equal([7200.0 - 10 * 60], readings.Observe("wxshare.credential.remaining", ("account", "hr"), ("credential", "agent_ticket")));
    }

    [Fact]
    public async Task WeCom_retries_count_as_calls_and_a_new_Beijing_day_clears_them()
    {
        await using var context = await WxShareTestContext.StartAsync(azurite, WeComApps.AddBoth);
        using var readings = new MeterReadings(context.Get<WxShareMetrics>().Meter);
        context.Sandbox.WeCom.SetFault(new SandboxFault(SandboxFaultKind.ServerError, SandboxEndpoint.WeComCorpTicket));

        await context.Get<CredentialRefresher>().RefreshAllAsync(CancellationToken.None);

        // Each app's corp ticket call was sent three times (two retries), each answered 503: six requests WeCom saw.
        Assert.Equal(6, readings.Sum("wxshare.wechat.calls", ("endpoint", WeComEndpoints.CorpTicket), ("http.response.status_code", "503")));
        Assert.Equal(2, readings.Sum("wxshare.refreshes", ("result", "failed"), ("call", "JsapiTicket"), ("errcode", "none")));
        Assert.Equal([6.0], readings.Observe("wxshare.wechat.calls.today", ("endpoint", WeComEndpoints.CorpTicket)));

        context.Time.Advance(TimeSpan.FromHours(14)); // 02:00 UTC + 14 h = midnight in Beijing
        Assert.Empty(readings.Observe("wxshare.wechat.calls.today", ("endpoint", WeComEndpoints.CorpTicket)));
    }

    [Fact]
    public async Task Calls_today_start_again_at_midnight_Beijing_time()
    {
        await using var context = await WxShareTestContext.StartAsync(azurite);
        using var readings = new MeterReadings(context.Get<WxShareMetrics>().Meter);
        await context.TickAsync(); // 02:00 UTC = 10:00 in Beijing
        context.Time.Advance(TimeSpan.FromHours(13) + TimeSpan.FromMinutes(59)); // 23:59 in Beijing
        Assert.Equal([1.0], readings.Observe("wxshare.wechat.calls.today", ("endpoint", WeChatEndpoints.StableToken)));

        context.Time.Advance(TimeSpan.FromMinutes(1)); // midnight in Beijing, 16:00 UTC

        Assert.Empty(readings.Observe("wxshare.wechat.calls.today", ("endpoint", WeChatEndpoints.StableToken)));
    }

    [Fact]
    public async Task Signing_requests_over_http_count_by_result()
    {
        await using var host = await StandaloneHost.StartAsync(azurite);
        using var readings = new MeterReadings(host.App.Services.GetRequiredService<WxShareMetrics>().Meter);
        Assert.Equal(HttpStatusCode.OK, (await host.WaitForConfigAsync(Page)).StatusCode);
        var signedBefore = readings.Sum("wxshare.signing.requests", ("result", "signed"));

        for (var i = 0; i < 5; i++)
            await host.Client.GetAsync(StandaloneHost.ConfigPath(Page));
        await host.Client.GetAsync(StandaloneHost.ConfigPath("https://evil.example.org/"));
        await host.Client.GetAsync(WxShareHost.ConfigRoute + "?url=not-a-url");

        var deadline = DateTime.UtcNow.AddSeconds(10); // counted once each response has completed
        while (readings.Sum("wxshare.signing.requests", ("result", "rejected")) < 2 && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        Assert.Equal(5, readings.Sum("wxshare.signing.requests", ("result", "signed")) - signedBefore);
        Assert.Equal(1, readings.Sum("wxshare.signing.requests", ("result", "rejected"), ("http.response.status_code", "403")));
        Assert.Equal(1, readings.Sum("wxshare.signing.requests", ("result", "rejected"), ("http.response.status_code", "400")));
    }
}
