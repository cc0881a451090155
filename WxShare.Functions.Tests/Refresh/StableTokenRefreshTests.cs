using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WxShare.Accounts;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Refresh;
using WxShare.Storage;
using WxShare.WeChat;
using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.Refresh;

/// <summary>The default token API, stable_token: scheduled by its returned expiry, forced only on an operator's request.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class StableTokenRefreshTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_week_of_ticks_makes_no_forced_refresh_and_about_a_dozen_token_calls_a_day()
    {
        await using var context = await WxShareTestContext.StartAsync(azurite);
        await context.TickAsync();
        var seen = new Dictionary<string, DateTimeOffset>();
        var alwaysValid = true;

        await context.RunTicksAsync(TimeSpan.FromDays(7), async () =>
        {
            var stored = await context.StoredAsync();
            alwaysValid &= context.Sandbox.State.IsTicketValid(SandboxDefaults.AppId, stored.JsapiTicket!.Value)
                           && context.Sandbox.State.IsAccessTokenValid(SandboxDefaults.AppId, stored.AccessToken!.Value);
            seen[stored.AccessToken!.Value] = stored.AccessToken.ExpiresAt;
            // A forced refresh would kill earlier tokens before their expiry; unforced renewals never do.
            foreach (var (token, expiresAt) in seen)
                Assert.True(context.Time.GetUtcNow() >= expiresAt || context.Sandbox.State.IsAccessTokenValid(SandboxDefaults.AppId, token));
        });

        var calls = context.Sandbox.State.Calls;
        Assert.True(alwaysValid);
        Assert.Equal(0, calls.Token);
        // One renewal per 115 minutes (the token is asked for again only in its last 300 s): 7 × 1440 / 115 ≈ 88.
        Assert.InRange(calls.StableToken, 86, 90);
        Assert.Empty((await context.StoredAsync()).ForcedRefreshes ?? []);
        Assert.InRange(seen.Count, 86, 90);
    }

    [Fact]
    public async Task A_token_with_little_life_left_is_asked_for_once_more_in_the_renewal_window_not_every_tick()
    {
        await using var context = await WxShareTestContext.StartAsync(azurite);
        // Another service of the same account fetched the stable token 110 minutes ago: 10 minutes of it are left.
        using (var http = new HttpClient { BaseAddress = context.Sandbox.BaseAddress })
            // With a length: the sandbox, like WeChat, answers a chunked (JsonContent) POST 412.
            await http.PostAsync("cgi-bin/stable_token", new StringContent(
                $$"""{"grant_type":"client_credential","appid":"{{SandboxDefaults.AppId}}","secret":"{{SandboxDefaults.AppSecret}}"}""",
                System.Text.Encoding.UTF8, "application/json"));
        context.Time.Advance(TimeSpan.FromMinutes(110));

        await context.TickAsync();
        var first = (await context.StoredAsync()).AccessToken!;
        Assert.Equal(context.Time.GetUtcNow().AddMinutes(10), first.ExpiresAt);

        await context.RunTicksAsync(TimeSpan.FromHours(1));

        var renewed = (await context.StoredAsync()).AccessToken!;
        Assert.NotEqual(first.Value, renewed.Value);
        Assert.True(context.Sandbox.State.IsAccessTokenValid(SandboxDefaults.AppId, renewed.Value));
        // The other service's call, ours with 10 minutes left, and one in the last 300 s.
        Assert.Equal(3, context.Sandbox.State.Calls.StableToken);
    }

    [Fact]
    public async Task A_token_returned_inside_the_renewal_window_is_not_asked_for_again_until_it_expires()
    {
        await using var context = await WxShareTestContext.StartAsync(azurite);
        var account = context.Get<AccountRegistry>().All.Single();
        var policy = context.Get<RefreshPolicy>();
        var now = WxShareTestContext.Start;
        // WeChat had no newer token to give: 200 s left when fetched.
        var record = CredentialRecord.Empty(account.StorageKey) with
        {
            AccessToken = new IssuedCredential("t", now, now.AddSeconds(200)),
            JsapiTicket = new IssuedCredential("j", now, now.AddHours(2)),
        };

        Assert.False(policy.Plan(record, account, now.AddSeconds(100)).AccessTokenDue);
        Assert.False(policy.Plan(record, account, now.AddSeconds(199)).AccessTokenDue);
        Assert.True(policy.Plan(record, account, now.AddSeconds(200)).AccessTokenDue);
    }

    [Fact]
    public async Task A_40001_from_getticket_fetches_the_stable_token_again_unforced_and_retries_once()
    {
        await using var context = await WxShareTestContext.StartAsync(azurite);
        await context.TickAsync();
        context.Time.Advance(TimeSpan.FromMinutes(100)); // the ticket is due, the token (20 minutes left) is not
        context.Sandbox.State.SetFault(new SandboxFault(SandboxFaultKind.ErrorCode, SandboxEndpoint.Ticket, ErrorCode: 40001, RemainingCalls: 1));

        Assert.Equal(RefreshResult.Refreshed, await context.TickAsync());

        var stored = await context.StoredAsync();
        Assert.Equal(context.Sandbox.State.CurrentTicket(SandboxDefaults.AppId), stored.JsapiTicket!.Value);
        Assert.Null(stored.LastFailure);
        Assert.Equal(new SandboxCallCounts(Token: 0, StableToken: 2, Ticket: 3), context.Sandbox.State.Calls);
        Assert.Empty(stored.ForcedRefreshes ?? []);
    }

    [Fact]
    public async Task A_forced_refresh_kills_the_old_token_and_stores_the_new_one()
    {
        await using var context = await WxShareTestContext.StartAsync(azurite);
        await context.TickAsync();
        var old = (await context.StoredAsync()).AccessToken!.Value;

        var result = await context.Get<ForcedTokenRefresher>().ForceRefreshAsync(Default(context), CancellationToken.None);

        Assert.Equal(ForcedTokenRefreshStatus.Refreshed, result.Status);
        var stored = await context.StoredAsync();
        Assert.NotEqual(old, stored.AccessToken!.Value);
        Assert.False(context.Sandbox.State.IsAccessTokenValid(SandboxDefaults.AppId, old));
        Assert.True(context.Sandbox.State.IsAccessTokenValid(SandboxDefaults.AppId, stored.AccessToken.Value));
        Assert.Equal(stored.AccessToken.ExpiresAt, result.TokenExpiresAt);
        Assert.DoesNotContain(stored.AccessToken.Value, result.Message);
        Assert.Single(stored.ForcedRefreshes!);
    }

    [Fact]
    public async Task Forced_refreshes_stop_at_twenty_a_day_and_thirty_seconds_apart_whichever_instance_asks()
    {
        await using var context = await WxShareTestContext.StartAsync(azurite);
        await context.TickAsync();
        context.Sandbox.State.ResetCalls();
        // Two instances, or one restarted: each a refresher of its own; the guard lives only in the table.
        ForcedTokenRefresher Instance(string id) => ActivatorUtilities.CreateInstance<ForcedTokenRefresher>(context.Services,
            ActivatorUtilities.CreateInstance<CredentialRefresher>(context.Services, new RefreshInstance(id)));
        var instances = new[] { Instance("a"), Instance("b"), Instance("restarted-a") };
        var results = new List<ForcedTokenRefresh>();

        for (var i = 0; i < 60; i++)
        {
            results.Add(await instances[i % 3].ForceRefreshAsync(Default(context), CancellationToken.None));
            context.Time.Advance(TimeSpan.FromSeconds(i % 2 == 0 ? 10 : 25)); // asks every 10-25 s
        }

        Assert.Equal(20, results.Count(r => r.Status == ForcedTokenRefreshStatus.Refreshed));
        Assert.Equal(40, results.Count(r => r.Status == ForcedTokenRefreshStatus.Refused));
        Assert.DoesNotContain(results, r => r.Status == ForcedTokenRefreshStatus.Failed); // WeChat never had to refuse one
        Assert.Equal(20, context.Sandbox.State.Calls.StableToken);
        var refreshedAt = (await context.StoredAsync()).ForcedRefreshes!;
        Assert.Equal(20, refreshedAt.Count);
        Assert.All(refreshedAt.Zip(refreshedAt.Skip(1)), pair => Assert.True(pair.Second - pair.First >= ForcedTokenRefresher.MinimumInterval));
        var refused = results.Last(r => r.Status == ForcedTokenRefreshStatus.Refused);
        Assert.Equal(refreshedAt[0].AddDays(1), refused.NotBefore);

        // A day after the first, one more is allowed.
        context.Time.SetUtcNow(refreshedAt[0].AddDays(1));
        Assert.Equal(ForcedTokenRefreshStatus.Refreshed, (await instances[1].ForceRefreshAsync(Default(context), CancellationToken.None)).Status);
    }

    private static Account Default(WxShareTestContext context) => context.Get<AccountRegistry>().All.Single();
}
