using System.Collections.Concurrent;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Functions.Tests.Refresh;
using WxShare.Operations;
using WxShare.Refresh;
using WxShare.WeChat;
using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.Operations;

/// <summary>
/// GET /api/wechat/token and POST /api/wechat/token/refresh through their function classes (the Functions host has
/// checked the key by then): the relay setting, the store as the only source, rotate-if-current, and the per-account
/// limit shared through the table by two instances.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TokenRelayTests(AzuriteFixture azurite)
{
    private static readonly string Query = "?appId=" + SandboxDefaults.AppId;

    /// <summary>The relay on a classic-token account: its replacement is the classic call.</summary>
    private static void RelayOn(Dictionary<string, string?> settings)
    {
        settings["WeChat:Relay"] = "true";
        settings["WeChat:TokenApi"] = "classic";
    }

    /// <summary>The relay on a stable-token account (the default): its replacement is a forced refresh.</summary>
    private static void StableRelayOn(Dictionary<string, string?> settings) => settings["WeChat:Relay"] = "true";

    private static Task<OperatorAnswer> GetTokenAsync(IServiceProvider services, string query = "") =>
        OperatorCalls.GetTokenAsync(services, query);

    private static Task<OperatorAnswer> ReportRejectedAsync(IServiceProvider services, string? body) =>
        OperatorCalls.ReportRejectedAsync(services, Query, body);

    private static Task<OperatorAnswer> RejectAsync(IServiceProvider services, string token) =>
        ReportRejectedAsync(services, OperatorCalls.RejectedTokenBody(token));

    /// <summary>
    /// A stored token old enough that the relay may replace it; <paramref name="dead"/>: WeChat no longer accepts it (as
    /// after another service's fetch), so a caller's report of it is true.
    /// </summary>
    private static async Task<(WxShareTestContext Context, string Token)> RelayedAsync(AzuriteFixture azurite,
        Action<Dictionary<string, string?>>? settings = null, bool dead = true)
    {
        var context = await WxShareTestContext.StartAsync(azurite, settings ?? RelayOn);
        await context.TickAsync();
        context.Time.Advance(TimeSpan.FromMinutes(2));
        context.Sandbox.State.ResetCalls();
        var token = (await context.StoredAsync()).AccessToken!.Value;
        if (dead)
            context.Sandbox.State.RevokeAccessToken(token);
        return (context, token);
    }

    [Fact]
    public async Task The_relay_is_off_unless_the_account_turns_it_on()
    {
        await using var context = await WxShareTestContext.StartAsync(azurite);
        await context.TickAsync();

        var read = await GetTokenAsync(context.Services);
        var refresh = await RejectAsync(context.Services, (await context.StoredAsync()).AccessToken!.Value);

        foreach (var answer in new[] { read, refresh })
        {
            Assert.Equal(403, answer.Status);
            Assert.Equal("relay_disabled", answer.Error);
            Assert.Contains("WeChat__Relay=true", answer.Json.GetProperty("message").GetString());
        }
    }

    [Fact]
    public async Task Relays_the_stored_token_from_the_store_without_calling_WeChat_and_logs_no_token()
    {
        var (context, token) = await RelayedAsync(azurite, dead: false);
        await using var owned = context;

        var answer = await GetTokenAsync(context.Services, Query);

        Assert.Equal(200, answer.Status);
        Assert.Equal(SandboxDefaults.AppId, answer.Json.GetProperty("appId").GetString());
        Assert.Equal(token, answer.Json.GetProperty("accessToken").GetString());
        Assert.True(context.Sandbox.State.IsAccessTokenValid(SandboxDefaults.AppId, token));
        Assert.Equal(WxShareTestContext.Start.AddSeconds(7200), answer.Json.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.False(answer.Json.TryGetProperty("refreshed", out _));
        Assert.Equal("no-store", answer.Headers.CacheControl.ToString());
        Assert.Equal(new SandboxCallCounts(0, 0, 0), context.Sandbox.State.Calls);
        var logs = context.Logs.GetSnapshot();
        Assert.Contains(logs, l => l.Message.Contains("Relayed the access_token of " + SandboxDefaults.AppId) && l.Message.Contains("to key tests"));
        Assert.DoesNotContain(logs, l => l.Message.Contains(token));
    }

    [Fact]
    public async Task An_unknown_appId_is_404_and_several_accounts_need_one()
    {
        await using var context = await WxShareTestContext.StartAsync(azurite, s =>
        {
            RelayOn(s);
            s["Accounts:shop:AppId"] = "wx00000000000000shop";
            s["Accounts:shop:AppSecret"] = "shop-secret";
            s["Accounts:shop:AllowedDomains"] = "shop.example.cn";
        });

        var unknown = await GetTokenAsync(context.Services, "?appId=wxnobody");
        var missing = await GetTokenAsync(context.Services);
        var notRelayed = await GetTokenAsync(context.Services, "?appId=wx00000000000000shop");

        Assert.Equal((404, "account_unknown"), (unknown.Status, unknown.Error));
        Assert.Equal((400, "appid_missing"), (missing.Status, missing.Error));
        Assert.Equal((403, "relay_disabled"), (notRelayed.Status, notRelayed.Error));
        Assert.Contains("Accounts__shop__Relay=true", notRelayed.Body);
    }

    [Fact]
    public async Task Before_any_token_is_stored_the_relay_answers_503_token_unavailable()
    {
        await using var context = await WxShareTestContext.StartAsync(azurite, RelayOn);

        var answer = await GetTokenAsync(context.Services, Query);

        Assert.Equal((503, "token_unavailable"), (answer.Status, answer.Error));
        Assert.Equal("60", answer.Headers.RetryAfter.ToString());
    }

    [Fact]
    public async Task Ten_callers_on_two_instances_with_the_same_rejected_token_cause_one_refresh()
    {
        var (context, rejected) = await RelayedAsync(azurite);
        await using var owned = context;
        await using var second = SecondInstance.Start(azurite, context, RelayOn);

        var answers = new ConcurrentBag<OperatorAnswer>();
        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
            answers.Add(await RejectAsync(i % 2 == 0 ? context.Services : second, rejected)))));

        Assert.Equal(new SandboxCallCounts(Token: 1, StableToken: 0, Ticket: 0), context.Sandbox.State.Calls);
        var stored = (await context.StoredAsync()).AccessToken!.Value;
        Assert.NotEqual(rejected, stored);
        Assert.Single(answers, a => a.Status == 200 && a.Json.GetProperty("refreshed").GetBoolean());
        // The rest got the new token (already replaced) or were told the refresh was under way; none refreshed again.
        Assert.All(answers, a => Assert.True(
            (a.Status == 200 && a.Json.GetProperty("accessToken").GetString() == stored) || (a.Status == 409 && a.Error == "refresh_in_progress"),
            $"{a.Status} {a.Error}"));

        var late = await RejectAsync(second, rejected);
        Assert.Equal(200, late.Status);
        Assert.False(late.Json.GetProperty("refreshed").GetBoolean());
        Assert.Equal(stored, late.Json.GetProperty("accessToken").GetString());
        Assert.Equal(1, context.Sandbox.State.Calls.Token);
    }

    [Fact]
    public async Task The_limit_of_one_refresh_a_minute_holds_across_two_instances_sharing_the_table()
    {
        var (context, rejected) = await RelayedAsync(azurite);
        await using var owned = context;
        await using var second = SecondInstance.Start(azurite, context, RelayOn);
        context.Sandbox.State.SetFault(new SandboxFault(SandboxFaultKind.Busy, SandboxEndpoint.Token, RemainingCalls: 1));

        var failed = await RejectAsync(context.Services, rejected);
        var limited = await RejectAsync(second, rejected);

        Assert.Equal((502, "refresh_failed"), (failed.Status, failed.Error));
        Assert.Contains("-1", failed.Json.GetProperty("message").GetString());
        Assert.Equal((429, "refresh_rate_limited"), (limited.Status, limited.Error));
        Assert.Equal("60", limited.Headers.RetryAfter.ToString());
        Assert.Equal(1, context.Sandbox.State.Calls.Token);

        context.Time.Advance(TimeSpan.FromSeconds(61));
        var refreshed = await RejectAsync(second, rejected);
        Assert.Equal(200, refreshed.Status);
        Assert.True(refreshed.Json.GetProperty("refreshed").GetBoolean());
        Assert.Equal(2, context.Sandbox.State.Calls.Token);
        Assert.True(context.Sandbox.State.IsAccessTokenValid(SandboxDefaults.AppId, refreshed.Json.GetProperty("accessToken").GetString()!));
    }

    [Fact]
    public async Task A_token_under_a_minute_old_is_never_replaced()
    {
        await using var context = await WxShareTestContext.StartAsync(azurite, RelayOn);
        await context.TickAsync();
        context.Time.Advance(TimeSpan.FromSeconds(20));
        context.Sandbox.State.ResetCalls();

        var answer = await RejectAsync(context.Services, (await context.StoredAsync()).AccessToken!.Value);

        Assert.Equal((409, "token_too_new"), (answer.Status, answer.Error));
        Assert.Equal("40", answer.Headers.RetryAfter.ToString());
        Assert.Equal(new SandboxCallCounts(0, 0, 0), context.Sandbox.State.Calls);
    }

    [Fact]
    public async Task During_a_back_off_after_a_configuration_error_WeChat_is_left_alone()
    {
        var (context, rejected) = await RelayedAsync(azurite);
        await using var owned = context;
        context.Sandbox.State.SetFault(new SandboxFault(SandboxFaultKind.ErrorCode, SandboxEndpoint.Token, ErrorCode: 40164));
        Assert.Equal("refresh_failed", (await RejectAsync(context.Services, rejected)).Error);
        context.Time.Advance(TimeSpan.FromMinutes(2)); // past the relay's own limit, inside the 30-minute back-off

        var answer = await RejectAsync(context.Services, rejected);

        Assert.Equal((503, "refresh_backing_off"), (answer.Status, answer.Error));
        Assert.Contains("40164", answer.Json.GetProperty("message").GetString());
        Assert.Equal(1, context.Sandbox.State.Calls.Token);
    }

    [Fact]
    public async Task A_stable_token_is_replaced_by_a_forced_refresh_that_counts_against_the_daily_guard()
    {
        var (context, rejected) = await RelayedAsync(azurite, StableRelayOn);
        await using var owned = context;

        var answer = await RejectAsync(context.Services, rejected);

        Assert.Equal(200, answer.Status);
        Assert.True(answer.Json.GetProperty("refreshed").GetBoolean());
        Assert.Equal(new SandboxCallCounts(Token: 0, StableToken: 1, Ticket: 0), context.Sandbox.State.Calls);
        var stored = await context.StoredAsync();
        Assert.Equal(stored.AccessToken!.Value, answer.Json.GetProperty("accessToken").GetString());
        Assert.True(rejected != stored.AccessToken.Value, "The rejected token is still the stored one."); // no token in the output
        // Forced: an unforced stable_token call would have returned the rejected token, still valid.
        Assert.False(context.Sandbox.State.IsAccessTokenValid(SandboxDefaults.AppId, rejected));
        Assert.Equal([context.Time.GetUtcNow()], stored.ForcedRefreshes!);
        Assert.Equal([context.Time.GetUtcNow()], stored.RelayForcedRefreshes!); // out of the relay's share
        Assert.Equal(1, context.Sandbox.State.CallbackIpCalls); // WeChat confirmed the token dead first
    }

    [Fact]
    public async Task Relay_callers_spend_at_most_15_forced_refreshes_a_day_and_operators_keep_the_other_5()
    {
        var (context, token) = await RelayedAsync(azurite, StableRelayOn);
        await using var owned = context;
        for (var i = 0; i < ForcedTokenRefresher.RelayShare.PerDay; i++)
        {
            var refreshed = await RejectAsync(context.Services, token);
            Assert.Equal(200, refreshed.Status);
            token = refreshed.Json.GetProperty("accessToken").GetString()!;
            context.Sandbox.State.RevokeAccessToken(token); // and WeChat rejects the new one too: a caller with a real problem
            context.Time.Advance(TimeSpan.FromSeconds(61)); // past the relay's own limit of one a minute
        }

        var refused = await RejectAsync(context.Services, token);

        Assert.Equal((429, "forced_refresh_limited"), (refused.Status, refused.Error));
        Assert.Contains("15 of WeChat's 20 forced token refreshes a day (the other 5 are kept for operators)", refused.Json.GetProperty("message").GetString());
        var retryAfter = int.Parse(refused.Headers.RetryAfter.ToString());
        Assert.InRange(retryAfter, 86400 - 16 * 61, 86400 - 15 * 61 + 1);
        Assert.Equal(ForcedTokenRefresher.RelayShare.PerDay, context.Sandbox.State.Calls.StableToken);
        Assert.True(token == (await context.StoredAsync()).AccessToken!.Value, "A refused refresh replaced the token."); // no token in the output

        // The operators' five are still there, and then WeChat's 20 are spent: one budget for both.
        var forced = context.Get<ForcedTokenRefresher>();
        var account = context.Get<WxShare.Accounts.AccountRegistry>().All.Single();
        for (var i = 0; i < ForcedTokenRefresher.KeptForOperators; i++)
        {
            Assert.Equal(ForcedTokenRefreshStatus.Refreshed, (await forced.ForceRefreshAsync(account, CancellationToken.None)).Status);
            context.Time.Advance(TimeSpan.FromSeconds(31));
        }
        Assert.Equal(ForcedTokenRefreshStatus.Refused, (await forced.ForceRefreshAsync(account, CancellationToken.None)).Status);
        Assert.Equal(ForcedTokenRefresher.MaxPerDay, context.Sandbox.State.Calls.StableToken);
        var stored = await context.StoredAsync();
        Assert.Equal(ForcedTokenRefresher.MaxPerDay, stored.ForcedRefreshes!.Count);
        Assert.Equal(ForcedTokenRefresher.RelayShare.PerDay, stored.RelayForcedRefreshes!.Count);
    }

    [Fact]
    public async Task A_token_WeChat_still_accepts_is_409_token_still_valid_and_a_looping_caller_rotates_nothing()
    {
        var (context, live) = await RelayedAsync(azurite, StableRelayOn, dead: false);
        await using var owned = context;
        var before = await context.StoredAsync();

        for (var i = 0; i < 25; i++)
        {
            var answer = await RejectAsync(context.Services, live);
            Assert.Equal((409, "token_still_valid"), (answer.Status, answer.Error));
            Assert.Contains("getcallbackip", answer.Json.GetProperty("message").GetString());
            Assert.DoesNotContain(live, answer.Body);
            context.Time.Advance(TimeSpan.FromSeconds(61));
        }

        // WeChat was asked each time and issued nothing; the row holds the same token, no forced refresh spent.
        Assert.Equal(25, context.Sandbox.State.CallbackIpCalls);
        Assert.Equal(new SandboxCallCounts(0, 0, 0), context.Sandbox.State.Calls);
        Assert.True(context.Sandbox.State.IsAccessTokenValid(SandboxDefaults.AppId, live));
        var after = await context.StoredAsync();
        Assert.True(live == after.AccessToken!.Value, "The live token was replaced."); // no token in the output
        Assert.Empty(after.ForcedRefreshes ?? []);
        Assert.Equal(before.RelayRefreshAt, after.RelayRefreshAt);
        Assert.DoesNotContain(context.Logs.GetSnapshot(), l => l.Message.Contains(live));
    }

    [Fact]
    public async Task WeChat_is_asked_with_getcallbackip_a_replaced_token_is_dead_an_expired_one_too_and_a_failed_check_rotates_nothing()
    {
        var (context, live) = await RelayedAsync(azurite, dead: false);
        await using var owned = context;
        var weChat = context.Get<WeChatApiClient>();

        Assert.True(await weChat.AcceptsAccessTokenAsync(live, CancellationToken.None));
        Assert.False(await weChat.AcceptsAccessTokenAsync("never-issued", CancellationToken.None)); // 40001

        context.Sandbox.State.SetFault(new SandboxFault(SandboxFaultKind.ErrorCode, SandboxEndpoint.CallbackIp, ErrorCode: 45009));
        var failed = await RejectAsync(context.Services, live);
        Assert.Equal((502, "token_check_failed"), (failed.Status, failed.Error));
        Assert.Contains("45009", failed.Json.GetProperty("message").GetString());
        Assert.Equal(new SandboxCallCounts(0, 0, 0), context.Sandbox.State.Calls);
        context.Sandbox.State.ClearFault();

        context.Time.Advance(TimeSpan.FromHours(2)); // past expires_in: 42001
        Assert.False(await weChat.AcceptsAccessTokenAsync(live, CancellationToken.None));
    }

    [Fact]
    public async Task Once_the_lease_is_taken_the_callers_cancellation_no_longer_reaches_WeChat_and_the_new_token_is_stored()
    {
        var (context, rejected) = await RelayedAsync(azurite, StableRelayOn);
        await using var owned = context;
        // The forced stable_token call waits a moment at WeChat: the caller gives up while it is under way.
        context.Sandbox.State.SetFault(new SandboxFault(SandboxFaultKind.Delay, SandboxEndpoint.StableToken, DelayMilliseconds: 1500, RemainingCalls: 1));
        using var caller = new CancellationTokenSource();
        var account = context.Get<WxShare.Accounts.AccountRegistry>().All.Single();

        var refresh = context.Get<RejectedTokenRefresher>().RefreshAsync(account, rejected, caller.Token);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (context.Sandbox.State.Calls.StableToken == 0 && DateTime.UtcNow < deadline)
            await Task.Delay(10);
        Assert.NotNull((await context.StoredAsync()).Lease);
        await caller.CancelAsync();
        try
        {
            await refresh;
        }
        catch (OperationCanceledException)
        {
            // today's code gave up here: WeChat had ended the old token and the new one was never stored
        }

        var stored = await context.StoredAsync();
        Assert.True(rejected != stored.AccessToken!.Value, "The rejected token is still the stored one: the forced refresh was given up."); // no token in the output
        Assert.True(context.Sandbox.State.IsAccessTokenValid(SandboxDefaults.AppId, stored.AccessToken.Value), "The stored token is not the one WeChat issued.");
        Assert.Null(stored.Lease);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not json")]
    [InlineData("{\"accessToken\":\"\"}")]
    [InlineData("{\"token\":\"abc\"}")]
    public async Task A_body_without_the_rejected_token_is_400(string? body)
    {
        var (context, _) = await RelayedAsync(azurite);
        await using var owned = context;

        var answer = await ReportRejectedAsync(context.Services, body);

        Assert.Equal((400, "body_invalid"), (answer.Status, answer.Error));
        Assert.Equal(new SandboxCallCounts(0, 0, 0), context.Sandbox.State.Calls);
    }
}
