using System.Net;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using WxShare.Functions.Tests.EndToEnd;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Http;
using WxShare.Platform;
using WxShare.Storage;
using WxShare.WeChatSandbox;
using WxShare.WeChatSandbox.Platform;

namespace WxShare.Functions.Tests.Platform;

/// <summary>
/// The standalone host with the platform <c>saas</c>, against Azurite and the sandbox, whose pushes reach the event
/// route (<c>POST /api/platform/{name}/events</c>), on the real clock; an operator key <see cref="OperatorKey"/>.
/// </summary>
internal sealed class PlatformTestBed : IAsyncDisposable
{
    public static readonly string OperatorKey = TestKeys.Secret('k');

    private PlatformTestBed(StandaloneHost host) => Host = host;

    public StandaloneHost Host { get; }
    /// <summary>The host's credential table, which the platform rows share.</summary>
    public TableClient Table => Host.App.Services.GetRequiredService<TableClient>();
    public WeChatSandboxServer Sandbox => Host.Sandbox;
    public PlatformSandboxState SandboxPlatform => Host.Sandbox.Platform;
    public PlatformStore Store => Host.App.Services.GetRequiredService<PlatformStore>();
    public PlatformEventReceiver Receiver => Host.App.Services.GetRequiredService<PlatformEventReceiver>();

    public static async Task<PlatformTestBed> StartAsync(AzuriteFixture azurite, Action<Dictionary<string, string?>>? settings = null)
    {
        var host = await StandaloneHost.StartAsync(azurite,
            settings: s =>
            {
                PlatformTestSettings.Add(s);
                TestKeys.Add(s, "ops", OperatorKey, routes: "ops", accounts: "*");
                settings?.Invoke(s);
            },
            configure: b => b.Logging.AddFakeLogging(),
            sandboxOptions: new SandboxOptions { Platform = new PlatformSandboxOptions { PushIntervalSeconds = 0 } });
        await host.App.Services.GetRequiredService<CredentialStore>().EnsureTableAsync(CancellationToken.None);
        host.Sandbox.Platform.Options.EventUrl = new Uri(host.Client.BaseAddress!, $"/api/platform/{PlatformTestSettings.Name}/events");
        return new PlatformTestBed(host);
    }

    /// <summary>Every row the platforms wrote to the table (partitions platform-…).</summary>
    public Task<IReadOnlyList<TableEntity>> PlatformRowsAsync() => PlatformRowsAsync(Table);

    /// <summary>Every row the platforms wrote to <paramref name="table"/> (partitions platform-…), whichever host wrote them.</summary>
    public static async Task<IReadOnlyList<TableEntity>> PlatformRowsAsync(TableClient table)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey.CompareTo("platform-") >= 0 && e.PartitionKey.CompareTo("platform.") < 0))
            rows.Add(row);
        return rows;
    }

    public IReadOnlyList<FakeLogRecord> ReceiverLogs(LogLevel level) =>
        Host.App.Services.GetRequiredService<FakeLogCollector>().GetSnapshot()
            .Where(r => r.Category == typeof(PlatformEventReceiver).FullName && r.Level == level).ToArray();

    /// <summary>The account's consent on the sandbox's authorization page: the authorized push, then the redirect's query.</summary>
    public async Task<(HttpStatusCode Status, string? Location)> AuthorizeAsync(string authorizerAppId)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Sandbox.BaseAddress };
        using var response = await http.GetAsync(
            $"_sandbox/authorize?appid={authorizerAppId}&redirect_uri={Uri.EscapeDataString("https://wx.example.com/api/platform/saas/authorized?x=1")}");
        return (response.StatusCode, response.Headers.Location?.ToString());
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
