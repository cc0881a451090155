using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WxShare.Accounts;
using WxShare.Errors;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Functions.Tests.Refresh;
using WxShare.Platform;
using WxShare.Refresh;
using WxShare.Storage;
using WxShare.WeChatDiagnostics;
using Xunit.Abstractions;

namespace WxShare.Functions.Tests.Platform;

/// <summary>
/// A platform's credentials on the one refresh engine, on the fake clock: the component token from the pushed ticket,
/// each authorizer's token (api_authorizer_token with the stored refresh token) and jsapi ticket, authorizers found in
/// storage on every tick, and the platform errors' handling (61005/61006, 61023, 61003).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PlatformRefreshTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private static readonly TimeSpan PushInterval = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task Without_a_ticket_the_component_token_waits_for_a_push_and_asks_for_one_once_per_push_interval()
    {
        await using var context = await PlatformScenario.StartAsync(azurite);
        var component = context.Platform().ComponentAccount;

        var first = await context.Get<CredentialRefresher>().RefreshAllAsync(CancellationToken.None);
        Assert.Equal(RefreshResult.BackingOff, first[component.Name]);
        await context.RunTicksAsync(TimeSpan.FromMinutes(5));
        Assert.Equal(1, context.Sandbox.Platform.Calls.GetValueOrDefault("api_start_push_ticket"));
        Assert.Equal(0, context.Sandbox.Platform.Calls.GetValueOrDefault("api_component_token"));
        var waiting = await context.Get<CredentialStore>().GetAsync(component.StorageKey, CancellationToken.None);
        Assert.Contains("api_start_push_ticket", waiting.LastFailure?.Message);

        // The push ends the wait at once: the receiver has the engine fetch the token, not the next tick.
        Assert.Equal(PlatformEventEffect.TicketStored, (await context.PushTicketAsync()).Effect);
        var row = await context.Get<CredentialStore>().GetAsync(component.StorageKey, CancellationToken.None);
        Assert.NotNull(row.AccessToken);
        Assert.Null(row.LastFailure);
        Assert.Equal(1, context.Sandbox.Platform.Calls["api_component_token"]);
    }

    [Fact]
    public async Task An_expired_ticket_61005_waits_for_the_next_push_instead_of_calling_every_tick()
    {
        await using var context = await PlatformScenario.StartAsync(azurite);
        await context.PushTicketAsync();
        context.Sandbox.Platform.TicketsExpired = true;

        context.Time.Advance(TimeSpan.FromMinutes(101)); // the component token is due
        await context.RunTicksAsync(TimeSpan.FromMinutes(9));

        Assert.Equal(2, context.Sandbox.Platform.Calls["api_component_token"]); // the push's, then one 61005 per push interval
        Assert.Equal(1, context.Sandbox.Platform.Calls["api_start_push_ticket"]);
        var row = await context.Get<CredentialStore>().GetAsync(context.Platform().ComponentAccount.StorageKey, CancellationToken.None);
        Assert.Contains("61005", row.LastFailure?.Message);
        Assert.True(row.AccessToken!.ExpiresAt > context.Time.GetUtcNow(), "The token in use was dropped by a failed refresh.");
    }

    [Fact]
    public async Task An_authorizer_is_found_in_storage_refreshed_with_its_stored_refresh_token_and_signs_with_its_own_ticket()
    {
        await using var context = await PlatformScenario.StartAsync(azurite);
        var appId = PlatformScenario.AuthorizerAppId(1);
        await context.PushTicketAsync();
        Assert.Equal(PlatformEventEffect.AuthorizerStored, (await context.AuthorizeAsync(appId)).Effect);

        var results = await context.Get<CredentialRefresher>().RefreshAllAsync(CancellationToken.None);
        var account = Assert.Single(context.Get<AccountRegistry>().WithAppId(appId));
        Assert.True(account.IsAuthorizer);
        Assert.Equal(RefreshResult.Refreshed, results[account.Name]);
        var row = await context.Get<CredentialStore>().GetAsync(account.StorageKey, CancellationToken.None);
        Assert.True(row.JsapiTicket is { } ticket && context.Sandbox.State.IsTicketValid(appId, ticket.Value), "The authorizer holds no ticket of its own.");
        // The token api_query_auth granted served the first refresh: no api_authorizer_token yet.
        Assert.Equal(0, context.Sandbox.Platform.Calls.GetValueOrDefault("api_authorizer_token"));

        context.Time.Advance(TimeSpan.FromMinutes(101));
        await context.Get<CredentialRefresher>().RefreshAllAsync(CancellationToken.None);
        Assert.Equal(1, context.Sandbox.Platform.Calls["api_authorizer_token"]);
        var refreshed = await context.Get<CredentialStore>().GetAsync(account.StorageKey, CancellationToken.None);
        Assert.True(refreshed.JsapiTicket!.Value != row.JsapiTicket!.Value && context.Sandbox.State.IsTicketValid(appId, refreshed.JsapiTicket.Value));
        // The refresh token lives in the authorizer row only.
        var authorizer = await context.Get<PlatformStore>().GetAuthorizerAsync(PlatformTestSettings.Name, appId, CancellationToken.None);
        Assert.Equal(context.Sandbox.Platform.RefreshTokenOf(appId), authorizer.RefreshToken);
    }

    [Fact]
    public async Task A_replaced_refresh_token_61023_is_recovered_from_the_authorizer_list_and_a_dead_one_asks_for_reauthorization()
    {
        await using var context = await PlatformScenario.StartAsync(azurite);
        var appId = PlatformScenario.AuthorizerAppId(2);
        await context.PushTicketAsync();
        await context.AuthorizeAsync(appId);
        await context.Get<CredentialRefresher>().RefreshAllAsync(CancellationToken.None);
        Assert.True(context.Sandbox.Platform.RotateRefreshToken(appId));

        context.Time.Advance(TimeSpan.FromMinutes(101));
        await context.PushTicketAsync();
        var account = context.Platform().AuthorizerAccount(appId);
        var results = await context.Get<CredentialRefresher>().RefreshAllAsync(CancellationToken.None);

        Assert.Equal(RefreshResult.Refreshed, results[account.Name]);
        Assert.Equal(1, context.Sandbox.Platform.Calls["api_get_authorizer_list"]);
        Assert.Equal(2, context.Sandbox.Platform.Calls["api_authorizer_token"]); // 61023, then the recovered token
        var authorizer = await context.Get<PlatformStore>().GetAuthorizerAsync(PlatformTestSettings.Name, appId, CancellationToken.None);
        Assert.Equal(context.Sandbox.Platform.RefreshTokenOf(appId), authorizer.RefreshToken);

        // The list has nothing newer: 61023 stands, with the advice to authorize again, and the engine's back-off.
        context.Sandbox.Platform.RefreshTokensInvalid = true;
        context.Time.Advance(TimeSpan.FromMinutes(101));
        await context.PushTicketAsync();
        results = await context.Get<CredentialRefresher>().RefreshAllAsync(CancellationToken.None);
        Assert.Equal(RefreshResult.Failed, results[account.Name]);
        var row = await context.Get<CredentialStore>().GetAsync(account.StorageKey, CancellationToken.None);
        Assert.Equal(61023, row.LastFailure?.ErrorCode);
        Assert.NotNull(row.RetryNotBefore);
        Assert.Contains(context.Logs.GetSnapshot(), l => l.Level == LogLevel.Error && l.Message.Contains("61023") && l.Message.Contains("/api/platform/saas/authorize"));
    }

    [Fact]
    public async Task An_account_that_withdrew_61003_is_marked_unauthorized_and_no_longer_served()
    {
        await using var context = await PlatformScenario.StartAsync(azurite);
        var appId = PlatformScenario.AuthorizerAppId(3);
        await context.PushTicketAsync();
        await context.AuthorizeAsync(appId);
        await context.Get<CredentialRefresher>().RefreshAllAsync(CancellationToken.None);
        // The account withdraws, and its unauthorized push never arrives.
        using (var http = new HttpClient { BaseAddress = context.Sandbox.BaseAddress })
            (await http.PostAsync($"sandbox/platform/unauthorize?appid={appId}", null)).EnsureSuccessStatusCode();

        context.Time.Advance(TimeSpan.FromMinutes(101));
        await context.PushTicketAsync();
        await context.Get<CredentialRefresher>().RefreshAllAsync(CancellationToken.None);

        var authorizer = await context.Get<PlatformStore>().GetAuthorizerAsync(PlatformTestSettings.Name, appId, CancellationToken.None);
        Assert.Equal(AuthorizerStatus.Unauthorized, authorizer.Status);
        Assert.NotNull(authorizer.RefreshToken); // kept as the record
        Assert.Empty(context.Get<AccountRegistry>().WithAppId(appId));
        var calls = context.Sandbox.Platform.Calls["api_authorizer_token"];
        await context.RunTicksAsync(TimeSpan.FromHours(1));
        Assert.Equal(calls, context.Sandbox.Platform.Calls["api_authorizer_token"]);
    }

    /// <summary>Issue 20's figure: WeChat calls per authorizer per day, 50 authorizers over two simulated days, pushes every 10 minutes.</summary>
    [Fact]
    public async Task Fifty_authorizers_over_two_simulated_days_cost_one_token_and_one_ticket_per_period_each()
    {
        await using var context = await PlatformScenario.StartAsync(azurite);
        var appIds = Enumerable.Range(0, 50).Select(PlatformScenario.AuthorizerAppId).ToArray();
        await context.PushTicketAsync();
        foreach (var appId in appIds)
            await context.AuthorizeAsync(appId);
        var platformCallsBefore = context.Sandbox.Platform.Calls.Values.Sum();
        var ticketCallsBefore = context.Sandbox.State.Calls.Ticket;
        var refresher = context.Get<CredentialRefresher>();
        await refresher.RefreshAllAsync(CancellationToken.None);
        var allValid = true;

        var start = context.Time.GetUtcNow();
        var end = start.AddDays(2);
        while (context.Time.GetUtcNow() < end)
        {
            context.Time.Advance(RefreshScenario.Tick);
            if ((context.Time.GetUtcNow() - start).Ticks % PushInterval.Ticks == 0)
                await context.PushTicketAsync();
            await refresher.RefreshAllAsync(CancellationToken.None);
            if ((context.Time.GetUtcNow() - start).Ticks % TimeSpan.FromHours(3).Ticks == 0)
                allValid &= await AllTicketsValidAsync(context, appIds);
        }

        Assert.True(allValid && await AllTicketsValidAsync(context, appIds), "An authorizer's stored ticket was not valid at WeChat at some point.");
        var calls = context.Sandbox.Platform.Calls;
        var authorizerTokens = calls["api_authorizer_token"];
        // getticket is counted for every account: the configured one (TestSettings' default) keeps the same cadence as each authorizer.
        var tickets = context.Sandbox.State.Calls.Ticket - ticketCallsBefore;
        var authorizerTickets = tickets * 50.0 / 51;
        var componentTokens = calls["api_component_token"];
        var perAuthorizerPerDay = (authorizerTickets + calls.Values.Sum() - platformCallsBefore) / appIds.Length / 2;
        output.WriteLine($"2 days, 50 authorizers: api_authorizer_token {authorizerTokens}, getticket {tickets} (51 accounts), api_component_token {componentTokens}, "
                         + $"all component calls after onboarding {calls.Values.Sum() - platformCallsBefore}: {perAuthorizerPerDay:F1} WeChat calls per authorizer per day");
        // MaxAge 100 min: at most one token and one ticket per account per 100 minutes (29 periods in 2 days), never one per tick.
        Assert.InRange(authorizerTokens, 50 * 27, 50 * 29);
        Assert.InRange(tickets, 51 * 28, 51 * 30);
        Assert.InRange(componentTokens, 28, 31);
        Assert.Equal(0, calls.GetValueOrDefault("api_start_push_ticket"));
    }

    /// <summary>Issue 20: 8 instances refreshing 50 authorizers fetch each credential at most once per period (the lease and the ETag).</summary>
    [Fact]
    public async Task Eight_instances_refreshing_fifty_authorizers_fetch_each_credential_at_most_once_per_period()
    {
        await using var context = await PlatformScenario.StartAsync(azurite);
        var appIds = Enumerable.Range(100, 50).Select(PlatformScenario.AuthorizerAppId).ToArray();
        await context.PushTicketAsync();
        foreach (var appId in appIds)
            await context.AuthorizeAsync(appId);
        var instances = Enumerable.Range(0, 8).Select(i => ActivatorUtilities.CreateInstance<CredentialRefresher>(context.Services,
            new RefreshInstance($"instance-{i}"), ActivatorUtilities.CreateInstance<WeChatQuotaService>(context.Services))).ToArray();
        var ticketCallsBefore = context.Sandbox.State.Calls.Ticket;

        var start = context.Time.GetUtcNow();
        var end = start.AddHours(4);
        var rounds = 0;
        do
        {
            if ((context.Time.GetUtcNow() - start).Ticks % PushInterval.Ticks == 0)
                await context.PushTicketAsync();
            await Task.WhenAll(instances.Select(r => r.RefreshAllAsync(CancellationToken.None)));
            rounds++;
            context.Time.Advance(RefreshScenario.Tick);
        }
        while (context.Time.GetUtcNow() < end);

        // 4 hours at MaxAge 100 min: fetched at 0 (the granted token: no call), 100 and 200 minutes; never once per instance.
        var calls = context.Sandbox.Platform.Calls;
        Assert.Equal(50 * 2, calls["api_authorizer_token"]);
        Assert.Equal(51 * 3, context.Sandbox.State.Calls.Ticket - ticketCallsBefore); // and the configured account's
        Assert.Equal(3, calls["api_component_token"]);
        Assert.True(await AllTicketsValidAsync(context, appIds));
        output.WriteLine($"8 instances x {rounds} rounds: api_authorizer_token {calls["api_authorizer_token"]}, getticket {context.Sandbox.State.Calls.Ticket - ticketCallsBefore}, "
                         + $"api_component_token {calls["api_component_token"]}");
    }

    private static async Task<bool> AllTicketsValidAsync(WxShareTestContext context, IEnumerable<string> appIds)
    {
        var store = context.Get<CredentialStore>();
        foreach (var appId in appIds)
        {
            var row = await store.GetAsync(context.Platform().AuthorizerAccount(appId).StorageKey, CancellationToken.None);
            if (row.JsapiTicket is not { } ticket || !context.Sandbox.State.IsTicketValid(appId, ticket.Value))
                return false;
        }
        return true;
    }
}
