using System.Net;
using System.Text.Json;
using WxShare.Functions.Tests.FunctionsHost.Protocol;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Functions.Tests.WeCom;
using WxShare.Operations;
using WxShare.WeCom;

namespace WxShare.Functions.Tests.Worker;

/// <summary>A WeCom app configured through app settings (Accounts__hr__*, WeCom__ApiBaseUrl), refreshed and signed by the worker.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class WorkerWeComTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_WeCom_app_from_app_settings_gets_a_beta_config_with_an_agentConfig_signed_by_its_own_tickets()
    {
        await using var app = await FunctionsApp.StartAsync(azurite, settings => WeComApps.Add(settings, "hr", WeComApps.One));
        const string page = "https://work.example.cn/approve?id=7";

        var tick = await app.Host.InvokeTimerAsync("RefreshCredentials");
        var response = await app.Host.GetAsync(WorkerRoutes.Config(page) + $"&appId={WeComApps.CorpId}&agentId={WeComApps.One}");

        Assert.Equal(StatusResult.Types.Status.Success, tick.Result.Status);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"beta\":true", body);
        var config = JsonSerializer.Deserialize<WeComJsSdkConfig>(body)!;
        var weCom = app.Sandbox.WeCom;
        Assert.Equal((WeComApps.CorpId, page, WeComApps.CorpId, WeComApps.One), (config.AppId, config.Url, config.AgentConfig.CorpId, config.AgentConfig.AgentId));
        Assert.Equal(DocumentedSignature.Compute(weCom.CurrentTicket(WeComApps.CorpId)!, config.NonceStr, config.Timestamp, page), config.Signature);
        Assert.Equal(DocumentedSignature.Compute(weCom.CurrentTicket(WeComApps.CorpId, WeComApps.One)!, config.AgentConfig.NonceStr, config.AgentConfig.Timestamp, page),
            config.AgentConfig.Signature);
    }

    [Fact]
    public async Task The_worker_refreshes_a_WeCom_app_now_by_appId_and_agentId_and_its_health_shows_the_agent_ticket()
    {
        await using var app = await FunctionsApp.StartAsync(azurite, settings => WeComApps.AddBoth(settings));
        Assert.Equal(StatusResult.Types.Status.Success, (await app.Host.InvokeTimerAsync("RefreshCredentials")).Result.Status);
        var before = app.Sandbox.WeCom.CurrentTicket(WeComApps.CorpId, WeComApps.Two);

        var refreshed = await app.Host.SendAsync(FunctionsApp.Keyed(HttpMethod.Post, $"/api/ops/refresh?appId={WeComApps.CorpId}&agentId={WeComApps.Two}"));
        var ambiguous = await app.Host.SendAsync(FunctionsApp.Keyed(HttpMethod.Post, $"/api/ops/refresh?appId={WeComApps.CorpId}"));
        var health = await app.Host.SendAsync(FunctionsApp.Keyed(HttpMethod.Get, "/api/health"));

        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        using var refreshBody = JsonDocument.Parse(await refreshed.Content.ReadAsStringAsync());
        Assert.Equal(WeComApps.Two, refreshBody.RootElement.GetProperty("agentId").GetString());
        Assert.NotEqual(before, app.Sandbox.WeCom.CurrentTicket(WeComApps.CorpId, WeComApps.Two));
        Assert.Equal(HttpStatusCode.BadRequest, ambiguous.StatusCode);
        using var error = JsonDocument.Parse(await ambiguous.Content.ReadAsStringAsync());
        Assert.Equal("agentid_missing", error.RootElement.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var healthBody = await health.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(healthBody);
        var crm = json.RootElement.GetProperty("accounts").EnumerateArray().Single(a => a.GetProperty("name").GetString() == "crm");
        Assert.Equal(WeComApps.Two, crm.GetProperty("agentId").GetString());
        Assert.InRange(crm.GetProperty("tickets").GetProperty(HealthEndpoint.AgentTicketType).GetProperty("remainingSeconds").GetInt64(), 7100, 7200);
        Assert.DoesNotContain(app.Sandbox.WeCom.CurrentTicket(WeComApps.CorpId, WeComApps.Two)!, healthBody);
    }
}
