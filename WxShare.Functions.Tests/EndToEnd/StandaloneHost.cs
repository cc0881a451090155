using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Host;
using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.EndToEnd;

/// <summary>The standalone host on a free loopback port, against Azurite and a WeChat sandbox, on the real clock.</summary>
public sealed class StandaloneHost : IAsyncDisposable
{
    private StandaloneHost(WebApplication app, WeChatSandboxServer sandbox, Uri baseAddress)
    {
        App = app;
        Sandbox = sandbox;
        Client = new HttpClient { BaseAddress = baseAddress };
    }

    public WebApplication App { get; }
    public WeChatSandboxServer Sandbox { get; }
    public HttpClient Client { get; }

    /// <param name="configure">More settings or services, applied after the test settings.</param>
    public static async Task<StandaloneHost> StartAsync(AzuriteFixture azurite, Action<WeChatSandboxState>? prepareSandbox = null,
        Action<WebApplicationBuilder>? configure = null)
    {
        var sandbox = await WeChatSandboxServer.StartAsync();
        prepareSandbox?.Invoke(sandbox.State);
        var settings = TestSettings.For(azurite.ConnectionString, azurite.NewTableName(), sandbox.BaseAddress);
        var app = WxShareHost.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            configure?.Invoke(builder);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new StandaloneHost(app, sandbox, new Uri(address));
    }

    /// <summary>Waits for the start-up tick to store a ticket, as a user of the quick start would.</summary>
    public async Task<HttpResponseMessage> WaitForConfigAsync(string pageUrl)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var response = await Client.GetAsync(ConfigPath(pageUrl));
            if (response.IsSuccessStatusCode || DateTime.UtcNow > deadline)
                return response;
            await Task.Delay(200);
        }
    }

    public static string ConfigPath(string pageUrl) => WxShareHost.ConfigRoute + HttpRequests.ForPage(pageUrl);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
