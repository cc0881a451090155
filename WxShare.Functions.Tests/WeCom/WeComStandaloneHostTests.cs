using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Host;
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
            Assert.Contains(sandbox.WeCom.ValidTickets(WeComApps.CorpId), t => WeComApps.IndependentSignature(t, config.NonceStr, config.Timestamp, workPage) == config.Signature);
            Assert.Equal(WeComApps.IndependentSignature(sandbox.WeCom.CurrentTicket(WeComApps.CorpId, agent)!, config.AgentConfig.NonceStr, config.Timestamp, workPage),
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
}
