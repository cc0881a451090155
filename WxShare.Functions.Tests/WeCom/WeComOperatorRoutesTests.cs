using System.Collections.Concurrent;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Functions.Tests.Refresh;
using WxShare.Operations;
using WxShare.Storage;
using WxShare.WeChatSandbox;
using WxShare.WeChatSandbox.WeCom;
using WxShare.WeCom;

namespace WxShare.Functions.Tests.WeCom;

/// <summary>
/// The operator routes through their function classes for an official account beside two WeCom apps of one corp
/// (hr = 1000002, crm = 1000003), each app named by appId=CorpId&amp;agentId: refresh-now, the relay, its refresh on
/// rejection, and health, each acting on that app's own row only.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class WeComOperatorRoutesTests(AzuriteFixture azurite)
{
    private static string AppQuery(string agentId) => $"?appId={WeComApps.CorpId}&agentId={agentId}";

    /// <summary>The official account and both apps, all relayed.</summary>
    private static void AllRelayed(Dictionary<string, string?> settings)
    {
        WeComApps.AddBoth(settings);
        settings["WeChat:Relay"] = "true";
        settings["Accounts:hr:Relay"] = "true";
        settings["Accounts:crm:Relay"] = "true";
    }

    /// <summary>All accounts, relayed, refreshed once and some minutes on; call counts reset.</summary>
    private static async Task<WxShareTestContext> RefreshedAsync(AzuriteFixture azurite, TimeSpan? after = null)
    {
        var context = await WxShareTestContext.StartAsync(azurite, AllRelayed);
        await context.TickAsync();
        context.Time.Advance(after ?? TimeSpan.FromMinutes(10));
        context.Sandbox.State.ResetCalls();
        context.Sandbox.WeCom.ResetCalls();
        return context;
    }

    private static Task<CredentialRecord> StoredAsync(WxShareTestContext context, string agentId) =>
        context.Get<CredentialStore>().GetAsync(WeComApps.StorageKey(agentId), CancellationToken.None);

    private static Task<OperatorAnswer> RejectAsync(IServiceProvider services, string query, string token) =>
        OperatorCalls.ReportRejectedAsync(services, query, OperatorCalls.RejectedTokenBody(token));

    /// <summary>Every credential and secret the deployment holds: none may appear in an operator's answer other than the relay's token.</summary>
    private static async Task<string[]> EverySecretAsync(WxShareTestContext context)
    {
        var rows = new[] { await context.StoredAsync(), await StoredAsync(context, WeComApps.One), await StoredAsync(context, WeComApps.Two) };
        return [.. rows.SelectMany(r => new[] { r.AccessToken?.Value, r.JsapiTicket?.Value, r.AgentTicket?.Value }).OfType<string>(),
            SandboxDefaults.AppSecret, WeComApps.SecretOf(WeComApps.One), WeComApps.SecretOf(WeComApps.Two)];
    }

    [Fact]
    public async Task Refresh_now_of_each_app_refreshes_only_its_own_row_reports_its_agent_ticket_and_is_counted_in_the_hourly_budget()
    {
        await using var context = await RefreshedAsync(azurite);
        var budget = context.Get<WeComTicketBudget>();
        var mpBefore = await context.StoredAsync();

        foreach (var (agent, other) in new[] { (WeComApps.One, WeComApps.Two), (WeComApps.Two, WeComApps.One) })
        {
            var before = await StoredAsync(context, agent);
            var otherBefore = await StoredAsync(context, other);
            var unitsBefore = (await budget.HistoryAsync(WeComApps.CorpId, CancellationToken.None)).Where(c => c.AgentId == agent).Sum(c => c.Units);
            context.Sandbox.WeCom.ResetCalls();

            var answer = await OperatorCalls.RefreshNowAsync(context.Services, AppQuery(agent));

            Assert.Equal(200, answer.Status);
            Assert.Equal(("refreshed", WeComApps.CorpId, agent), (answer.Json.GetProperty("result").GetString(),
                answer.Json.GetProperty("appId").GetString(), answer.Json.GetProperty("agentId").GetString()));
            Assert.Equal(7200, answer.Json.GetProperty("tickets").GetProperty(HealthEndpoint.AgentTicketType).GetProperty("remainingSeconds").GetInt64());
            Assert.Equal(7200, answer.Json.GetProperty("tickets").GetProperty(HealthEndpoint.JsapiTicketType).GetProperty("remainingSeconds").GetInt64());
            Assert.Equal(new WeComCallCounts(Token: 1, CorpTicket: 1, AgentTicket: 1), context.Sandbox.WeCom.Calls);

            var after = await StoredAsync(context, agent);
            Assert.NotEqual(before.AgentTicket!.Value, after.AgentTicket!.Value);
            Assert.NotEqual(before.JsapiTicket!.Value, after.JsapiTicket!.Value);
            Assert.NotEqual(before.AccessToken!.Value, after.AccessToken!.Value);
            Assert.Equal(context.Sandbox.WeCom.CurrentTicket(WeComApps.CorpId, agent), after.AgentTicket.Value);
            Assert.True(context.Sandbox.WeCom.IsAccessTokenValid(WeComApps.CorpId, agent, after.AccessToken.Value));
            // The other app's row is not written at all (same ETag), nor is the official account's.
            Assert.Equal(otherBefore.ETag, (await StoredAsync(context, other)).ETag);
            Assert.Equal(mpBefore.ETag, (await context.StoredAsync()).ETag);
            // Two ticket calls, each counted as the three attempts the HTTP retry may make.
            var unitsAfter = (await budget.HistoryAsync(WeComApps.CorpId, CancellationToken.None)).Where(c => c.AgentId == agent).Sum(c => c.Units);
            Assert.Equal(2 * WeComApiClient.MaxAttemptsPerCall, unitsAfter - unitsBefore);
            Assert.All(await EverySecretAsync(context), secret => Assert.DoesNotContain(secret, answer.Body));
        }
        Assert.Equal(new SandboxCallCounts(0, 0, 0), context.Sandbox.State.Calls);
    }

    [Fact]
    public async Task Refresh_now_is_held_back_by_the_hourly_ticket_budget_without_calling_WeCom_and_the_other_app_still_refreshes()
    {
        await using var context = await RefreshedAsync(azurite);
        var budget = context.Get<WeComTicketBudget>();
        var hr = context.Get<WxShare.Accounts.AccountRegistry>().FindByName("hr")!;
        // Fill hr's hour up to one call short of what a refresh-now needs (its two ticket calls).
        var used = (await budget.HistoryAsync(WeComApps.CorpId, CancellationToken.None)).Where(c => c.AgentId == WeComApps.One).Sum(c => c.Units);
        var calls = (WeComTicketBudget.AppCallsPerHour - used) / WeComApiClient.MaxAttemptsPerCall - 1;
        Assert.Null(await budget.TryReserveAsync(hr, calls, CancellationToken.None));

        var held = await OperatorCalls.RefreshNowAsync(context.Services, AppQuery(WeComApps.One));
        var again = await OperatorCalls.RefreshNowAsync(context.Services, AppQuery(WeComApps.One));
        var crm = await OperatorCalls.RefreshNowAsync(context.Services, AppQuery(WeComApps.Two));

        foreach (var refused in new[] { held, again })
        {
            Assert.Equal((429, "refresh_backing_off"), (refused.Status, refused.Error));
            Assert.Equal("backingOff", refused.Json.GetProperty("result").GetString());
            Assert.Contains("hourly", refused.Json.GetProperty("message").GetString());
            // The hour's first reservation (the tick, ten minutes ago) leaves the window in 50 minutes.
            Assert.Equal(3000, int.Parse(refused.Headers.RetryAfter.ToString()));
        }
        Assert.Contains("hourly ticket limits", held.Json.GetProperty("lastError").GetProperty("message").GetString());
        Assert.Equal(200, crm.Status);
        Assert.Equal(new WeComCallCounts(Token: 1, CorpTicket: 1, AgentTicket: 1), context.Sandbox.WeCom.Calls); // crm's alone
        Assert.DoesNotContain(context.Sandbox.WeCom.TicketCalls, c => c.AgentId == WeComApps.One && c.At > WxShareTestContext.Start); // only the first tick's
    }

    [Fact]
    public async Task Refresh_now_of_a_WeCom_app_keeps_the_lease_and_the_back_off_after_60020()
    {
        await using var context = await RefreshedAsync(azurite);
        var store = context.Get<CredentialStore>();
        var crm = await StoredAsync(context, WeComApps.Two);
        Assert.NotNull(await store.TryAcquireLeaseAsync(crm, new RefreshLease("another-instance", context.Time.GetUtcNow().AddMinutes(2)), CancellationToken.None));
        context.Sandbox.WeCom.SetTrustedIpBlocked(true, WeComApps.CorpId, WeComApps.One);

        var leased = await OperatorCalls.RefreshNowAsync(context.Services, AppQuery(WeComApps.Two));
        var failed = await OperatorCalls.RefreshNowAsync(context.Services, AppQuery(WeComApps.One));
        context.Time.Advance(TimeSpan.FromMinutes(1));
        var backingOff = await OperatorCalls.RefreshNowAsync(context.Services, AppQuery(WeComApps.One));

        Assert.Equal((409, "refresh_in_progress"), (leased.Status, leased.Error));
        Assert.Equal((502, "refresh_failed"), (failed.Status, failed.Error));
        Assert.Equal(60020, failed.Json.GetProperty("lastError").GetProperty("errcode").GetInt32());
        Assert.StartsWith("WeCom refused", failed.Json.GetProperty("message").GetString());
        Assert.Equal((429, "refresh_backing_off"), (backingOff.Status, backingOff.Error));
        Assert.Equal(((int)TimeSpan.FromMinutes(29).TotalSeconds).ToString(), backingOff.Headers.RetryAfter.ToString());
        Assert.Equal(new WeComCallCounts(Token: 1, CorpTicket: 0, AgentTicket: 0), context.Sandbox.WeCom.Calls); // hr's refused gettoken
    }

    [Fact]
    public async Task The_relay_serves_each_app_its_own_token_from_the_store()
    {
        await using var context = await RefreshedAsync(azurite);

        foreach (var (agent, other) in new[] { (WeComApps.One, WeComApps.Two), (WeComApps.Two, WeComApps.One) })
        {
            var answer = await OperatorCalls.GetTokenAsync(context.Services, AppQuery(agent));

            Assert.Equal(200, answer.Status);
            var token = answer.Json.GetProperty("accessToken").GetString()!;
            Assert.Equal((WeComApps.CorpId, agent), (answer.Json.GetProperty("appId").GetString(), answer.Json.GetProperty("agentId").GetString()));
            Assert.Equal((await StoredAsync(context, agent)).AccessToken!.Value, token);
            Assert.True(context.Sandbox.WeCom.IsAccessTokenValid(WeComApps.CorpId, agent, token));
            Assert.False(context.Sandbox.WeCom.IsAccessTokenValid(WeComApps.CorpId, other, token));
        }
        var official = await OperatorCalls.GetTokenAsync(context.Services, "?appId=" + SandboxDefaults.AppId);
        Assert.Equal((await context.StoredAsync()).AccessToken!.Value, official.Json.GetProperty("accessToken").GetString());
        Assert.False(official.Json.TryGetProperty("agentId", out _));
        Assert.Equal(new WeComCallCounts(0, 0, 0), context.Sandbox.WeCom.Calls);
        Assert.Equal(new SandboxCallCounts(0, 0, 0), context.Sandbox.State.Calls);
        var relayed = (await StoredAsync(context, WeComApps.One)).AccessToken!.Value;
        Assert.Contains(context.Logs.GetSnapshot(), l => l.Message.Contains($"Relayed the access_token of {WeComApps.CorpId} agent {WeComApps.One}"));
        Assert.DoesNotContain(context.Logs.GetSnapshot(), l => l.Message.Contains(relayed));
    }

    [Fact]
    public async Task Ten_callers_on_two_instances_with_an_apps_rejected_token_cause_one_gettoken_for_that_app_alone()
    {
        await using var context = await RefreshedAsync(azurite);
        await using var second = SecondInstance.Start(azurite, context, AllRelayed);
        var rejected = (await StoredAsync(context, WeComApps.One)).AccessToken!.Value;
        var crmBefore = await StoredAsync(context, WeComApps.Two);

        var answers = new ConcurrentBag<OperatorAnswer>();
        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
            answers.Add(await RejectAsync(i % 2 == 0 ? context.Services : second, AppQuery(WeComApps.One), rejected)))));

        // One plain gettoken: no ticket call, and nothing of WeChat's (no stable_token, forced or not).
        Assert.Equal(new WeComCallCounts(Token: 1, CorpTicket: 0, AgentTicket: 0), context.Sandbox.WeCom.Calls);
        Assert.Equal(new SandboxCallCounts(0, 0, 0), context.Sandbox.State.Calls);
        var stored = await StoredAsync(context, WeComApps.One);
        Assert.NotEqual(rejected, stored.AccessToken!.Value);
        Assert.True(context.Sandbox.WeCom.IsAccessTokenValid(WeComApps.CorpId, WeComApps.One, stored.AccessToken.Value));
        Assert.Empty(stored.ForcedRefreshes ?? []);
        var refreshed = Assert.Single(answers, a => a.Status == 200 && a.Json.GetProperty("refreshed").GetBoolean());
        Assert.Equal(WeComApps.One, refreshed.Json.GetProperty("agentId").GetString());
        Assert.All(answers, a => Assert.True(
            (a.Status == 200 && a.Json.GetProperty("accessToken").GetString() == stored.AccessToken.Value) || (a.Status == 409 && a.Error == "refresh_in_progress"),
            $"{a.Status} {a.Error}"));
        Assert.Equal(crmBefore.ETag, (await StoredAsync(context, WeComApps.Two)).ETag);
    }

    [Fact]
    public async Task An_apps_relay_refresh_is_limited_to_one_a_minute_across_instances_and_backs_off_after_a_configuration_error()
    {
        await using var context = await RefreshedAsync(azurite);
        await using var second = SecondInstance.Start(azurite, context, AllRelayed);
        var rejected = (await StoredAsync(context, WeComApps.One)).AccessToken!.Value;
        context.Sandbox.WeCom.SetFault(new SandboxFault(SandboxFaultKind.Busy, SandboxEndpoint.WeComToken, RemainingCalls: 1));

        var failed = await RejectAsync(context.Services, AppQuery(WeComApps.One), rejected);
        var limited = await RejectAsync(second, AppQuery(WeComApps.One), rejected);
        var otherApp = await RejectAsync(second, AppQuery(WeComApps.Two), (await StoredAsync(context, WeComApps.Two)).AccessToken!.Value);

        Assert.Equal((502, "refresh_failed"), (failed.Status, failed.Error));
        Assert.StartsWith("WeCom did not issue a new token", failed.Json.GetProperty("message").GetString());
        Assert.Equal((429, "refresh_rate_limited"), (limited.Status, limited.Error));
        Assert.Equal("60", limited.Headers.RetryAfter.ToString());
        // The limit is the app's own: the other app of the corp is refreshed within the same minute.
        Assert.Equal(200, otherApp.Status);
        Assert.True(otherApp.Json.GetProperty("refreshed").GetBoolean());
        Assert.Equal(2, context.Sandbox.WeCom.Calls.Token);

        // WeCom starts refusing this server's IP (60020): a configuration error, after which WeCom is left alone.
        context.Time.Advance(TimeSpan.FromSeconds(61));
        context.Sandbox.WeCom.SetTrustedIpBlocked(true, WeComApps.CorpId, WeComApps.One);
        Assert.Equal("refresh_failed", (await RejectAsync(second, AppQuery(WeComApps.One), rejected)).Error);
        context.Time.Advance(TimeSpan.FromMinutes(2));
        var backingOff = await RejectAsync(context.Services, AppQuery(WeComApps.One), rejected);

        Assert.Equal((503, "refresh_backing_off"), (backingOff.Status, backingOff.Error));
        Assert.Contains("WeCom is left alone", backingOff.Json.GetProperty("message").GetString());
        Assert.Contains("60020", backingOff.Json.GetProperty("message").GetString());
        Assert.Contains($"企业可信IP of app {WeComApps.One}", backingOff.Json.GetProperty("message").GetString());
        Assert.Equal(3, context.Sandbox.WeCom.Calls.Token);
    }

    [Fact]
    public async Task Health_reports_each_apps_token_corp_ticket_and_agent_ticket_and_never_a_value()
    {
        await using var context = await RefreshedAsync(azurite);

        var answer = await OperatorCalls.HealthAsync(context.Services);

        Assert.Equal(200, answer.Status);
        var accounts = answer.Json.GetProperty("accounts").EnumerateArray().ToDictionary(a => a.GetProperty("name").GetString()!);
        foreach (var (name, agent) in new[] { ("hr", WeComApps.One), ("crm", WeComApps.Two) })
        {
            var app = accounts[name];
            Assert.Equal((WeComApps.CorpId, agent, HealthStatus.Healthy),
                (app.GetProperty("appId").GetString(), app.GetProperty("agentId").GetString(), app.GetProperty("status").GetString()));
            Assert.Equal(7200 - 600, app.GetProperty("accessToken").GetProperty("remainingSeconds").GetInt64());
            var tickets = app.GetProperty("tickets");
            foreach (var type in new[] { HealthEndpoint.JsapiTicketType, HealthEndpoint.AgentTicketType })
            {
                Assert.Equal(7200 - 600, tickets.GetProperty(type).GetProperty("remainingSeconds").GetInt64());
                Assert.Equal(WxShareTestContext.Start, tickets.GetProperty(type).GetProperty("fetchedAt").GetDateTimeOffset());
                Assert.Equal(WxShareTestContext.Start.AddSeconds(7200), tickets.GetProperty(type).GetProperty("expiresAt").GetDateTimeOffset());
            }
            Assert.Contains("agent ticket", app.GetProperty("reason").GetString());
        }
        Assert.False(accounts["default"].TryGetProperty("agentId", out _));
        Assert.False(accounts["default"].GetProperty("tickets").TryGetProperty(HealthEndpoint.AgentTicketType, out _));
        Assert.All(await EverySecretAsync(context), secret => Assert.DoesNotContain(secret, answer.Body));
    }

    [Fact]
    public async Task An_expiring_agent_ticket_makes_the_app_degraded_then_unhealthy_while_its_corp_ticket_is_fresh()
    {
        // At 100 minutes all is due: the token and corp ticket are renewed, the agent ticket call fails (-1, retried next tick).
        await using var context = await RefreshedAsync(azurite, after: TimeSpan.FromMinutes(100));
        context.Sandbox.WeCom.SetFault(new SandboxFault(SandboxFaultKind.Busy, SandboxEndpoint.WeComAgentTicket));
        await context.TickAsync();
        var hr = await StoredAsync(context, WeComApps.One);
        Assert.Equal(context.Time.GetUtcNow().AddSeconds(7200), hr.JsapiTicket!.ExpiresAt);
        Assert.Equal(TimeSpan.FromMinutes(20), hr.AgentTicket!.ExpiresAt - context.Time.GetUtcNow());

        var degraded = await OperatorCalls.HealthAsync(context.Services);
        context.Time.Advance(TimeSpan.FromMinutes(6)); // 14 minutes left on the agent ticket, 114 on the corp ticket
        var unhealthy = await OperatorCalls.HealthAsync(context.Services);

        var app = degraded.Json.GetProperty("accounts").EnumerateArray().Single(a => a.GetProperty("name").GetString() == "hr");
        Assert.Equal((200, HealthStatus.Degraded), (degraded.Status, app.GetProperty("status").GetString()));
        Assert.Contains("agent ticket serves 20 min", app.GetProperty("reason").GetString());
        Assert.Equal("AgentTicket", app.GetProperty("lastError").GetProperty("call").GetString());
        Assert.Equal(1200, app.GetProperty("tickets").GetProperty(HealthEndpoint.AgentTicketType).GetProperty("remainingSeconds").GetInt64());
        Assert.Equal(503, unhealthy.Status);
        Assert.Equal(HealthStatus.Unhealthy, unhealthy.Json.GetProperty("status").GetString());
        var sick = unhealthy.Json.GetProperty("accounts").EnumerateArray().Single(a => a.GetProperty("name").GetString() == "hr");
        Assert.Contains("agent ticket expires in 14 min", sick.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Without_an_agent_ticket_the_app_is_unhealthy_though_its_corp_ticket_is_stored()
    {
        await using var context = await WxShareTestContext.StartAsync(azurite, WeComApps.AddBoth);
        context.Sandbox.WeCom.SetFault(new SandboxFault(SandboxFaultKind.ErrorCode, SandboxEndpoint.WeComAgentTicket, ErrorCode: 48002));
        await context.TickAsync();
        Assert.NotNull((await StoredAsync(context, WeComApps.One)).JsapiTicket);

        var answer = await OperatorCalls.HealthAsync(context.Services);

        Assert.Equal(503, answer.Status);
        var app = answer.Json.GetProperty("accounts").EnumerateArray().Single(a => a.GetProperty("name").GetString() == "hr");
        Assert.Equal(HealthStatus.Unhealthy, app.GetProperty("status").GetString());
        Assert.StartsWith("No valid agent ticket is stored", app.GetProperty("reason").GetString());
        Assert.Contains("48002", app.GetProperty("reason").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, app.GetProperty("tickets").GetProperty(HealthEndpoint.AgentTicketType).ValueKind);
        Assert.Equal(7200, app.GetProperty("tickets").GetProperty(HealthEndpoint.JsapiTicketType).GetProperty("remainingSeconds").GetInt64());
    }

    [Theory]
    [InlineData("POST", "/api/ops/refresh")]
    [InlineData("GET", "/api/wechat/token")]
    [InlineData("POST", "/api/wechat/token/refresh")]
    public async Task Selection_errors_on_each_operator_route_are_json_naming_the_parameter(string method, string path)
    {
        await using var context = await RefreshedAsync(azurite);
        Func<string, Task<OperatorAnswer>> send = (method, path) switch
        {
            ("POST", "/api/ops/refresh") => q => OperatorCalls.RefreshNowAsync(context.Services, q),
            ("GET", "/api/wechat/token") => q => OperatorCalls.GetTokenAsync(context.Services, q),
            _ => q => RejectAsync(context.Services, q, "a-token-someone-rejected"),
        };
        var cases = new (string Query, int Status, string Error, string Named)[]
        {
            ($"?appId={WeComApps.CorpId}", 400, "agentid_missing", "agentId"),
            ($"?appId={WeComApps.CorpId}&agentId=1000999", 404, "account_unknown", "agentId '1000999'"),
            ($"?appId={WeComApps.CorpId}&agentId=hr", 400, "agentid_invalid", "'agentId'"),
            ($"?appId={WeComApps.CorpId}&agentId={WeComApps.One}&agentId={WeComApps.Two}", 400, "agentid_repeated", "'agentId'"),
            ("", 400, "appid_missing", "appId"),
            ("?appId=wx0000000000000bad", 404, "account_unknown", "appId 'wx0000000000000bad'"),
        };

        foreach (var (query, status, error, named) in cases)
        {
            var answer = await send(query);
            Assert.Equal((status, error), (answer.Status, answer.Error));
            Assert.Contains(named, answer.Json.GetProperty("message").GetString());
            Assert.StartsWith("application/json", answer.Headers.ContentType.ToString());
            Assert.Equal("no-store", answer.Headers.CacheControl.ToString());
        }
        Assert.Equal(new WeComCallCounts(0, 0, 0), context.Sandbox.WeCom.Calls);
        Assert.Equal(new SandboxCallCounts(0, 0, 0), context.Sandbox.State.Calls);
    }
}
