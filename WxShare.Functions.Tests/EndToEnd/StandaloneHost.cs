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
    /// <param name="settings">Changes the settings, by the names operators use, before the host reads them.</param>
    public static Task<StandaloneHost> StartAsync(AzuriteFixture azurite, Action<WeChatSandboxState>? prepareSandbox = null,
        Action<WebApplicationBuilder>? configure = null, Action<WebApplication>? mapMore = null,
        Action<Dictionary<string, string?>>? settings = null, SandboxOptions? sandboxOptions = null) =>
        StartAsync(azurite.ConnectionString, azurite.NewTableName(), prepareSandbox, configure, mapMore, settings, sandboxOptions);

    /// <summary>Against a storage of the test's own, such as an <see cref="AzuriteProcess"/> it stops.</summary>
    public static Task<StandaloneHost> StartAsync(AzuriteProcess azurite, Action<WebApplicationBuilder>? configure = null) =>
        StartAsync(azurite.ConnectionString, AzuriteFixture.UniqueTableName(), null, configure, null, null, null);

    private static async Task<StandaloneHost> StartAsync(string storageConnection, string tableName, Action<WeChatSandboxState>? prepareSandbox,
        Action<WebApplicationBuilder>? configure, Action<WebApplication>? mapMore, Action<Dictionary<string, string?>>? changeSettings,
        SandboxOptions? sandboxOptions)
    {
        var sandbox = await WeChatSandboxServer.StartAsync(sandboxOptions);
        prepareSandbox?.Invoke(sandbox.State);
        var settings = TestSettings.For(storageConnection, tableName, sandbox.BaseAddress);
        changeSettings?.Invoke(settings);
        var app = WxShareHost.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            configure?.Invoke(builder);
        });
        mapMore?.Invoke(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new StandaloneHost(app, sandbox, new Uri(address));
    }

    /// <summary>Waits for the start-up tick to store a ticket, as a user of the quick start would.</summary>
    /// <param name="account">More of the query, such as <c>&amp;appId=…&amp;agentId=…</c> for a WeCom app.</param>
    public async Task<HttpResponseMessage> WaitForConfigAsync(string pageUrl, string account = "")
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var response = await Client.GetAsync(ConfigPath(pageUrl) + account);
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
