using System.Net.Http.Json;
using WxShare.Functions.Tests.Sandbox;
using WxShare.WeChatSandbox;
using WxShare.WeChatSandbox.WeCom;

namespace WxShare.Functions.Tests.WeCom;

/// <summary>The sandbox's WeCom side over real HTTP: WeCom's semantics, limits, the trusted-IP switch and faults.</summary>
public sealed class WeComSandboxTests
{
    private static Task<WeChatReply> GetTokenAsync(SandboxHarness sandbox, string agentId, string corpId = WeComApps.CorpId) =>
        sandbox.SendAsync(HttpMethod.Get, $"cgi-bin/gettoken?corpid={corpId}&corpsecret={WeComApps.SecretOf(agentId)}");

    private static Task<WeChatReply> CorpTicketAsync(SandboxHarness sandbox, string token) =>
        sandbox.SendAsync(HttpMethod.Get, $"cgi-bin/get_jsapi_ticket?access_token={Uri.EscapeDataString(token)}");

    private static Task<WeChatReply> AgentTicketAsync(SandboxHarness sandbox, string token, string type = "agent_config") =>
        sandbox.SendAsync(HttpMethod.Get, $"cgi-bin/ticket/get?access_token={Uri.EscapeDataString(token)}&type={type}");

    [Fact]
    public async Task Each_app_gets_its_own_token_and_agent_ticket_and_the_corp_ticket_is_the_corps()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var one = (await GetTokenAsync(sandbox, WeComApps.One)).AccessToken!;
        var two = (await GetTokenAsync(sandbox, WeComApps.Two)).AccessToken!;

        var corp = await CorpTicketAsync(sandbox, one);
        var agentOne = await AgentTicketAsync(sandbox, one);
        var agentTwo = await AgentTicketAsync(sandbox, two);

        Assert.Equal((0, "ok", 7200), (corp.ErrCode, corp.ErrMsg, corp.ExpiresIn));
        var state = sandbox.Server.WeCom;
        Assert.True(state.IsTicketValid(WeComApps.CorpId, null, corp.Ticket!));
        Assert.True(state.IsTicketValid(WeComApps.CorpId, WeComApps.One, agentOne.Ticket!));
        Assert.False(state.IsTicketValid(WeComApps.CorpId, WeComApps.Two, agentOne.Ticket!));
        Assert.False(state.IsTicketValid(WeComApps.CorpId, null, agentOne.Ticket!));
        Assert.Equal(agentTwo.Ticket, state.CurrentTicket(WeComApps.CorpId, WeComApps.Two));
        Assert.True(state.IsAccessTokenValid(WeComApps.CorpId, WeComApps.One, one) && !state.IsAccessTokenValid(WeComApps.CorpId, WeComApps.Two, one));
        Assert.Equal(new WeComCallCounts(2, 1, 2), state.Calls);
    }

    [Fact]
    public async Task Wrong_corp_secret_token_and_type_get_WeComs_errcodes()
    {
        await using var sandbox = await SandboxHarness.StartAsync(new SandboxOptions
        {
            WeCom = new WeComSandboxOptions { Apps = [.. new WeComSandboxOptions().Apps, new() { CorpId = "wwother", AgentId = "1", Secret = "other0corp0secret" }] },
        });
        Assert.Equal(40013, (await GetTokenAsync(sandbox, WeComApps.One, corpId: "wwunknown")).ErrCode);
        Assert.Equal(40001, (await sandbox.SendAsync(HttpMethod.Get, $"cgi-bin/gettoken?corpid={WeComApps.CorpId}&corpsecret=wrong")).ErrCode);
        Assert.Equal(40091, (await sandbox.SendAsync(HttpMethod.Get, $"cgi-bin/gettoken?corpid={WeComApps.CorpId}&corpsecret=other0corp0secret")).ErrCode);
        Assert.Equal(40014, (await CorpTicketAsync(sandbox, "not-a-token")).ErrCode);
        var token = (await GetTokenAsync(sandbox, WeComApps.One)).AccessToken!;
        Assert.Equal(40058, (await AgentTicketAsync(sandbox, token, "jsapi")).ErrCode);
        sandbox.Time.Advance(TimeSpan.FromSeconds(7200));
        var expired = await AgentTicketAsync(sandbox, token);
        Assert.Equal(42001, expired.ErrCode);
        Assert.Contains("more info at https://open.work.weixin.qq.com/devtool/query?e=42001", expired.ErrMsg);
    }

    [Fact]
    public async Task The_hourly_limits_answer_45009_per_app_and_per_corp_and_free_up_after_an_hour()
    {
        await using var sandbox = await SandboxHarness.StartAsync(new SandboxOptions
        {
            WeCom = new WeComSandboxOptions { CorpTicketCallsPerHourPerCorp = 5, TicketCallsPerHourPerApp = 3 },
        });
        var one = (await GetTokenAsync(sandbox, WeComApps.One)).AccessToken!;
        var two = (await GetTokenAsync(sandbox, WeComApps.Two)).AccessToken!;

        var oneCorp = new List<int>();
        for (var i = 0; i < 4; i++)
            oneCorp.Add((await CorpTicketAsync(sandbox, one)).ErrCode);
        var twoCorp = new List<int>();
        for (var i = 0; i < 3; i++)
            twoCorp.Add((await CorpTicketAsync(sandbox, two)).ErrCode);
        var agent = new List<int>();
        for (var i = 0; i < 4; i++)
            agent.Add((await AgentTicketAsync(sandbox, one)).ErrCode);

        Assert.Equal([0, 0, 0, 45009], oneCorp); // 3 per app
        Assert.Equal([0, 0, 45009], twoCorp);    // 5 per corp
        Assert.Equal([0, 0, 0, 45009], agent);   // agent tickets: 3 per app, apart from the corp ticket
        sandbox.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, (await CorpTicketAsync(sandbox, two)).ErrCode);
        Assert.Equal(4 + 3 + 4 + 1, sandbox.Server.WeCom.TicketCalls.Count);
        Assert.Equal(11, sandbox.Server.WeCom.MostTicketCallsInAnyHour(WeComApps.CorpId));
    }

    [Fact]
    public async Task The_trusted_ip_switch_makes_every_call_answer_60020_until_switched_off()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var token = (await GetTokenAsync(sandbox, WeComApps.One)).AccessToken!;

        using (var on = await sandbox.Http.PutAsJsonAsync("sandbox/wecom/trusted-ip", new { blocked = true }))
            on.EnsureSuccessStatusCode();
        var replies = new[] { await GetTokenAsync(sandbox, WeComApps.Two), await CorpTicketAsync(sandbox, token), await AgentTicketAsync(sandbox, token) };
        Assert.All(replies, r => Assert.Equal(60020, r.ErrCode));
        Assert.Contains("not allow to access from your ip", replies[0].ErrMsg);
        Assert.Contains("from ip: 127.0.0.1", replies[0].ErrMsg);

        using (var off = await sandbox.Http.PutAsJsonAsync("sandbox/wecom/trusted-ip", new { blocked = false }))
            off.EnsureSuccessStatusCode();
        Assert.Equal(0, (await CorpTicketAsync(sandbox, token)).ErrCode);
    }

    [Fact]
    public async Task Answers_carry_WeComs_errmsg_shape_content_type_and_Error_Code_headers()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        using var error = await sandbox.Http.GetAsync($"cgi-bin/gettoken?corpid={WeComApps.CorpId}&corpsecret=wrong");
        using var success = await sandbox.Http.GetAsync($"cgi-bin/gettoken?corpid={WeComApps.CorpId}&corpsecret={WeComApps.SecretOf(WeComApps.One)}");

        var errmsg = System.Text.Json.JsonDocument.Parse(await error.Content.ReadAsStringAsync()).RootElement.GetProperty("errmsg").GetString()!;
        var shape = System.Text.RegularExpressions.Regex.Match(errmsg,
            @"^invalid credential, hint: \[(?<unix>\d{10})\d*\], from ip: 127\.0\.0\.1, more info at https://open\.work\.weixin\.qq\.com/devtool/query\?e=40001$");
        Assert.True(shape.Success, errmsg);
        Assert.Equal(sandbox.Time.GetUtcNow().ToUnixTimeSeconds().ToString(), shape.Groups["unix"].Value);
        Assert.Equal("40001", Assert.Single(error.Headers.GetValues("Error-Code")));
        Assert.Equal(errmsg, Assert.Single(error.Headers.GetValues("Error-Msg")));
        Assert.Equal("application/json; charset=UTF-8", error.Content.Headers.ContentType!.ToString());
        Assert.Equal(("0", "ok"), (Assert.Single(success.Headers.GetValues("Error-Code")), Assert.Single(success.Headers.GetValues("Error-Msg"))));
        Assert.Equal("application/json; charset=UTF-8", success.Content.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task A_WeCom_fault_answers_in_WeComs_shape_not_WeChats()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        sandbox.Server.WeCom.SetFault(new SandboxFault(SandboxFaultKind.ErrorCode, SandboxEndpoint.WeComToken, ErrorCode: 60020));

        using var response = await sandbox.Http.GetAsync($"cgi-bin/gettoken?corpid={WeComApps.CorpId}&corpsecret={WeComApps.SecretOf(WeComApps.One)}");

        var errmsg = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errmsg").GetString()!;
        Assert.StartsWith("not allow to access from your ip, hint: [", errmsg);
        Assert.Contains(", from ip: 127.0.0.1, more info at https://open.work.weixin.qq.com/devtool/query?e=60020", errmsg);
        Assert.DoesNotContain(" rid: ", errmsg);
        Assert.Equal("60020", Assert.Single(response.Headers.GetValues("Error-Code")));
    }

    [Fact]
    public async Task Faults_and_tickets_are_driven_over_the_admin_endpoints()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var token = (await GetTokenAsync(sandbox, WeComApps.One)).AccessToken!;
        using (var put = await sandbox.Http.PutAsJsonAsync("sandbox/wecom/fault", new { kind = "errorCode", endpoint = "weComAgentTicket", errorCode = 48002, remainingCalls = 1 }))
            put.EnsureSuccessStatusCode();

        Assert.Equal(48002, (await AgentTicketAsync(sandbox, token)).ErrCode);
        var ticket = (await AgentTicketAsync(sandbox, token)).Ticket;
        var served = await sandbox.SendAsync(HttpMethod.Get, $"sandbox/wecom/tickets/{WeComApps.CorpId}/{WeComApps.One}");
        Assert.Equal(ticket, served.Json.GetProperty("ticket").GetString());
        Assert.Equal(404, (int)(await sandbox.SendAsync(HttpMethod.Get, $"sandbox/wecom/tickets/{WeComApps.CorpId}")).Status);
        var calls = await sandbox.SendAsync(HttpMethod.Get, "sandbox/wecom/calls");
        Assert.Equal(2, calls.Json.GetProperty("agentTicket").GetInt32());
        Assert.Equal(0, sandbox.State.Calls.Total); // WeChat's counts are apart
    }
}
