using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Signing;
using WxShare.Storage;
using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.EndToEnd;

/// <summary>The standalone host over real HTTP while its own Azurite is really stopped.</summary>
public sealed class StorageOutageTests
{
    private const string Page = "https://example.com/share?id=1";

    [Fact]
    public async Task Signing_keeps_succeeding_while_storage_is_stopped_and_restarted()
    {
        await using var azurite = await AzuriteProcess.StartAsync(persistent: true);
        await using var host = await StandaloneHost.StartAsync(azurite,
            builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Signing:TicketCacheSeconds"] = "1" }));
        Assert.Equal(HttpStatusCode.OK, (await host.WaitForConfigAsync(Page)).StatusCode);
        var ticket = host.Sandbox.State.CurrentTicket(SandboxDefaults.AppId);
        var reads = host.App.Services.GetRequiredService<StorageReadCounter>();

        int signed = 0, failed = 0;
        string? firstFailure = null;
        var stopwatch = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var load = Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await host.Client.GetAsync(StandaloneHost.ConfigPath(Page));
                var ok = response.StatusCode == HttpStatusCode.OK
                         && (await response.Content.ReadFromJsonAsync<JsSdkConfig>())!.VerifiesWith(ticket);
                if (ok)
                    Interlocked.Increment(ref signed);
                else if (Interlocked.Increment(ref failed) == 1)
                    firstFailure = $"{(int)response.StatusCode} at {stopwatch.Elapsed.TotalSeconds:0.0} s, ticket still current: "
                                   + $"{host.Sandbox.State.CurrentTicket(SandboxDefaults.AppId) == ticket}";
            }
        })));

        await Task.Delay(1000);
        azurite.Kill();
        var readsAtStop = reads.Reads;
        await Task.Delay(5000); // five cache periods without storage
        // A read in flight when storage went away spends its retries first (long on a loaded machine); the next starts once it has failed.
        for (var deadline = DateTime.UtcNow.AddSeconds(30); reads.Reads == readsAtStop && DateTime.UtcNow < deadline;)
            await Task.Delay(200);
        var readsDuringOutage = reads.Reads - readsAtStop;
        await azurite.RestartAsync();
        await Task.Delay(3000);
        await stop.CancelAsync();
        await load;

        Assert.True(failed == 0, $"{failed} of {failed + signed} requests failed; the first: {firstFailure}");
        Assert.True(signed > 100, $"only {signed} requests were signed");
        Assert.True(readsDuringOutage >= 1, "no background read was tried during the outage");
    }

    [Theory]
    [InlineData(false)] // stopped: connections are refused
    [InlineData(true)] // frozen: connections open and nothing answers
    public async Task A_cold_start_with_storage_down_answers_503_json_within_5_seconds(bool frozen)
    {
        await using var azurite = await AzuriteProcess.StartAsync();
        if (frozen)
            azurite.Pause();
        else
            azurite.Kill();
        await using var host = await StandaloneHost.StartAsync(azurite);

        var clock = Stopwatch.StartNew();
        var response = await host.Client.GetAsync(StandaloneHost.ConfigPath(Page));
        clock.Stop();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the answer took {clock.Elapsed}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(60), response.Headers.RetryAfter?.Delta);
        Assert.Equal("storage_unavailable", (await response.Content.ReadFromJsonAsync<ApiError>())!.Error);
    }
}
