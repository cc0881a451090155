using WxShare.Http;
using Microsoft.Extensions.Logging;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Functions.Tests.Refresh;
using WxShare.Signing;
using WxShare.Storage;
using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.Signing;

/// <summary>The ticket cache against an Azurite of each test's own, which the test really stops or freezes.</summary>
public sealed class TicketCacheOutageTests
{
    private const string Page = "https://example.com/share?id=1";
    private static readonly TimeSpan PastOneCachePeriod = TimeSpan.FromSeconds(61);

    private static async Task<HttpAnswer> CallAsync(WxShareTestContext context)
    {
        var request = HttpRequests.Get(context.Services, HttpRequests.ForPage(Page));
        return await HttpRequests.ExecuteAsync(await new JsSdkConfigFunction(context.Get<HttpEdge>()).Run(request), request);
    }

    private static async Task AssertSignedAsync(WxShareTestContext context, string ticket)
    {
        var (status, config) = HttpRequests.Unwrap<JsSdkConfig>(await CallAsync(context));
        Assert.Equal(200, status);
        Assert.True(config.VerifiesWith(ticket));
    }

    [Fact]
    public async Task A_storage_outage_keeps_signing_with_the_ticket_in_memory_and_is_logged_once_at_its_start_and_once_at_its_end()
    {
        await using var azurite = await AzuriteProcess.StartAsync(persistent: true);
        await using var context = await WxShareTestContext.StartAsync(azurite);
        await context.TickAsync();
        var ticket = context.Sandbox.State.CurrentTicket(SandboxDefaults.AppId)!;
        var cache = context.Get<SigningTicketCache>();
        await AssertSignedAsync(context, ticket);

        azurite.Kill();
        for (var period = 0; period < 2; period++)
        {
            context.Time.Advance(PastOneCachePeriod);
            await AssertSignedAsync(context, ticket); // starts a background read, which fails
            await cache.BackgroundReadOf(SandboxDefaults.AppId);
            await AssertSignedAsync(context, ticket);
        }
        await azurite.RestartAsync();
        context.Time.Advance(PastOneCachePeriod);
        await AssertSignedAsync(context, ticket);
        await cache.BackgroundReadOf(SandboxDefaults.AppId);

        var outageLogs = context.Logs.GetSnapshot().Where(r => r.Category == typeof(SigningTicketCache).FullName).ToList();
        Assert.Equal(2, outageLogs.Count);
        Assert.Equal(LogLevel.Error, outageLogs[0].Level);
        Assert.Contains("cannot be read", outageLogs[0].Message);
        Assert.NotNull(outageLogs[0].Exception);
        // From the first failed read (one period in) to the first good one (three periods in).
        Assert.Contains("answers again", outageLogs[1].Message);
        Assert.Contains("00:02:02", outageLogs[1].Message);
    }

    [Fact]
    public async Task Requests_never_wait_for_the_background_read_and_start_only_one()
    {
        await using var azurite = await AzuriteProcess.StartAsync();
        await using var context = await WxShareTestContext.StartAsync(azurite);
        await context.TickAsync();
        var ticket = context.Sandbox.State.CurrentTicket(SandboxDefaults.AppId)!;
        await AssertSignedAsync(context, ticket);
        var reads = context.Get<StorageReadCounter>();

        azurite.Pause(); // storage accepts connections but never answers: the background read hangs
        context.Time.Advance(PastOneCachePeriod);
        var readsBefore = reads.Reads;
        for (var i = 0; i < 50; i++)
        {
            var request = HttpRequests.Get(context.Services, HttpRequests.ForPage(Page));
            var pending = new JsSdkConfigFunction(context.Get<HttpEdge>()).Run(request);
            Assert.True(pending.IsCompletedSuccessfully, "a request waited for something");
            Assert.True(HttpRequests.Unwrap<JsSdkConfig>(await HttpRequests.ExecuteAsync(await pending, request)).Body.VerifiesWith(ticket));
        }

        var backgroundRead = context.Get<SigningTicketCache>().BackgroundReadOf(SandboxDefaults.AppId);
        Assert.False(backgroundRead.IsCompleted);
        // The one read runs on the thread pool: on a busy machine it may not have begun yet.
        for (var waited = 0; reads.Reads == readsBefore && waited < 100; waited++)
            await Task.Delay(100);
        Assert.Equal(readsBefore + 1, reads.Reads);
        azurite.Resume();
        await backgroundRead.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(context.Logs.GetSnapshot(), r => r.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task Under_a_storage_hang_fifty_concurrent_cold_requests_and_health_checks_all_answer_503_within_5_s()
    {
        await using var azurite = await AzuriteProcess.StartAsync();
        await using var context = await WxShareTestContext.StartAsync(azurite);
        azurite.Pause(); // connections open, nothing answers

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var signing = Enumerable.Range(0, 50).Select(_ => Task.Run(async () =>
        {
            var answer = await CallAsync(context);
            return (HttpRequests.Unwrap<ApiError>(answer), clock.Elapsed);
        })).ToArray();
        var health = Enumerable.Range(0, 10).Select(_ => Task.Run(async () =>
        {
            var answer = await OperatorCalls.HealthAsync(context.Services);
            return ((answer.Status, answer.Error), clock.Elapsed);
        })).ToArray();
        var signed = await Task.WhenAll(signing);
        var checkedHealth = await Task.WhenAll(health);
        azurite.Resume();

        Assert.All(signed, a => Assert.Equal((503, "storage_unavailable"), (a.Item1.Status, a.Item1.Body.Error)));
        Assert.All(checkedHealth, a => Assert.Equal((503, "storage_unavailable"), a.Item1));
        var slowest = signed.Select(a => a.Elapsed).Concat(checkedHealth.Select(a => a.Elapsed)).Max();
        Assert.True(slowest < TimeSpan.FromSeconds(5), $"The slowest answer took {slowest.TotalSeconds:0.0} s.");
    }

    [Fact]
    public async Task A_cold_instance_with_storage_down_answers_503_storage_unavailable_and_logs_the_outage_once()
    {
        await using var azurite = await AzuriteProcess.StartAsync();
        await using var context = await WxShareTestContext.StartAsync(azurite);
        azurite.Kill();

        for (var i = 0; i < 3; i++)
        {
            var answer = await CallAsync(context);
            var (status, error) = HttpRequests.Unwrap<ApiError>(answer);
            Assert.Equal(503, status);
            Assert.Equal("storage_unavailable", error.Error);
            Assert.Equal("60", answer.Response.Headers.RetryAfter.ToString());
        }
        Assert.Single(context.Logs.GetSnapshot(), r => r.Level == LogLevel.Error);
    }
}
