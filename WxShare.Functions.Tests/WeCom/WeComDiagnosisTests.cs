using WxShare.Http;
using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using WxShare.Diagnosis;
using WxShare.Functions.Tests.EndToEnd;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Functions.Tests.Refresh;
using WxShare.Host;
using WxShare.Signing;
using WxShare.Storage;
using WxShare.WeCom;

namespace WxShare.Functions.Tests.WeCom;

/// <summary>
/// Diagnose and report for a WeCom app's page: through the function classes (fake clock, Azurite, the sandbox) and over
/// HTTP on the standalone host. Signatures come from the config route and are checked here against the sandbox's own
/// tickets with the documented recipe, so a verdict is tested against tickets WxShare did not compute.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class WeComDiagnosisTests(AzuriteFixture azurite)
{
    private const string Page = "https://work.example.cn/approve?id=7&from=app";
    private const string OperatorKey = "support-key-0123456789abcdefghijklmnopqr";

    private static async Task<WxShareTestContext> RefreshedAsync(AzuriteFixture azurite, Action<Dictionary<string, string?>>? configure = null)
    {
        var context = await WxShareTestContext.StartAsync(azurite, s =>
        {
            WeComApps.AddBoth(s);
            configure?.Invoke(s);
        });
        await context.TickAsync();
        return context;
    }

    private static async Task<WeComJsSdkConfig> SignAsync(WxShareTestContext context, string agentId = WeComApps.One)
    {
        var request = HttpRequests.Get(context.Services, HttpRequests.ForPage(Page) + $"&appId={WeComApps.CorpId}&agentId={agentId}");
        var answer = await HttpRequests.ExecuteAsync(await new JsSdkConfigFunction(context.Get<HttpEdge>()).Run(request), request);
        Assert.Equal(200, answer.Status);
        return HttpRequests.Unwrap<WeComJsSdkConfig>(answer).Body;
    }

    private static async Task<(int Status, string Body, JsonElement Json)> DiagnoseAsync(WxShareTestContext context, string queryString)
    {
        var request = WxShareTestContext.Keyed(HttpRequests.Get(context.Services, queryString));
        return await (await new JsSdkDiagnoseFunction(context.Get<HttpEdge>()).Run(request)).ExecuteAsync(request);
    }

    private static async Task<(int Status, string Body, JsonElement Json)> ReportAsync(WxShareTestContext context, string body, string remoteAddress = "203.0.113.7")
    {
        // As an operator replaying a page's report with a diagnose key: the answer then carries the diagnosis (a page's carries only the receipt).
        var request = WxShareTestContext.Keyed(ResultExecution.Post(context.Services, body, "https://work.example.cn", remoteAddress));
        var (status, text, json) = await (await new FieldReportFunction(context.Get<HttpEdge>()).Run(request)).ExecuteAsync(request);
        return (status, text, json.ValueKind == JsonValueKind.Object && json.TryGetProperty("diagnosis", out var diagnosis) ? diagnosis : json);
    }

    /// <summary>What a page that called one of the two passed: its timestamp, nonceStr and signature.</summary>
    private static string Query(long timestamp, string nonce, string signature, string? signatureOf = null, string agentId = WeComApps.One) =>
        $"{HttpRequests.ForPage(Page)}&appId={WeComApps.CorpId}&agentId={agentId}&timestamp={timestamp}&nonceStr={nonce}&signature={signature}"
        + (signatureOf is null ? "" : $"&signatureOf={signatureOf}");

    private static async Task<string[]> SecretsAsync(WxShareTestContext context)
    {
        var secrets = new List<string> { WeComApps.SecretOf(WeComApps.One), WeComApps.SecretOf(WeComApps.Two) };
        foreach (var agent in new[] { WeComApps.One, WeComApps.Two })
        {
            var row = await context.Get<CredentialStore>().GetAsync(WeComApps.StorageKey(agent), CancellationToken.None);
            secrets.AddRange(new[] { row.AccessToken, row.JsapiTicket, row.AgentTicket, row.PreviousJsapiTicket, row.PreviousAgentTicket }
                .OfType<WeChat.IssuedCredential>().Select(c => c.Value));
        }
        return secrets.ToArray();
    }

    private static string Code(JsonElement diagnosis) => string.Join(",", diagnosis.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("code").GetString()));

    [Fact]
    public void The_diagnose_function_stays_key_protected_and_the_report_anonymous()
    {
        static HttpTriggerAttribute Trigger(Type function) => function.GetMethod("Run")!.GetParameters()
            .Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).Single(a => a is not null)!;

        // Anonymous to the Functions host: the key (route diagnose) is WxShare's, checked in the edge.
        Assert.Equal(AuthorizationLevel.Anonymous, Trigger(typeof(JsSdkDiagnoseFunction)).AuthLevel);
        Assert.Equal(KeyNeed.Required, ApiRoutes.Diagnose.Key.Need);
        Assert.Equal(KeyRoutes.Diagnose, ApiRoutes.Diagnose.Key.Scope);
        Assert.Equal(AuthorizationLevel.Anonymous, Trigger(typeof(FieldReportFunction)).AuthLevel);
    }

    [Fact]
    public async Task Diagnose_function_matches_each_call_to_its_own_ticket_and_names_the_mix_up()
    {
        await using var context = await RefreshedAsync(azurite);
        var config = await SignAsync(context);
        var agent = config.AgentConfig;
        // The config route's signatures, verified here with the sandbox's tickets: the verdicts below are about real tickets.
        Assert.Contains(context.Sandbox.WeCom.ValidTickets(WeComApps.CorpId),
            t => DocumentedSignature.Compute(t, config.NonceStr, config.Timestamp, Page) == config.Signature);
        Assert.Equal(DocumentedSignature.Compute(context.Sandbox.WeCom.CurrentTicket(WeComApps.CorpId, WeComApps.One)!, agent.NonceStr, agent.Timestamp, Page),
            agent.Signature);

        var asConfig = await DiagnoseAsync(context, Query(config.Timestamp, config.NonceStr, config.Signature));
        var asAgentConfig = await DiagnoseAsync(context, Query(agent.Timestamp, agent.NonceStr, agent.Signature, "agentConfig"));
        var agentAsConfig = await DiagnoseAsync(context, Query(agent.Timestamp, agent.NonceStr, agent.Signature, "config"));
        var configAsAgentConfig = await DiagnoseAsync(context, Query(config.Timestamp, config.NonceStr, config.Signature, "AgentConfig"));

        Assert.Equal(200, asConfig.Status);
        Assert.Equal(("current", "corp", "config", ""), Verdict(asConfig.Json));
        Assert.Equal(("current", "agent", "agentConfig", ""), Verdict(asAgentConfig.Json));
        Assert.Equal(("current", "agent", "config", "config_signed_with_agent_ticket"), Verdict(agentAsConfig.Json));
        Assert.Equal(("current", "corp", "agentConfig", "agent_config_signed_with_corp_ticket"), Verdict(configAsAgentConfig.Json));
        Assert.Equal("hr", asConfig.Json.GetProperty("account").GetProperty("name").GetString());
        Assert.Equal($"jsapi_ticket=***&noncestr={agent.NonceStr}&timestamp={agent.Timestamp}&url={Page}",
            asAgentConfig.Json.GetProperty("agentConfig").GetProperty("stringToSign").GetString());

        var secrets = await SecretsAsync(context);
        foreach (var body in new[] { asConfig.Body, asAgentConfig.Body, agentAsConfig.Body, configAsAgentConfig.Body })
            Assert.All(secrets, secret => Assert.DoesNotContain(secret, body));

        static (string?, string?, string?, string) Verdict(JsonElement json)
        {
            var signature = json.GetProperty("signature");
            return (signature.GetProperty("match").GetString(), signature.TryGetProperty("ticket", out var t) ? t.GetString() : null,
                signature.GetProperty("signatureOf").GetString(), Code(json));
        }
    }

    [Fact]
    public async Task Diagnose_function_recognises_the_previous_agent_ticket_and_another_apps()
    {
        await using var context = await RefreshedAsync(azurite);
        var before = await SignAsync(context);
        var otherApps = await SignAsync(context, WeComApps.Two);
        context.Time.Advance(TimeSpan.FromMinutes(101)); // past Refresh__MaxAgeMinutes: new tickets, the old ones kept as previous
        await context.TickAsync();
        var row = await context.Get<CredentialStore>().GetAsync(WeComApps.StorageKey(WeComApps.One), CancellationToken.None);
        Assert.NotEqual(row.AgentTicket!.Value, row.PreviousAgentTicket!.Value);
        Assert.True(context.Sandbox.WeCom.IsTicketValid(WeComApps.CorpId, WeComApps.One, row.PreviousAgentTicket.Value));

        var previous = await DiagnoseAsync(context, Query(before.Timestamp, before.AgentConfig.NonceStr, before.AgentConfig.Signature, "agentConfig"));
        // The page asked for app 1000003's config but runs wx.agentConfig as app 1000002.
        var otherApp = await DiagnoseAsync(context, Query(otherApps.Timestamp, otherApps.AgentConfig.NonceStr, otherApps.AgentConfig.Signature, "agentConfig"));

        var verdict = previous.Json.GetProperty("signature");
        Assert.Equal(("previous", "agent"), (verdict.GetProperty("match").GetString(), verdict.GetProperty("ticket").GetString()));
        Assert.Contains("before the last refresh", verdict.GetProperty("meaning").GetString());
        Assert.Contains("agent_ticket_of_other_app", Code(otherApp.Json));
        Assert.Equal(WeComApps.Two, otherApp.Json.GetProperty("signature").GetProperty("otherAppAgentId").GetString());
        Assert.All(await SecretsAsync(context), secret => Assert.DoesNotContain(secret, previous.Body + otherApp.Body));
    }

    [Theory]
    [InlineData("&signatureOf=agent", 400, "signature_of_invalid")]
    [InlineData("&agentId=1000002", 400, "parameter_repeated")]
    [InlineData("&signatureOf=config&signatureOf=agentConfig", 400, "parameter_repeated")]
    public async Task Diagnose_function_refuses_a_bad_agentId_or_signatureOf_as_json(string extra, int expectedStatus, string expectedError)
    {
        await using var context = await WxShareTestContext.StartAsync(azurite, WeComApps.AddBoth);
        var (status, _, json) = await DiagnoseAsync(context, HttpRequests.ForPage(Page) + $"&appId={WeComApps.CorpId}&agentId={WeComApps.One}" + extra);
        Assert.Equal(expectedStatus, status);
        Assert.Equal(expectedError, json.GetProperty("error").GetString());
        Assert.False(string.IsNullOrWhiteSpace(json.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task Diagnose_function_without_agentId_on_a_shared_domain_is_the_config_routes_ambiguity()
    {
        await using var context = await RefreshedAsync(azurite);
        var (status, _, json) = await DiagnoseAsync(context, HttpRequests.ForPage(Page) + $"&appId={WeComApps.CorpId}");
        Assert.Equal(200, status);
        Assert.Equal("account_ambiguous", Code(json));
        Assert.Contains("agentId", json.GetProperty("findings")[0].GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_WeCom_agentConfig_report_is_diagnosed_as_the_40093_mix_up_and_logged_once_without_tickets()
    {
        await using var context = await RefreshedAsync(azurite);
        var config = await SignAsync(context);
        context.Logs.Clear();
        // The classic mistake: wx.agentConfig given the top-level (wx.config) values. ww passes agentId as a number; the errMsg names the call.
        var body = JsonSerializer.Serialize(new
        {
            errMsg = "agentConfig:invalid signature",
            url = Page,
            appId = WeComApps.CorpId,
            agentId = long.Parse(WeComApps.One),
            timestamp = config.Timestamp,
            nonceStr = config.NonceStr,
            signature = config.Signature,
            userAgent = "Mozilla/5.0 (iPhone) wxwork/4.1.30 MicroMessenger/7.0.1",
        });

        var (status, responseBody, json) = await ReportAsync(context, body);

        Assert.Equal(202, status);
        Assert.Equal("agent_config_signed_with_corp_ticket", Code(json));
        Assert.Equal("agentConfig", json.GetProperty("signature").GetProperty("signatureOf").GetString());
        var warning = Assert.Single(context.Logs.GetSnapshot(), l => l.Level >= LogLevel.Warning);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("agentConfig:invalid signature", warning.Message);
        Assert.Contains($"appId {WeComApps.CorpId} agent {WeComApps.One}", warning.Message);
        Assert.Contains("signature current (agentConfig, corp ticket)", warning.Message);
        Assert.Contains("agent_config_signed_with_corp_ticket", warning.Message);
        var secrets = await SecretsAsync(context);
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, responseBody));
        Assert.All(context.Logs.GetSnapshot(), l => Assert.All(secrets, secret => Assert.DoesNotContain(secret, l.Message)));
    }

    [Fact]
    public async Task A_report_may_say_signatureOf_itself_and_agentId_as_a_string()
    {
        await using var context = await RefreshedAsync(azurite);
        var agent = (await SignAsync(context)).AgentConfig;
        var body = JsonSerializer.Serialize(new
        {
            errMsg = "fail", url = Page, appId = WeComApps.CorpId, agentId = WeComApps.One, signatureOf = "agentConfig",
            timestamp = agent.Timestamp.ToString(), nonceStr = agent.NonceStr, signature = agent.Signature,
        });

        var (status, _, json) = await ReportAsync(context, body);

        Assert.Equal(202, status);
        Assert.Equal(("current", "agent"), (json.GetProperty("signature").GetProperty("match").GetString(), json.GetProperty("signature").GetProperty("ticket").GetString()));
        Assert.Equal("", Code(json));
    }

    [Fact]
    public async Task WeCom_reports_count_against_the_same_rate_limits()
    {
        await using var context = await WxShareTestContext.StartAsync(azurite, s =>
        {
            WeComApps.AddBoth(s);
            s["Reports:PerAddressPerMinute"] = "1";
        });
        var body = $$"""{"errMsg":"agentConfig:invalid signature","url":"{{Page}}","appId":"{{WeComApps.CorpId}}","agentId":{{WeComApps.Two}}}""";

        var statuses = new[] { (await ReportAsync(context, body)).Status, (await ReportAsync(context, body)).Status };

        Assert.Equal([202, 429], statuses);
    }

    [Fact]
    public async Task Diagnose_and_report_for_a_WeCom_app_over_http_on_the_standalone_host()
    {
        await using var host = await StandaloneHost.StartAsync(azurite, settings: s =>
        {
            WeComApps.AddBoth(s);
            TestKeys.Add(s, "support", OperatorKey, routes: "diagnose", accounts: "*");
        }, configure: b => b.Logging.AddFakeLogging());
        var configQuery = HttpRequests.ForPage(Page) + $"&appId={WeComApps.CorpId}&agentId={WeComApps.Two}";
        HttpResponseMessage signed;
        for (var deadline = DateTime.UtcNow.AddSeconds(20); ; await Task.Delay(200))
            if ((signed = await host.Client.GetAsync(WxShareHost.ConfigRoute + configQuery)).StatusCode != HttpStatusCode.ServiceUnavailable || DateTime.UtcNow > deadline)
                break;
        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        var config = (await signed.Content.ReadFromJsonAsync<WeComJsSdkConfig>())!;
        var agentTicket = host.Sandbox.WeCom.CurrentTicket(WeComApps.CorpId, WeComApps.Two)!;
        Assert.Equal(DocumentedSignature.Compute(agentTicket, config.AgentConfig.NonceStr, config.Timestamp, Page), config.AgentConfig.Signature);
        var diagnoseQuery = Query(config.Timestamp, config.AgentConfig.NonceStr, config.AgentConfig.Signature, "agentConfig", WeComApps.Two);

        var withoutKey = await host.Client.GetAsync(WxShareHost.DiagnoseRoute + diagnoseQuery);
        using var keyed = new HttpRequestMessage(HttpMethod.Get, WxShareHost.DiagnoseRoute + diagnoseQuery) { Headers = { Authorization = TestKeys.Bearer(OperatorKey) } };
        var diagnosed = await host.Client.SendAsync(keyed);
        var reportBody = JsonSerializer.Serialize(new
        {
            errMsg = "config:invalid signature", url = Page, appId = WeComApps.CorpId, agentId = long.Parse(WeComApps.Two),
            timestamp = config.Timestamp, nonceStr = config.AgentConfig.NonceStr, signature = config.AgentConfig.Signature, userAgent = "wxwork/4.1.30",
        });
        var report = await host.Client.PostAsync(WxShareHost.ReportRoute, new StringContent(reportBody, Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
        Assert.Equal("key_missing", (await withoutKey.Content.ReadFromJsonAsync<ApiError>())!.Error);
        Assert.Equal(HttpStatusCode.OK, diagnosed.StatusCode);
        var diagnosedBody = await diagnosed.Content.ReadAsStringAsync();
        var diagnosis = JsonDocument.Parse(diagnosedBody).RootElement;
        Assert.Equal("crm", diagnosis.GetProperty("account").GetProperty("name").GetString());
        Assert.Equal(("current", "agent"), (diagnosis.GetProperty("signature").GetProperty("match").GetString(), diagnosis.GetProperty("signature").GetProperty("ticket").GetString()));
        Assert.Equal(HttpStatusCode.Accepted, report.StatusCode);
        var reportAnswer = await report.Content.ReadAsStringAsync();
        // The page (anonymous) gets a receipt; the diagnosis is for operators, in the log under the report's id.
        var receipt = JsonDocument.Parse(reportAnswer).RootElement;
        Assert.True(receipt.GetProperty("received").GetBoolean());
        var reportId = receipt.GetProperty("reportId").GetString()!;
        Assert.False(receipt.TryGetProperty("diagnosis", out _));

        var logs = host.App.Services.GetRequiredService<FakeLogCollector>().GetSnapshot();
        var reported = Assert.Single(logs, l => l.Level == LogLevel.Warning && l.Message.Contains("A page reported"));
        Assert.Contains(reportId, reported.Message);
        // wx.config given wx.agentConfig's values: the report names the mix-up.
        Assert.Contains("config_signed_with_agent_ticket", reported.Message);
        var secrets = host.Sandbox.WeCom.ValidTickets(WeComApps.CorpId).Concat(host.Sandbox.WeCom.ValidTickets(WeComApps.CorpId, WeComApps.One))
            .Concat(host.Sandbox.WeCom.ValidTickets(WeComApps.CorpId, WeComApps.Two)).Append(WeComApps.SecretOf(WeComApps.Two)).Append(OperatorKey).ToArray();
        Assert.Contains(agentTicket, secrets);
        foreach (var text in new[] { diagnosedBody, reportAnswer }.Concat(logs.Select(l => l.Message)))
            Assert.All(secrets, secret => Assert.DoesNotContain(secret, text));
    }
}
