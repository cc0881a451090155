using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Host;
using WxShare.Http;
using WxShare.Operations;
using WxShare.Signing;
using WxShare.WeChatSandbox;
using WxShare.WeCom;

namespace WxShare.Functions.Tests.WeCom;

[Collection(AzuriteCollection.Name)]
public sealed class WeComStandaloneHostTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task One_host_signs_an_official_account_page_and_a_page_of_each_WeCom_app_over_http()
    {
        await using var sandbox = await WeChatSandboxServer.StartAsync();
        var settings = TestSettings.For(azurite.ConnectionString, azurite.NewTableName(), sandbox.BaseAddress);
        WeComApps.AddBoth(settings);
        await using var app = WxShareHost.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        });
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single()) };
        const string workPage = "https://work.example.cn/approve?id=7";

        async Task<HttpResponseMessage> GetAsync(string query)
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (true)
            {
                var response = await http.GetAsync(WxShareHost.ConfigRoute + query);
                if (response.StatusCode != HttpStatusCode.ServiceUnavailable || DateTime.UtcNow > deadline)
                    return response;
                await Task.Delay(200);
            }
        }

        var mp = await (await GetAsync(HttpRequests.ForPage("https://m.example.com/a"))).Content.ReadFromJsonAsync<JsSdkConfig>();
        Assert.True(mp!.VerifiesWith(sandbox.State.CurrentTicket(SandboxDefaults.AppId)));
        foreach (var agent in new[] { WeComApps.One, WeComApps.Two })
        {
            var response = await GetAsync(HttpRequests.ForPage(workPage) + $"&appId={WeComApps.CorpId}&agentId={agent}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var config = (await response.Content.ReadFromJsonAsync<WeComJsSdkConfig>())!;
            // Each app fetched the corp ticket with its own token: the signature verifies with one of the corp's valid tickets.
            Assert.Contains(sandbox.WeCom.ValidTickets(WeComApps.CorpId), t => DocumentedSignature.Compute(t, config.NonceStr, config.Timestamp, workPage) == config.Signature);
            Assert.Equal(DocumentedSignature.Compute(sandbox.WeCom.CurrentTicket(WeComApps.CorpId, agent)!, config.AgentConfig.NonceStr, config.Timestamp, workPage),
                config.AgentConfig.Signature);
            Assert.Contains("\"beta\":true", await response.Content.ReadAsStringAsync());
        }

        var ambiguous = await http.GetAsync(WxShareHost.ConfigRoute + HttpRequests.ForPage(workPage));
        Assert.Equal(HttpStatusCode.BadRequest, ambiguous.StatusCode);
        var error = await ambiguous.Content.ReadFromJsonAsync<ApiError>();
        Assert.Equal("account_ambiguous", error!.Error);
        Assert.Contains("agentId", error.Message);
        await app.StopAsync();
    }

    [Fact]
    public async Task The_operator_routes_act_on_each_WeCom_app_over_http_named_by_appId_and_agentId()
    {
        const string key = "ops-key-0123456789abcdefghijklmnopqrstuvw";
        await using var host = await EndToEnd.StandaloneHost.StartAsync(azurite, settings: s =>
        {
            WeComApps.AddBoth(s);
            s["Accounts:hr:Relay"] = "true";
            s["Accounts:crm:Relay"] = "true";
            TestKeys.AddOperator(s, "ops", key);
        });
        async Task<(HttpStatusCode Status, JsonElement Json, string Body)> SendAsync(HttpMethod method, string path, string query = "")
        {
            using var request = new HttpRequestMessage(method, WxShareHost.Api(path) + query);
            request.Headers.Authorization = TestKeys.Bearer(key);
            using var response = await host.Client.SendAsync(request);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            var body = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, JsonDocument.Parse(body).RootElement.Clone(), body);
        }
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var health = await SendAsync(HttpMethod.Get, ApiRoutes.HealthPath);
        while (health.Status != HttpStatusCode.OK && DateTime.UtcNow < deadline) // the start-up tick has not stored everything yet
        {
            await Task.Delay(200);
            health = await SendAsync(HttpMethod.Get, ApiRoutes.HealthPath);
        }
        Assert.Equal(HttpStatusCode.OK, health.Status);

        foreach (var agent in new[] { WeComApps.One, WeComApps.Two })
        {
            var query = $"?appId={WeComApps.CorpId}&agentId={agent}";
            var token = await SendAsync(HttpMethod.Get, ApiRoutes.TokenPath, query);
            Assert.Equal(HttpStatusCode.OK, token.Status);
            Assert.Equal(agent, token.Json.GetProperty("agentId").GetString());
            Assert.True(host.Sandbox.WeCom.IsAccessTokenValid(WeComApps.CorpId, agent, token.Json.GetProperty("accessToken").GetString()!));

            var before = host.Sandbox.WeCom.CurrentTicket(WeComApps.CorpId, agent);
            var refreshed = await SendAsync(HttpMethod.Post, ApiRoutes.RefreshNowPath, query);
            Assert.Equal(HttpStatusCode.OK, refreshed.Status);
            Assert.InRange(refreshed.Json.GetProperty("tickets").GetProperty(HealthEndpoint.AgentTicketType).GetProperty("remainingSeconds").GetInt64(), 7190, 7200);
            Assert.NotEqual(before, host.Sandbox.WeCom.CurrentTicket(WeComApps.CorpId, agent));
            Assert.DoesNotContain(host.Sandbox.WeCom.CurrentTicket(WeComApps.CorpId, agent)!, refreshed.Body);
        }

        health = await SendAsync(HttpMethod.Get, ApiRoutes.HealthPath);
        var apps = health.Json.GetProperty("accounts").EnumerateArray().Where(a => a.TryGetProperty("agentId", out _)).ToArray();
        Assert.Equal([WeComApps.One, WeComApps.Two], apps.Select(a => a.GetProperty("agentId").GetString()).Order());
        Assert.All(apps, a => Assert.NotEqual(JsonValueKind.Null, a.GetProperty("tickets").GetProperty(HealthEndpoint.AgentTicketType).ValueKind));
        foreach (var agent in new[] { WeComApps.One, WeComApps.Two })
            Assert.DoesNotContain(host.Sandbox.WeCom.CurrentTicket(WeComApps.CorpId, agent)!, health.Body);

        var missing = await SendAsync(HttpMethod.Post, ApiRoutes.RefreshNowPath, $"?appId={WeComApps.CorpId}");
        var unknown = await SendAsync(HttpMethod.Get, ApiRoutes.TokenPath, $"?appId={WeComApps.CorpId}&agentId=1000999");
        Assert.Equal((HttpStatusCode.BadRequest, "agentid_missing"), (missing.Status, missing.Json.GetProperty("error").GetString()));
        Assert.Equal((HttpStatusCode.NotFound, "account_unknown"), (unknown.Status, unknown.Json.GetProperty("error").GetString()));
        Assert.Contains("agentId", missing.Json.GetProperty("message").GetString());
        Assert.Contains("agentId '1000999'", unknown.Json.GetProperty("message").GetString());
    }
}
