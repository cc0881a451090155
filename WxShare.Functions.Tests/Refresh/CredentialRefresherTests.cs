using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WxShare.Accounts;
using WxShare.Errors;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Refresh;
using WxShare.Storage;
using WxShare.WeChat;
using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.Refresh;

/// <summary>The refresh with the classic token API (TokenApi=classic), whose every fetch replaces the previous token.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class CredentialRefresherTests(AzuriteFixture azurite)
{
    private static Task<WxShareTestContext> StartClassicAsync(
        AzuriteFixture azurite, Action<Dictionary<string, string?>>? configure = null, SandboxOptions? sandboxOptions = null) =>
        WxShareTestContext.StartAsync(azurite, settings =>
        {
            settings["WeChat:TokenApi"] = "classic";
            configure?.Invoke(settings);
        }, sandboxOptions);

    [Fact]
    public async Task A_fresh_deployment_fetches_token_then_ticket_and_stores_them()
    {
        await using var context = await StartClassicAsync(azurite);

        Assert.Equal(RefreshResult.Refreshed, await context.TickAsync());

        var stored = await context.StoredAsync();
        Assert.True(context.Sandbox.State.IsAccessTokenValid(SandboxDefaults.AppId, stored.AccessToken!.Value));
        Assert.Equal(context.Sandbox.State.CurrentTicket(SandboxDefaults.AppId), stored.JsapiTicket!.Value);
        Assert.Equal(WxShareTestContext.Start.AddSeconds(7200), stored.JsapiTicket.ExpiresAt);
        Assert.Equal(new SandboxCallCounts(Token: 1, StableToken: 0, Ticket: 1), context.Sandbox.State.Calls);
    }

    [Fact]
    public async Task Seven_days_of_five_minute_ticks_fetch_once_per_hundred_minutes_and_always_hold_a_valid_ticket()
    {
        await using var context = await StartClassicAsync(azurite);
        await context.TickAsync();
        var expiredAtSomeTick = false;

        var results = await context.RunTicksAsync(TimeSpan.FromDays(7), async () =>
        {
            var ticket = (await context.StoredAsync()).JsapiTicket;
            expiredAtSomeTick |= ticket is null || !context.Sandbox.State.IsTicketValid(SandboxDefaults.AppId, ticket.Value);
        });

        var calls = context.Sandbox.State.Calls;
        // 7 days = 10,080 minutes: one fetch at start and one every 100 minutes, 101 in all.
        Assert.InRange(calls.Token, 100, 102);
        Assert.InRange(calls.Ticket, 100, 102);
        Assert.Equal(calls.Token - 1, results.Count(r => r == RefreshResult.Refreshed));
        Assert.Equal(2016, results.Count);
        Assert.False(expiredAtSomeTick);
    }

    [Fact]
    public async Task A_shorter_expires_in_from_WeChat_is_honoured_over_the_hundred_minutes()
    {
        await using var context = await StartClassicAsync(azurite,
            sandboxOptions: new SandboxOptions { TokenExpiresInSeconds = 3600, TicketExpiresInSeconds = 3600 });
        await context.TickAsync();
        await context.RunTicksAsync(TimeSpan.FromHours(10));
        // Due 15 minutes before each 60-minute expiry: every 45 minutes, so 1 + 13 fetches in 10 hours.
        Assert.Equal(14, context.Sandbox.State.Calls.Ticket);
    }

    [Fact]
    public async Task A_40001_from_getticket_refreshes_the_token_and_recovers_within_the_same_tick()
    {
        // The ticket falls due (45 minutes) long before the token (100 minutes), so the tick reuses the stored token.
        await using var context = await StartClassicAsync(azurite, sandboxOptions: new SandboxOptions { TicketExpiresInSeconds = 3600 });
        await context.TickAsync();
        var firstToken = (await context.StoredAsync()).AccessToken!.Value;

        // Someone else fetches a token for the same appid: ours dies five minutes later.
        context.Time.Advance(TimeSpan.FromMinutes(10));
        using (var http = new HttpClient { BaseAddress = context.Sandbox.BaseAddress })
            await http.GetStringAsync($"cgi-bin/token?grant_type=client_credential&appid={SandboxDefaults.AppId}&secret={SandboxDefaults.AppSecret}");
        context.Time.Advance(TimeSpan.FromMinutes(35));
        Assert.False(context.Sandbox.State.IsAccessTokenValid(SandboxDefaults.AppId, firstToken));

        Assert.Equal(RefreshResult.Refreshed, await context.TickAsync());

        var stored = await context.StoredAsync();
        Assert.Equal(context.Sandbox.State.CurrentTicket(SandboxDefaults.AppId), stored.JsapiTicket!.Value);
        Assert.True(context.Sandbox.State.IsAccessTokenValid(SandboxDefaults.AppId, stored.AccessToken!.Value));
        Assert.Null(stored.LastFailure);
        // Ours, the other service's, our retry; and the initial, refused and retried tickets.
        Assert.Equal(new SandboxCallCounts(Token: 3, StableToken: 0, Ticket: 3), context.Sandbox.State.Calls);
    }

    [Fact]
    public async Task An_hour_of_WeChat_errors_keeps_the_old_ticket_until_it_expires_then_recovers()
    {
        await using var context = await StartClassicAsync(azurite);
        await context.TickAsync();
        var original = (await context.StoredAsync()).JsapiTicket!;

        await context.RunTicksAsync(TimeSpan.FromMinutes(95));
        context.Sandbox.State.SetFault(new SandboxFault(SandboxFaultKind.Busy));
        var duringOutage = await context.RunTicksAsync(TimeSpan.FromMinutes(60), async () =>
        {
            var stored = await context.StoredAsync();
            Assert.Equal(original, stored.JsapiTicket);
            Assert.Equal(-1, stored.LastFailure?.ErrorCode);
        });
        Assert.All(duringOutage, r => Assert.Equal(RefreshResult.Failed, r));
        Assert.Equal(12, duringOutage.Count);

        context.Sandbox.State.ClearFault();
        Assert.Equal(RefreshResult.Refreshed, (await context.RunTicksAsync(RefreshScenario.Tick)).Single());
        var recovered = await context.StoredAsync();
        Assert.NotEqual(original.Value, recovered.JsapiTicket!.Value);
        Assert.Null(recovered.LastFailure);
    }

    [Theory]
    [InlineData(SandboxFaultKind.ServerError, 3)] // retried twice by the resilience pipeline
    [InlineData(SandboxFaultKind.MalformedBody, 1)]
    public async Task Transport_failures_become_recorded_failures_not_exceptions(SandboxFaultKind kind, int expectedTokenCalls)
    {
        await using var context = await StartClassicAsync(azurite);
        context.Sandbox.State.SetFault(new SandboxFault(kind, SandboxEndpoint.Token));

        Assert.Equal(RefreshResult.Failed, await context.TickAsync());
        Assert.Equal(expectedTokenCalls, context.Sandbox.State.Calls.Token);

        var stored = await context.StoredAsync();
        Assert.Null(stored.AccessToken);
        Assert.Equal(ApiCall.AccessToken, stored.LastFailure?.Call);
        Assert.Null(stored.LastFailure?.ErrorCode);
        Assert.Null(stored.RetryNotBefore);
    }

    [Fact]
    public async Task A_passing_HTTP_failure_is_retried_within_the_tick()
    {
        await using var context = await StartClassicAsync(azurite);
        context.Sandbox.State.SetFault(new SandboxFault(SandboxFaultKind.ServerError, SandboxEndpoint.Ticket, RemainingCalls: 1));

        Assert.Equal(RefreshResult.Refreshed, await context.TickAsync());
        Assert.Equal(new SandboxCallCounts(Token: 1, StableToken: 0, Ticket: 2), context.Sandbox.State.Calls);
    }

    [Fact]
    public async Task A_wrong_secret_is_reported_as_a_configuration_error_and_not_retried_in_a_loop()
    {
        await using var context = await StartClassicAsync(azurite, s => s["WeChat:AppSecret"] = "not-the-secret-at-all-000000000");

        Assert.Equal(RefreshResult.Failed, await context.TickAsync());
        Assert.Equal(1, context.Sandbox.State.Calls.Token);

        var error = Assert.Single(context.Logs.GetSnapshot(), l => l.Level == LogLevel.Error);
        Assert.Contains("40125", error.Message);
        Assert.Contains("WeChat__AppSecret", error.Message);

        var results = await context.RunTicksAsync(TimeSpan.FromMinutes(25));
        Assert.All(results, r => Assert.Equal(RefreshResult.BackingOff, r));
        Assert.Equal(1, context.Sandbox.State.Calls.Total);

        await context.RunTicksAsync(TimeSpan.FromMinutes(5));
        Assert.Equal(2, context.Sandbox.State.Calls.Token);
    }

    [Fact]
    public async Task A_quota_error_backs_off_and_keeps_serving_what_is_stored()
    {
        await using var context = await StartClassicAsync(azurite, sandboxOptions: new SandboxOptions { TicketDailyQuota = 1 });
        await context.TickAsync();
        var original = (await context.StoredAsync()).JsapiTicket;

        await context.RunTicksAsync(TimeSpan.FromMinutes(100));
        var stored = await context.StoredAsync();
        Assert.Equal(45009, stored.LastFailure?.ErrorCode);
        Assert.Equal(original, stored.JsapiTicket);
        Assert.NotNull(stored.RetryNotBefore);
        Assert.Equal(2, context.Sandbox.State.Calls.Ticket);
    }

    [Fact]
    public async Task A_token_quota_error_waits_for_WeChats_reset_at_Beijing_midnight_and_calls_nothing_before_it()
    {
        await using var context = await StartClassicAsync(azurite, sandboxOptions: new SandboxOptions { TokenDailyQuota = 1 });
        await context.TickAsync();

        await context.RunTicksAsync(TimeSpan.FromMinutes(100)); // the token is due by age: the second token call of the day is refused
        var stored = await context.StoredAsync();
        Assert.Equal((45009, ApiCall.AccessToken), (stored.LastFailure?.ErrorCode, stored.LastFailure?.Call));
        var beijingMidnight = new DateTimeOffset(2026, 12, 1, 16, 0, 0, TimeSpan.Zero);
        Assert.Equal(beijingMidnight, stored.RetryNotBefore); // not 30 minutes: WeChat refuses until then

        var waiting = await context.RunTicksAsync(beijingMidnight - RefreshScenario.Tick - context.Time.GetUtcNow()); // the last at 15:55
        Assert.All(waiting, r => Assert.Equal(RefreshResult.BackingOff, r));
        Assert.Equal(2, context.Sandbox.State.Calls.Token);

        context.Time.SetUtcNow(beijingMidnight);
        Assert.Equal(RefreshResult.Refreshed, await context.TickAsync());
        Assert.Equal(3, context.Sandbox.State.Calls.Token);
    }

    [Fact]
    public async Task A_lease_held_by_another_instance_keeps_this_one_off_WeChat_until_it_lapses()
    {
        await using var context = await StartClassicAsync(azurite);
        var store = context.Get<CredentialStore>();
        await store.EnsureTableAsync(CancellationToken.None);
        var empty = await store.GetAsync(SandboxDefaults.AppId, CancellationToken.None);
        await store.TryAcquireLeaseAsync(empty, new RefreshLease("other-instance", WxShareTestContext.Start.AddMinutes(2)), CancellationToken.None);

        Assert.Equal(RefreshResult.LeasedByOther, await context.TickAsync());
        Assert.Equal(0, context.Sandbox.State.Calls.Total);

        context.Time.Advance(TimeSpan.FromMinutes(3)); // the other instance crashed: its lease lapses by itself
        Assert.Equal(RefreshResult.Refreshed, await context.TickAsync());
    }

    [Fact]
    public async Task Concurrent_ticks_of_many_instances_fetch_one_token()
    {
        await using var context = await StartClassicAsync(azurite);
        var instances = Enumerable.Range(0, 6).Select(i =>
            ActivatorUtilities.CreateInstance<CredentialRefresher>(context.Services, new RefreshInstance($"instance-{i}"),
                // Each instance its own, as each process has: only the row keeps them to one quota reading an hour.
                ActivatorUtilities.CreateInstance<WxShare.WeChatDiagnostics.WeChatQuotaService>(context.Services)));

        var results = (await Task.WhenAll(instances.Select(r => r.RefreshAllAsync(CancellationToken.None)))).SelectMany(r => r.Values).ToArray();

        Assert.Equal(1, results.Count(r => r == RefreshResult.Refreshed));
        Assert.Equal(1, context.Sandbox.State.Calls.Token);
        Assert.Equal(1, context.Sandbox.State.Calls.Ticket);
        // One quota reading (token path and getticket) among the six, not one each.
        Assert.Equal(2, context.Sandbox.State.Diagnostics.QuotaGetCalls);
    }

    [Fact]
    public async Task No_secret_or_credential_ever_reaches_a_log()
    {
        await using var context = await StartClassicAsync(azurite, sandboxOptions: new SandboxOptions { TicketExpiresInSeconds = 3600 });
        var issued = new HashSet<string> { SandboxDefaults.AppSecret };
        async Task Remember()
        {
            var stored = await context.StoredAsync();
            if (stored.AccessToken is { } token) issued.Add(token.Value);
            if (stored.JsapiTicket is { } ticket) issued.Add(ticket.Value);
        }

        await context.TickAsync();
        await Remember();
        context.Sandbox.State.SetFault(new SandboxFault(SandboxFaultKind.ErrorCode, SandboxEndpoint.Ticket, ErrorCode: 40001, RemainingCalls: 1));
        await context.RunTicksAsync(TimeSpan.FromMinutes(50), Remember); // token refused, refreshed, retried
        context.Sandbox.State.SetFault(new SandboxFault(SandboxFaultKind.ServerError));
        await context.RunTicksAsync(TimeSpan.FromMinutes(60), Remember);

        var logs = context.Logs.GetSnapshot();
        Assert.Contains(logs, l => l.Level == LogLevel.Warning && l.Message.Contains("40001"));
        Assert.True(issued.Count >= 4);
        // Request URIs carry secret= and access_token=; .NET redacts their queries today, but that is a switch away
        // (System.Net.Http.DisableUriRedaction), so WxShare keeps them out of the logs altogether.
        Assert.DoesNotContain(logs, l => l.Message.Contains("cgi-bin"));
        foreach (var line in logs)
            foreach (var secret in issued)
            {
                Assert.DoesNotContain(secret, line.Message);
                Assert.DoesNotContain(secret, line.Exception?.ToString() ?? "");
            }
    }
}
