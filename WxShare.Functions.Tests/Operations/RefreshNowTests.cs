using WxShare.Functions.Tests.Infrastructure;
using WxShare.Functions.Tests.Refresh;
using WxShare.Refresh;
using WxShare.Storage;
using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.Operations;

/// <summary>POST /api/ops/refresh through its function class: refreshes now, yet keeps the timer's lease and back-off.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RefreshNowTests(AzuriteFixture azurite)
{
    private static Task<OperatorAnswer> RefreshNowAsync(WxShareTestContext context, string query = "") =>
        OperatorCalls.RefreshNowAsync(context.Services, query);

    private static void Classic(Dictionary<string, string?> settings) => settings["WeChat:TokenApi"] = "classic";

    private static async Task<WxShareTestContext> RefreshedAsync(AzuriteFixture azurite, Action<Dictionary<string, string?>>? settings = null)
    {
        var context = await WxShareTestContext.StartAsync(azurite, settings ?? Classic);
        await context.TickAsync();
        context.Time.Advance(TimeSpan.FromMinutes(10)); // nothing is due for another 90 minutes
        context.Sandbox.State.ResetCalls();
        return context;
    }

    [Fact]
    public async Task Refreshes_token_and_ticket_now_even_when_not_due()
    {
        await using var context = await RefreshedAsync(azurite);
        var before = await context.StoredAsync();

        var answer = await RefreshNowAsync(context, "?appId=" + SandboxDefaults.AppId);

        Assert.Equal(200, answer.Status);
        Assert.Equal("refreshed", answer.Json.GetProperty("result").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, answer.Json.GetProperty("error").ValueKind);
        Assert.Equal(new SandboxCallCounts(Token: 1, StableToken: 0, Ticket: 1), context.Sandbox.State.Calls);
        var after = await context.StoredAsync();
        Assert.NotEqual(before.JsapiTicket!.Value, after.JsapiTicket!.Value);
        Assert.Equal(context.Sandbox.State.CurrentTicket(SandboxDefaults.AppId), after.JsapiTicket.Value);
        Assert.Equal(7200, answer.Json.GetProperty("tickets").GetProperty("jsapi").GetProperty("remainingSeconds").GetInt64());
        Assert.DoesNotContain(after.JsapiTicket.Value, answer.Body);
        Assert.DoesNotContain(after.AccessToken!.Value, answer.Body);
    }

    [Fact]
    public async Task A_stable_token_that_is_not_due_is_kept_while_both_tickets_are_refreshed_now()
    {
        await using var context = await RefreshedAsync(azurite, s => s["WeChat:CardTicket"] = "true");
        var before = await context.StoredAsync();

        var answer = await RefreshNowAsync(context);

        Assert.Equal(200, answer.Status);
        // No stable_token call: before its last 300 s WeChat would return the same token, and a new one is the forced path.
        Assert.Equal(new SandboxCallCounts(Token: 0, StableToken: 0, Ticket: 2), context.Sandbox.State.Calls);
        var after = await context.StoredAsync();
        Assert.Equal(before.AccessToken!.Value, after.AccessToken!.Value);
        Assert.Empty(after.ForcedRefreshes ?? []);
        Assert.NotEqual(before.JsapiTicket!.Value, after.JsapiTicket!.Value);
        Assert.NotEqual(before.CardTicket!.Value, after.CardTicket!.Value);
        Assert.Equal(7200, answer.Json.GetProperty("tickets").GetProperty("wx_card").GetProperty("remainingSeconds").GetInt64());
        Assert.DoesNotContain(after.CardTicket.Value, answer.Body);
    }

    [Fact]
    public async Task A_failure_is_502_with_the_errcode_and_then_the_back_off_keeps_WeChat_alone()
    {
        await using var context = await RefreshedAsync(azurite);
        context.Sandbox.State.SetFault(new SandboxFault(SandboxFaultKind.ErrorCode, SandboxEndpoint.Token, ErrorCode: 40164));

        var failed = await RefreshNowAsync(context);
        context.Time.Advance(TimeSpan.FromMinutes(1));
        var backingOff = await RefreshNowAsync(context);

        Assert.Equal((502, "refresh_failed"), (failed.Status, failed.Error));
        Assert.Equal("failed", failed.Json.GetProperty("result").GetString());
        Assert.Equal(40164, failed.Json.GetProperty("lastError").GetProperty("errcode").GetInt32());
        // The operator who asked is told what to do about it, as health and the log tell it.
        Assert.Contains("设置与开发 → 基本配置 → IP白名单", failed.Json.GetProperty("lastError").GetProperty("advice").GetProperty("fix").GetString());
        Assert.Contains("IP whitelist", failed.Json.GetProperty("message").GetString());
        Assert.Equal((429, "refresh_backing_off"), (backingOff.Status, backingOff.Error));
        Assert.Equal("backingOff", backingOff.Json.GetProperty("result").GetString());
        Assert.Equal(((int)TimeSpan.FromMinutes(29).TotalSeconds).ToString(), backingOff.Headers.RetryAfter.ToString());
        Assert.Equal(1, context.Sandbox.State.Calls.Token);
        Assert.Equal(0, context.Sandbox.State.Calls.Ticket);
    }

    [Fact]
    public async Task A_lease_held_by_another_instance_is_respected()
    {
        await using var context = await RefreshedAsync(azurite);
        var store = context.Get<CredentialStore>();
        var stored = await context.StoredAsync();
        Assert.NotNull(await store.TryAcquireLeaseAsync(stored, new RefreshLease("another-instance", context.Time.GetUtcNow().AddMinutes(2)), CancellationToken.None));

        var answer = await RefreshNowAsync(context);

        Assert.Equal((409, "refresh_in_progress"), (answer.Status, answer.Error));
        Assert.Equal("leasedByOther", answer.Json.GetProperty("result").GetString());
        Assert.Equal(new SandboxCallCounts(0, 0, 0), context.Sandbox.State.Calls);
    }

    [Fact]
    public async Task A_live_lease_held_by_this_very_instance_stops_a_second_run()
    {
        await using var context = await RefreshedAsync(azurite);
        var stored = await context.StoredAsync();
        var thisInstance = context.Get<RefreshInstance>().Id;
        Assert.NotNull(await context.Get<CredentialStore>().TryAcquireLeaseAsync(stored,
            new RefreshLease(thisInstance, context.Time.GetUtcNow().AddMinutes(2)), CancellationToken.None));

        var answer = await RefreshNowAsync(context);

        Assert.Equal((409, "refresh_in_progress"), (answer.Status, answer.Error));
        Assert.Equal(new SandboxCallCounts(0, 0, 0), context.Sandbox.State.Calls);
    }

    [Fact]
    public async Task Refresh_now_runs_once_a_minute_and_30_times_a_day_per_account_whichever_instance_is_asked()
    {
        await using var context = await RefreshedAsync(azurite);
        await using var second = SecondInstance.Start(azurite, context, Classic);

        Assert.Equal(200, (await RefreshNowAsync(context)).Status);
        context.Sandbox.State.ResetCalls();
        context.Time.Advance(TimeSpan.FromSeconds(20));
        var again = await RefreshNowAsync(context);
        var elsewhere = await OperatorCalls.RefreshNowAsync(second);

        foreach (var refused in new[] { again, elsewhere })
        {
            Assert.Equal((429, "refresh_cooldown"), (refused.Status, refused.Error));
            Assert.Equal("refused", refused.Json.GetProperty("result").GetString());
            Assert.Equal("40", refused.Headers.RetryAfter.ToString());
            Assert.Contains("once a minute and 30 times a day", refused.Json.GetProperty("message").GetString());
        }
        Assert.Equal(new SandboxCallCounts(0, 0, 0), context.Sandbox.State.Calls);

        for (var i = 1; i < RefreshNowCooldown.Allowance.PerDay; i++)
        {
            context.Time.Advance(TimeSpan.FromMinutes(1));
            Assert.Equal(200, (await OperatorCalls.RefreshNowAsync(i % 2 == 0 ? context.Services : second)).Status);
        }
        context.Time.Advance(TimeSpan.FromMinutes(1));
        var spent = await RefreshNowAsync(context);

        Assert.Equal((429, "refresh_cooldown"), (spent.Status, spent.Error));
        // The day's first run was 30 minutes and 20 s ago: the next is allowed when it is a day old.
        Assert.Equal(((int)(TimeSpan.FromDays(1) - TimeSpan.FromSeconds(20 + 30 * 60)).TotalSeconds).ToString(), spent.Headers.RetryAfter.ToString());
        Assert.Equal(RefreshNowCooldown.Allowance.PerDay - 1, context.Sandbox.State.Calls.Ticket);
        Assert.Equal(RefreshNowCooldown.Allowance.PerDay, (await context.StoredAsync()).RefreshNowAttempts!.Count);
    }

    [Fact]
    public async Task An_unknown_appId_is_404_without_calling_WeChat()
    {
        await using var context = await RefreshedAsync(azurite);

        var answer = await RefreshNowAsync(context, "?appId=wxnobody");

        Assert.Equal((404, "account_unknown"), (answer.Status, answer.Error));
        Assert.Equal(new SandboxCallCounts(0, 0, 0), context.Sandbox.State.Calls);
    }
}
