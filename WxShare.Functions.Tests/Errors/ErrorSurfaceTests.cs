using System.Text.Json;
using Microsoft.Extensions.Logging;
using WxShare.Diagnosis;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Functions.Tests.Refresh;
using WxShare.Functions.Tests.WeCom;
using WxShare.Functions.Tests.Wire;
using WxShare.Operations;
using WxShare.Refresh;
using WxShare.Signing;
using WxShare.Storage;
using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.Errors;

/// <summary>
/// An errcode as WeChat/WeCom put it on the wire (canned bodies in the facts' exact shapes, from a plain TCP listener),
/// through a real refresh against Azurite, shown with its advice everywhere a person looks: the refresh log, health's
/// lastError (its rid kept in the row), the config route's 503 and diagnose.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ErrorSurfaceTests(AzuriteFixture azurite)
{
    private const string Rid = "6523a8b1-1f2e3d4c-5b6a7980";
    private const string Page = "https://example.com/page";
    private const string TokenOk = """{"access_token":"TOKEN_FROM_THE_WIRE_0000","expires_in":7200}""";
    private const string TicketOk = """{"errcode":0,"errmsg":"ok","ticket":"TICKET_FROM_THE_WIRE_0000","expires_in":7200}""";

    private static string Error(int code, string errmsg) => JsonSerializer.Serialize(new { errcode = code, errmsg });

    /// <summary>WeChat answering each call of an official account: the token call, then getticket.</summary>
    private static RawHttpCapture WeChatAnswering(string token, string ticket) =>
        new(r => r.Path is "/cgi-bin/stable_token" or "/cgi-bin/token" ? token : r.Path == "/cgi-bin/ticket/getticket" ? ticket : TicketOk);

    private Task<WxShareTestContext> StartAsync(RawHttpCapture wire, string? outboundIp = null, Action<Dictionary<string, string?>>? configure = null) =>
        WxShareTestContext.StartAsync(azurite, s =>
        {
            s["WeChat:ApiBaseUrl"] = wire.BaseAddress.ToString();
            if (outboundIp is not null)
                s["Deployment:OutboundIp"] = outboundIp;
            configure?.Invoke(s);
        });

    public static TheoryData<int, string, bool, string> Codes => new()
    {
        // errcode, errmsg as on the wire, at the token call (else at getticket), a fragment of the advice
        { 40164, $"invalid ip 203.0.113.9 ipv6 ::ffff:203.0.113.9, not in whitelist rid: {Rid}", true, "Add 203.0.113.9 to the IP whitelist of official account" },
        { 89503, $"this call needs the admin's confirmation rid: {Rid}", true, "must confirm this IP in the WeChat admin app" },
        { 89506, $"the admin rejected this ip rid: {Rid}", true, "again after 24 hours (2026-12-02 02:00:00Z)" },
        { 40125, $"invalid appsecret rid: {Rid}", true, "Set WeChat__AppSecret to the account's current AppSecret" },
        { 40013, $"invalid appid rid: {Rid}", true, "Set WeChat__AppId to the official account's AppID" },
        { 48001, $"api unauthorized rid: {Rid}", false, "lacks the permission for the JsapiTicket call" },
        { 45009, $"reach max api daily quota limit rid: {Rid}", false, "resets at midnight Beijing time (2026-12-01 16:00:00Z)" },
        { 45011, $"api minute-quota reach limit, must slower, retry next minute rid: {Rid}", false, "clears at the next minute (2026-12-01 02:01:00Z)" },
    };

    [Theory]
    [MemberData(nameof(Codes))]
    public async Task Each_errcode_is_shown_with_its_fix_and_rid_in_the_log_health_the_503_and_diagnose(int code, string errmsg, bool atTokenCall, string fix)
    {
        await using var wire = WeChatAnswering(atTokenCall ? Error(code, errmsg) : TokenOk, atTokenCall ? TicketOk : Error(code, errmsg));
        await using var context = await StartAsync(wire);

        Assert.Equal(RefreshResult.Failed, await context.TickAsync());

        var logged = Assert.Single(context.Logs.GetSnapshot(), l => l.Level == LogLevel.Error);
        Assert.Contains($"errcode {code}", logged.Message);
        Assert.Contains(fix, logged.Message);
        Assert.Contains($"(rid {Rid})", logged.Message);

        var stored = await context.StoredAsync();
        Assert.Equal(Rid, stored.LastFailure?.Rid);

        var lastError = (await HealthAsync(context)).GetProperty("accounts")[0].GetProperty("lastError");
        Assert.Equal(code, lastError.GetProperty("errcode").GetInt32());
        Assert.Equal(Rid, lastError.GetProperty("rid").GetString());
        Assert.Equal(errmsg, lastError.GetProperty("message").GetString());
        var advice = lastError.GetProperty("advice");
        Assert.Contains(fix, advice.GetProperty("summary").GetString() + " " + advice.GetProperty("fix").GetString());

        var (status, message) = await ConfigAsync(context);
        Assert.Equal(503, status);
        Assert.Contains($"errcode {code}", message);
        // Issue 17: the page's 503 goes to strangers: the errcode, not WeChat's errmsg, the advice or the rid (health with a key has them).
        Assert.DoesNotContain(fix, message);
        Assert.DoesNotContain(Rid, message);
        Assert.DoesNotContain(errmsg, message);
        Assert.Contains("/api/health with a key", message);

        var diagnosis = await context.Get<JsSdkDiagnosisService>().DiagnoseAsync(new DiagnosisInput(Page), CancellationToken.None);
        Assert.Contains(diagnosis.Findings, f => f.Code == "ticket_unavailable" && f.Message.Contains(fix) && f.Message.Contains(Rid));

        // The advice is WxShare's own words, and none of the surfaces shows the AppSecret.
        Assert.DoesNotContain(SandboxDefaults.AppSecret, logged.Message + lastError.GetRawText() + message);
    }

    [Theory]
    [InlineData("203.0.113.9", true)]
    [InlineData("198.51.100.1", false)]
    public async Task A_whitelist_error_says_whether_WeChat_saw_the_deployments_NAT_address(string outboundIp, bool same)
    {
        await using var wire = WeChatAnswering(Error(40164, $"invalid ip 203.0.113.9 ipv6 ::ffff:203.0.113.9, not in whitelist rid: {Rid}"), TicketOk);
        await using var context = await StartAsync(wire, outboundIp);

        await context.TickAsync();

        var advice = (await HealthAsync(context)).GetProperty("accounts")[0].GetProperty("lastError").GetProperty("advice");
        Assert.Equal("203.0.113.9", advice.GetProperty("ip").GetString());
        Assert.Equal(same, advice.GetProperty("ipIsDeploymentIp").GetBoolean());
        var note = same ? "203.0.113.9 is this deployment's NAT address" : $"203.0.113.9 is not this deployment's NAT address {outboundIp}";
        Assert.Contains(note, advice.GetProperty("fix").GetString());
        Assert.Contains(note, Assert.Single(context.Logs.GetSnapshot(), l => l.Level == LogLevel.Error).Message);
        // The server's address is for operators: the page's 503 never shows it.
        Assert.DoesNotContain("203.0.113.9", (await ConfigAsync(context)).Message);
    }

    [Fact]
    public async Task Against_the_strict_sandbox_the_whitelist_error_names_the_callers_IP_and_a_rid_WeChat_can_look_up()
    {
        await using var context = await WxShareTestContext.StartAsync(azurite, s => s["Deployment:OutboundIp"] = "127.0.0.1");
        context.Sandbox.State.SetIpWhitelist([]); // on, and nobody on it

        Assert.Equal(RefreshResult.Failed, await context.TickAsync());

        var lastError = (await HealthAsync(context)).GetProperty("accounts")[0].GetProperty("lastError");
        Assert.Equal(40164, lastError.GetProperty("errcode").GetInt32());
        var rid = lastError.GetProperty("rid").GetString()!;
        Assert.Equal("127.0.0.1", context.Sandbox.State.Rids.Find(rid)?.ClientIp);
        var advice = lastError.GetProperty("advice");
        Assert.Equal("127.0.0.1", advice.GetProperty("ip").GetString());
        Assert.True(advice.GetProperty("ipIsDeploymentIp").GetBoolean());

        // The operator does what it says; the next refresh after the back-off succeeds and the error is gone.
        context.Sandbox.State.SetIpWhitelist([advice.GetProperty("ip").GetString()!]);
        await context.RunTicksAsync(TimeSpan.FromMinutes(35));
        Assert.Null((await context.StoredAsync()).LastFailure);
    }

    [Fact]
    public async Task A_missing_permission_is_not_taken_for_an_expired_token()
    {
        await using var wire = WeChatAnswering(TokenOk, Error(48001, $"api unauthorized rid: {Rid}"));
        await using var context = await StartAsync(wire);

        Assert.Equal(RefreshResult.Failed, await context.TickAsync());

        // A refused token would be fetched once more and getticket retried; a missing permission is not.
        Assert.Equal(1, wire.Requests.Count(r => r.Path == "/cgi-bin/stable_token"));
        Assert.Equal(1, wire.Requests.Count(r => r.Path == "/cgi-bin/ticket/getticket"));
        Assert.DoesNotContain(context.Logs.GetSnapshot(), l => l.Message.Contains("refused the stored access_token"));
        Assert.NotNull((await context.StoredAsync()).RetryNotBefore);
    }

    [Fact]
    public async Task WeComs_untrusted_IP_names_the_IP_and_the_apps_trusted_IP_setting()
    {
        const string errmsg = "not allow to access from your ip, hint: [1764554430_52_8f3c], from ip: 203.0.113.9, "
                              + "more info at https://open.work.weixin.qq.com/devtool/query?e=60020";
        await using var wire = new RawHttpCapture(r => r.Path switch
        {
            "/cgi-bin/gettoken" => """{"errcode":0,"errmsg":"ok","access_token":"WECOM_TOKEN_0000","expires_in":7200}""",
            "/cgi-bin/get_jsapi_ticket" => Error(60020, errmsg),
            "/cgi-bin/stable_token" => TokenOk,
            _ => TicketOk,
        });
        await using var context = await StartAsync(wire, "203.0.113.9", s => WeComApps.Add(s, "hr", WeComApps.One));

        await context.Get<CredentialRefresher>().RefreshAllAsync(CancellationToken.None);

        const string fix = $"Add 203.0.113.9 to 企业可信IP of app {WeComApps.One}";
        var logged = Assert.Single(context.Logs.GetSnapshot(), l => l.Level == LogLevel.Error);
        Assert.Contains(fix, logged.Message);
        Assert.Contains("203.0.113.9 is this deployment's NAT address", logged.Message);
        var hr = (await HealthAsync(context)).GetProperty("accounts").EnumerateArray().Single(a => a.GetProperty("name").GetString() == "hr");
        Assert.Equal(60020, hr.GetProperty("lastError").GetProperty("errcode").GetInt32());
        Assert.Contains(fix, hr.GetProperty("lastError").GetProperty("advice").GetProperty("fix").GetString());
        Assert.Contains(fix, hr.GetProperty("reason").GetString());
    }

    private static async Task<JsonElement> HealthAsync(WxShareTestContext context)
    {
        var request = HttpRequests.Get(context.Services, "");
        // The detailed view, as a key with route ops gets it (the edge would have checked the key).
        WxShare.Http.OperatorCaller.Set(request.HttpContext, new WxShare.Http.ApiKey("ops", null, null));
        var answer = await HttpRequests.ExecuteAsync(await context.Get<HealthEndpoint>().HandleAsync(request, CancellationToken.None), request);
        return JsonDocument.Parse(answer.Body).RootElement;
    }

    private static async Task<(int Status, string Message)> ConfigAsync(WxShareTestContext context)
    {
        var request = HttpRequests.Get(context.Services, HttpRequests.ForPage(Page));
        var answer = await HttpRequests.ExecuteAsync(await context.Get<JsSdkConfigEndpoint>().HandleAsync(request), request);
        return (answer.Status, JsonDocument.Parse(answer.Body).RootElement.GetProperty("message").GetString()!);
    }
}
