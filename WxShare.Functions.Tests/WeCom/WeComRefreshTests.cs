using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Functions.Tests.Refresh;
using WxShare.Refresh;
using WxShare.Signing;
using WxShare.Storage;
using WxShare.WeChatSandbox;
using WxShare.WeChatSandbox.WeCom;
using WxShare.WeCom;

namespace WxShare.Functions.Tests.WeCom;

[Collection(AzuriteCollection.Name)]
public sealed class WeComRefreshTests(AzuriteFixture azurite)
{
    private static Task<WxShareTestContext> StartAsync(AzuriteFixture azurite, SandboxOptions? sandbox = null, Action<Dictionary<string, string?>>? configure = null) =>
        WxShareTestContext.StartAsync(azurite, s =>
        {
            WeComApps.AddBoth(s);
            configure?.Invoke(s);
        }, sandbox);

    private static Task<IReadOnlyDictionary<string, RefreshResult>> TickAllAsync(WxShareTestContext context) =>
        context.Get<CredentialRefresher>().RefreshAllAsync(CancellationToken.None);

    private static Task<CredentialRecord> StoredAsync(WxShareTestContext context, string agentId) =>
        context.Get<CredentialStore>().GetAsync(WeComApps.StorageKey(agentId), CancellationToken.None);

    [Fact]
    public async Task An_official_account_and_two_WeCom_apps_of_one_corp_keep_their_own_valid_tickets_for_days()
    {
        await using var context = await StartAsync(azurite);
        var weCom = context.Sandbox.WeCom;
        var problems = new List<string>();
        async Task CheckAsync()
        {
            var now = context.Time.GetUtcNow();
            var mp = await context.StoredAsync();
            if (!context.Sandbox.State.IsTicketValid(SandboxDefaults.AppId, mp.JsapiTicket!.Value))
                problems.Add($"{now:u} official account ticket");
            var one = await StoredAsync(context, WeComApps.One);
            var two = await StoredAsync(context, WeComApps.Two);
            foreach (var (agent, other, row) in new[] { (WeComApps.One, WeComApps.Two, one), (WeComApps.Two, WeComApps.One, two) })
            {
                if (!weCom.IsTicketValid(WeComApps.CorpId, null, row.JsapiTicket!.Value))
                    problems.Add($"{now:u} corp ticket of {agent}");
                if (!weCom.IsTicketValid(WeComApps.CorpId, agent, row.AgentTicket!.Value) || weCom.IsTicketValid(WeComApps.CorpId, other, row.AgentTicket.Value))
                    problems.Add($"{now:u} agent ticket of {agent}");
                if (!weCom.IsAccessTokenValid(WeComApps.CorpId, agent, row.AccessToken!.Value))
                    problems.Add($"{now:u} token of {agent}");
            }
        }

        var first = await TickAllAsync(context);
        Assert.All(first.Values, r => Assert.Equal(RefreshResult.Refreshed, r));
        var end = context.Time.GetUtcNow() + TimeSpan.FromDays(2);
        while (context.Time.GetUtcNow() < end)
        {
            context.Time.Advance(RefreshScenario.Tick);
            await TickAllAsync(context);
            await CheckAsync();
        }

        Assert.Empty(problems);
        // 2 days = 2,880 minutes: a fetch at start and one per 100 minutes, 29 per app and kind.
        var calls = weCom.Calls;
        Assert.InRange(calls.Token, 2 * 28, 2 * 30);
        Assert.InRange(calls.CorpTicket, 2 * 28, 2 * 30);
        Assert.InRange(calls.AgentTicket, 2 * 28, 2 * 30);
        // The official account's calls, as alone: a ticket per 100 minutes, a stable token in the last 300 s of each 7,200.
        var official = context.Sandbox.State.Calls;
        Assert.InRange(official.Ticket, 28, 30);
        Assert.InRange(official.StableToken, 24, 27);
        Assert.Equal(0, official.Token);
        Assert.NotEqual((await StoredAsync(context, WeComApps.One)).AgentTicket!.Value, (await StoredAsync(context, WeComApps.Two)).AgentTicket!.Value);
        Assert.DoesNotContain(context.Logs.GetSnapshot(), l => l.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task No_pattern_of_failures_restarts_and_instances_exceeds_WeComs_hourly_ticket_limits()
    {
        // Six apps of one corp: 6 x 100 per hour would pass the corp's 400, so both limits bind.
        var apps = Enumerable.Range(0, 6).Select(i => new SandboxWeComApp { CorpId = WeComApps.CorpId, AgentId = $"100001{i}", Secret = $"secret0of0app0{i}0not0real0000000000000000" }).ToList();
        await using var context = await WxShareTestContext.StartAsync(azurite, s =>
        {
            foreach (var app in apps)
                WeComApps.Add(s, $"app-{app.AgentId}", app.AgentId, secret: app.Secret);
        }, new SandboxOptions { WeCom = new WeComSandboxOptions { Apps = apps } });
        // Every agent ticket call fails with HTTP 503 (retried twice within the call), so every tick wants to call again.
        context.Sandbox.WeCom.SetFault(new SandboxFault(SandboxFaultKind.ServerError, SandboxEndpoint.WeComAgentTicket));

        // A restart every minute: each tick is two freshly started instances ticking at once.
        var end = context.Time.GetUtcNow() + TimeSpan.FromMinutes(150);
        var tick = 0;
        while (context.Time.GetUtcNow() < end)
        {
            context.Time.Advance(TimeSpan.FromMinutes(1));
            tick++;
            await Task.WhenAll(Enumerable.Range(0, 2).Select(i =>
                ActivatorUtilities.CreateInstance<CredentialRefresher>(context.Services, new RefreshInstance($"restart-{tick}-{i}"))
                    .RefreshAllAsync(CancellationToken.None)));
        }

        var weCom = context.Sandbox.WeCom;
        foreach (var app in apps)
            Assert.InRange(weCom.MostTicketCallsInAnyHour(WeComApps.CorpId, app.AgentId), 1, WeComTicketBudget.AppCallsPerHour);
        var corpMost = weCom.MostTicketCallsInAnyHour(WeComApps.CorpId);
        Assert.InRange(corpMost, WeComTicketBudget.CorpCallsPerHour - 30, WeComTicketBudget.CorpCallsPerHour); // the limit bound, and held
        Assert.Contains(context.Logs.GetSnapshot(), l => l.Message.Contains("hourly ticket limits"));
    }

    [Fact]
    public async Task A_60020_is_reported_once_with_advice_backed_off_and_leaves_the_other_app_alone()
    {
        await using var context = await StartAsync(azurite);
        var weCom = context.Sandbox.WeCom;
        weCom.SetTrustedIpBlocked(true, WeComApps.CorpId, WeComApps.One);

        var first = await TickAllAsync(context);
        Assert.Equal((RefreshResult.Failed, RefreshResult.Refreshed), (first["hr"], first["crm"]));
        var stored = await StoredAsync(context, WeComApps.One);
        Assert.Equal(60020, stored.LastFailure?.ErrorCode);
        Assert.Equal(context.Time.GetUtcNow().AddMinutes(30), stored.RetryNotBefore);

        var backingOff = new List<RefreshResult>();
        for (var i = 0; i < 5; i++)
        {
            context.Time.Advance(RefreshScenario.Tick);
            backingOff.Add((await TickAllAsync(context))["hr"]);
        }
        Assert.All(backingOff, r => Assert.Equal(RefreshResult.BackingOff, r));
        Assert.Equal(new WeComCallCounts(Token: 2, CorpTicket: 1, AgentTicket: 1), weCom.Calls); // hr's one refused gettoken, crm's refresh

        // Still blocked after the back-off: one more call, a warning, no second error.
        context.Time.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(RefreshResult.Failed, (await TickAllAsync(context))["hr"]);
        var error = Assert.Single(context.Logs.GetSnapshot(), l => l.Level == LogLevel.Error);
        Assert.Contains("60020", error.Message);
        Assert.Contains("trusted IP", error.Message);
        Assert.Contains(WeComApps.One, error.Message);
        Assert.Contains(context.Logs.GetSnapshot(), l => l.Level == LogLevel.Warning && l.Message.Contains("still fails") && l.Message.Contains("60020"));
        Assert.Equal(3, weCom.Calls.Token);

        weCom.SetTrustedIpBlocked(false, WeComApps.CorpId, WeComApps.One);
        context.Time.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(RefreshResult.Refreshed, (await TickAllAsync(context))["hr"]);
        Assert.Null((await StoredAsync(context, WeComApps.One)).LastFailure);
    }

    [Theory]
    [InlineData(SandboxEndpoint.WeComToken, 40013)]
    [InlineData(SandboxEndpoint.WeComToken, 40091)]
    [InlineData(SandboxEndpoint.WeComAgentTicket, 48002)]
    [InlineData(SandboxEndpoint.WeComCorpTicket, 45009)]
    public async Task Configuration_and_limit_errors_are_recorded_and_backed_off(SandboxEndpoint endpoint, int errorCode)
    {
        await using var context = await StartAsync(azurite);
        context.Sandbox.WeCom.SetFault(new SandboxFault(SandboxFaultKind.ErrorCode, endpoint, ErrorCode: errorCode));

        Assert.Equal(RefreshResult.Failed, (await TickAllAsync(context))["hr"]);
        var stored = await StoredAsync(context, WeComApps.One);
        Assert.Equal(errorCode, stored.LastFailure?.ErrorCode);
        Assert.Equal(context.Time.GetUtcNow().AddMinutes(30), stored.RetryNotBefore);
        var calls = context.Sandbox.WeCom.Calls;
        context.Time.Advance(RefreshScenario.Tick);
        Assert.Equal(RefreshResult.BackingOff, (await TickAllAsync(context))["hr"]);
        Assert.Equal(calls, context.Sandbox.WeCom.Calls);
    }

    [Fact]
    public async Task A_wrong_secret_names_its_setting_and_is_not_retried_in_a_loop()
    {
        await using var context = await StartAsync(azurite, configure: s => s["Accounts:hr:AppSecret"] = "not0the0secret0000000000000000000000000000");

        Assert.Equal(RefreshResult.Failed, (await TickAllAsync(context))["hr"]);
        var error = Assert.Single(context.Logs.GetSnapshot(), l => l.Level == LogLevel.Error);
        Assert.Contains("40001", error.Message);
        Assert.Contains("Accounts__hr__AppSecret", error.Message);
        Assert.Equal(2, context.Sandbox.WeCom.Calls.Token); // hr's refused one and crm's
    }

    [Theory]
    [InlineData(42001)]
    [InlineData(40014)]
    public async Task A_refused_token_at_the_agent_ticket_call_is_replaced_and_retried_once_within_the_tick(int errorCode)
    {
        await using var context = await StartAsync(azurite);
        context.Sandbox.WeCom.SetFault(new SandboxFault(SandboxFaultKind.ErrorCode, SandboxEndpoint.WeComAgentTicket, ErrorCode: errorCode, RemainingCalls: 1));

        var results = await TickAllAsync(context);

        Assert.Equal((RefreshResult.Refreshed, RefreshResult.Refreshed), (results["hr"], results["crm"]));
        // One of the two apps had its agent ticket call refused: one more token and one more agent ticket call.
        Assert.Equal(new WeComCallCounts(Token: 3, CorpTicket: 2, AgentTicket: 3), context.Sandbox.WeCom.Calls);
        foreach (var agent in new[] { WeComApps.One, WeComApps.Two })
        {
            var stored = await StoredAsync(context, agent);
            Assert.True(context.Sandbox.WeCom.IsTicketValid(WeComApps.CorpId, agent, stored.AgentTicket!.Value));
            Assert.True(context.Sandbox.WeCom.IsAccessTokenValid(WeComApps.CorpId, agent, stored.AccessToken!.Value));
            Assert.Null(stored.LastFailure);
        }
    }

    [Fact]
    public async Task The_config_route_signs_each_apps_page_with_its_own_agent_ticket_and_the_official_accounts_as_before()
    {
        await using var context = await StartAsync(azurite);
        await TickAllAsync(context);
        var endpoint = context.Get<JsSdkConfigEndpoint>();
        const string page = "https://work.example.cn/approve?id=7";

        foreach (var (agent, other) in new[] { (WeComApps.One, WeComApps.Two), (WeComApps.Two, WeComApps.One) })
        {
            var request = HttpRequests.Get(context.Services, HttpRequests.ForPage(page + "#top") + $"&appId={WeComApps.CorpId}&agentId={agent}");
            var (status, config) = HttpRequests.Unwrap<WeComJsSdkConfig>(await HttpRequests.ExecuteAsync(await endpoint.HandleAsync(request), request));
            Assert.Equal(200, status);
            Assert.True(config.Beta);
            Assert.Equal((WeComApps.CorpId, page, WeComApps.CorpId, agent), (config.AppId, config.Url, config.AgentConfig.CorpId, config.AgentConfig.AgentId));
            var row = await StoredAsync(context, agent);
            Assert.Equal(DocumentedSignature.Compute(row.JsapiTicket!.Value, config.NonceStr, config.Timestamp, page), config.Signature);
            Assert.True(context.Sandbox.WeCom.IsTicketValid(WeComApps.CorpId, null, row.JsapiTicket.Value));
            var agentTicket = context.Sandbox.WeCom.CurrentTicket(WeComApps.CorpId, agent)!;
            Assert.Equal(row.AgentTicket!.Value, agentTicket);
            Assert.Equal(DocumentedSignature.Compute(agentTicket, config.AgentConfig.NonceStr, config.AgentConfig.Timestamp, page), config.AgentConfig.Signature);
            Assert.NotEqual(DocumentedSignature.Compute(context.Sandbox.WeCom.CurrentTicket(WeComApps.CorpId, other)!, config.AgentConfig.NonceStr, config.AgentConfig.Timestamp, page),
                config.AgentConfig.Signature);
        }

        var mpRequest = HttpRequests.Get(context.Services, HttpRequests.ForPage("https://m.example.com/a"));
        var mp = HttpRequests.Unwrap<JsSdkConfig>(await HttpRequests.ExecuteAsync(await endpoint.HandleAsync(mpRequest), mpRequest)).Body;
        Assert.True(mp.VerifiesWith(context.Sandbox.State.CurrentTicket(SandboxDefaults.AppId)));
        Assert.Equal(SandboxDefaults.AppId, mp.AppId);
    }

    [Fact]
    public async Task Without_an_agent_ticket_a_WeCom_page_gets_503_saying_which_ticket_and_why()
    {
        await using var context = await StartAsync(azurite);
        context.Sandbox.WeCom.SetFault(new SandboxFault(SandboxFaultKind.Busy, SandboxEndpoint.WeComAgentTicket));
        Assert.Equal(RefreshResult.Failed, (await TickAllAsync(context))["hr"]);
        Assert.NotNull((await StoredAsync(context, WeComApps.One)).JsapiTicket); // the corp ticket obtained before the failure is kept

        var request = HttpRequests.Get(context.Services, HttpRequests.ForPage("https://work.example.cn/a") + $"&agentId={WeComApps.One}");
        var (status, error) = HttpRequests.Unwrap<ApiError>(await HttpRequests.ExecuteAsync(await context.Get<JsSdkConfigEndpoint>().HandleAsync(request), request));
        Assert.Equal((503, "ticket_unavailable"), (status, error.Error));
        Assert.Contains("agent ticket", error.Message);
        Assert.Contains("AgentTicket", error.Message);
        Assert.Contains("-1", error.Message);
    }
}
