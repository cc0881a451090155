using WxShare.Http;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using WxShare.Accounts;
using WxShare.Configuration;
using WxShare.Diagnosis;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Functions.Tests.WeCom;
using WxShare.WeChat;

namespace WxShare.Functions.Tests.Diagnosis;

/// <summary>
/// The diagnosis of a WeCom app's page, alone: two apps of one corp on one domain, their corp and agent tickets (current
/// and previous), a fixed clock. Every signature is computed here with the documented recipe (DocumentedSignature.Compute),
/// never by WxShare's signer.
/// </summary>
public sealed class WeComDiagnosticianTests
{
    private const string Page = "https://work.example.cn/approve?id=7&from=app";
    private const string Nonce = "Wm3WZYTPz0wzccnW";
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly long Timestamp = Now.ToUnixTimeSeconds() - 30;

    private static readonly IssuedCredential Corp = Ticket("CORPcurrent0ww5a4d5b0c1e2f3a4bHhTdfl2fzFy1AOcHKP7qg", -20, 100);
    private static readonly IssuedCredential CorpPrevious = Ticket("CORPprevious0ww5a4d5b0c1e2f3a4bsM4AOVdWfPE4DxkXGEs8", -120, 10);
    private static readonly IssuedCredential Agent = Ticket("AGENTcurrent01000002VAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy", -20, 100);
    private static readonly IssuedCredential AgentPrevious = Ticket("AGENTprevious01000002OAcHKP7qgsM4AOVdWfPE4DxkXGEs8V", -120, 10);
    private static readonly IssuedCredential OtherCorp = Ticket("CORPofapp10000030bSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg0000", -30, 90);
    private static readonly IssuedCredential OtherAgent = Ticket("AGENTofapp1000003CPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbS", -30, 90);

    private static readonly JsapiTickets Tickets = new(Corp, CorpPrevious)
    {
        AgentCurrent = Agent,
        AgentPrevious = AgentPrevious,
        OtherApps = new Dictionary<string, JsapiTickets> { [WeComApps.Two] = new(OtherCorp, null) { AgentCurrent = OtherAgent } },
    };

    private static readonly IssuedCredential[] Secrets = [Corp, CorpPrevious, Agent, AgentPrevious, OtherCorp, OtherAgent];

    private static IssuedCredential Ticket(string value, int fetchedMinutes, int expiresMinutes) =>
        new(value, Now.AddMinutes(fetchedMinutes), Now.AddMinutes(expiresMinutes));

    private static AccountRegistry Registry(Action<Dictionary<string, string?>>? change = null)
    {
        var settings = TestSettings.Offline();
        WeComApps.AddBoth(settings);
        change?.Invoke(settings);
        var options = new AccountsOptions();
        options.Load(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return new AccountRegistry(Options.Create(options));
    }

    private static JsSdkDiagnosis Diagnose(DiagnosisInput input, JsapiTickets? tickets = null, AccountRegistry? registry = null)
    {
        registry ??= Registry();
        return new JsSdkDiagnostician(new AccountSelector(registry)).Diagnose(input, tickets ?? Tickets, Now);
    }

    /// <summary>What a page of app 1000002 passed to one call: its signature, with the test's own timestamp and nonce.</summary>
    private static DiagnosisInput Signed(IssuedCredential ticket, SignedCall call, string url = Page, string? pageUrl = null) =>
        new(pageUrl ?? Page, WeComApps.CorpId, DocumentedSignature.Compute(ticket.Value, Nonce, Timestamp, url), Timestamp.ToString(), Nonce,
            WeComApps.One, call);

    private static string[] Codes(JsSdkDiagnosis diagnosis) => diagnosis.Findings.Select(f => f.Code).ToArray();

    private static string Json(JsSdkDiagnosis diagnosis) => JsonSerializer.Serialize(diagnosis, DiagnosisJsonContext.Readable.JsSdkDiagnosis);

    [Fact]
    public void A_WeCom_page_gets_its_app_and_both_strings_to_sign_with_the_tickets_masked()
    {
        var diagnosis = Diagnose(new DiagnosisInput(Page, WeComApps.CorpId, Timestamp: Timestamp.ToString(), NonceStr: Nonce, AgentId: WeComApps.One));

        Assert.Empty(diagnosis.Findings);
        Assert.Equal(("hr", WeComApps.CorpId, WeComApps.One), (diagnosis.Account!.Name, diagnosis.Account.AppId, diagnosis.Account.AgentId));
        var expected = $"jsapi_ticket=***&noncestr={Nonce}&timestamp={Timestamp}&url={Page}";
        Assert.Equal(expected, diagnosis.StringToSign);
        var agentConfig = diagnosis.AgentConfig!;
        Assert.Equal((WeComApps.CorpId, WeComApps.One, Timestamp, Nonce, expected),
            (agentConfig.CorpId, agentConfig.AgentId, agentConfig.Timestamp, agentConfig.NonceStr, agentConfig.StringToSign));
        var json = JsonDocument.Parse(Json(diagnosis)).RootElement;
        Assert.Equal(WeComApps.One, json.GetProperty("account").GetProperty("agentId").GetString());
        Assert.Equal(["corpid", "agentid", "timestamp", "nonceStr", "stringToSign"], json.GetProperty("agentConfig").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Without_timestamp_and_nonce_each_call_gets_a_nonce_of_its_own_as_from_the_config_route()
    {
        var diagnosis = Diagnose(new DiagnosisInput(Page, WeComApps.CorpId, AgentId: WeComApps.Two));
        Assert.Equal("crm", diagnosis.Account!.Name);
        Assert.Equal(Now.ToUnixTimeSeconds(), diagnosis.AgentConfig!.Timestamp);
        Assert.NotEqual(diagnosis.NonceStr, diagnosis.AgentConfig.NonceStr);
        Assert.Equal($"jsapi_ticket=***&noncestr={diagnosis.AgentConfig.NonceStr}&timestamp={diagnosis.Timestamp}&url={Page}", diagnosis.AgentConfig.StringToSign);
    }

    [Fact]
    public void An_official_accounts_diagnosis_has_no_agentConfig()
    {
        var diagnosis = Diagnose(new DiagnosisInput("https://m.example.com/a", Timestamp: Timestamp.ToString(), NonceStr: Nonce));
        Assert.Equal("default", diagnosis.Account!.Name);
        Assert.Null(diagnosis.AgentConfig);
        Assert.DoesNotContain("agentConfig", Json(diagnosis));
        Assert.DoesNotContain("agentId", Json(diagnosis));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData(WeComApps.CorpId, null)]
    [InlineData(WeComApps.CorpId, "1000999")]
    [InlineData(null, "1000999")]
    [InlineData(WeComApps.CorpId, "hr")]
    public void Selection_refusals_are_the_config_routes_own(string? appId, string? agentId)
    {
        var diagnosis = Diagnose(new DiagnosisInput(Page, appId, AgentId: agentId));

        var query = new Dictionary<string, StringValues>();
        if (appId is not null)
            query["appId"] = appId;
        if (agentId is not null)
            query["agentId"] = agentId;
        var rejection = new AccountSelector(Registry()).Select(new QueryCollection(query), AccountUse.Page(new Uri(Page))).Rejection!;
        var finding = Assert.Single(diagnosis.Findings);
        Assert.Equal((rejection.Error.Error, rejection.Error.Message), (finding.Code, finding.Message));
        Assert.False(diagnosis.DomainAllowed);
    }

    public static TheoryData<string, SignedCall, string, string?, string?> Verdicts() => new()
    {
        // which ticket made it, the call it is checked as: the match, the ticket kind, and the finding that names the mix-up
        { "corp", SignedCall.Config, "current", "corp", null },
        { "corpPrevious", SignedCall.Config, "previous", "corp", null },
        { "agent", SignedCall.AgentConfig, "current", "agent", null },
        { "agentPrevious", SignedCall.AgentConfig, "previous", "agent", null },
        { "agent", SignedCall.Config, "current", "agent", "config_signed_with_agent_ticket" },
        { "agentPrevious", SignedCall.Config, "previous", "agent", "config_signed_with_agent_ticket" },
        { "corp", SignedCall.AgentConfig, "current", "corp", "agent_config_signed_with_corp_ticket" },
        { "corpPrevious", SignedCall.AgentConfig, "previous", "corp", "agent_config_signed_with_corp_ticket" },
        { "otherAgent", SignedCall.AgentConfig, "current", "agent", "agent_ticket_of_other_app" },
        { "otherAgent", SignedCall.Config, "current", "agent", "config_signed_with_agent_ticket" },
        { "otherCorp", SignedCall.AgentConfig, "current", "corp", "agent_config_signed_with_corp_ticket" },
        { "otherCorp", SignedCall.Config, "current", "corp", null },
        { "foreign", SignedCall.Config, "none", null, "signature_mismatch" },
        { "foreign", SignedCall.AgentConfig, "none", null, "signature_mismatch" },
    };

    [Theory]
    [MemberData(nameof(Verdicts))]
    public void A_signature_is_matched_to_the_ticket_that_made_it_and_a_mixed_up_ticket_is_named(
        string madeWith, SignedCall call, string match, string? ticket, string? finding)
    {
        var ticketUsed = madeWith switch
        {
            "corp" => Corp,
            "corpPrevious" => CorpPrevious,
            "agent" => Agent,
            "agentPrevious" => AgentPrevious,
            "otherCorp" => OtherCorp,
            "otherAgent" => OtherAgent,
            _ => Ticket("a-ticket-of-another-service-for-this-corp", -5, 115),
        };

        var diagnosis = Diagnose(Signed(ticketUsed, call));

        var verdict = diagnosis.Signature!;
        Assert.Equal((match, ticket, SignedCallNames.Of(call)), (verdict.Match, verdict.Ticket, verdict.SignatureOf));
        Assert.Equal(madeWith.StartsWith("other", StringComparison.Ordinal) ? WeComApps.Two : null, verdict.OtherAppAgentId);
        Assert.Equal(finding is null ? [] : [finding], Codes(diagnosis));
        Assert.Null(verdict.MatchedUrl);
        Assert.False(string.IsNullOrWhiteSpace(verdict.Meaning));
    }

    [Fact]
    public void An_agentConfig_signed_with_the_corp_ticket_is_called_WeComs_40093_with_what_to_do()
    {
        var diagnosis = Diagnose(Signed(Corp, SignedCall.AgentConfig));
        var finding = Assert.Single(diagnosis.Findings);
        Assert.Equal(JsSdkDiagnostician.Error, finding.Severity);
        Assert.Contains("40093", finding.Message);
        Assert.Contains("agentConfig object", finding.Message);
        Assert.Contains("signatureOf=config", finding.Message); // in case the caller mislabelled a wx.config signature
        Assert.Contains("wx.config", diagnosis.Signature!.Meaning);
    }

    [Fact]
    public void A_config_signed_with_the_agent_ticket_says_which_ticket_wx_config_takes()
    {
        var finding = Assert.Single(Diagnose(Signed(Agent, SignedCall.Config)).Findings);
        Assert.Contains("corp ticket (get_jsapi_ticket)", finding.Message);
        Assert.Contains("signatureOf=agentConfig", finding.Message);
    }

    [Fact]
    public void An_agentConfig_signed_with_another_apps_agent_ticket_names_that_app_and_42012()
    {
        var finding = Assert.Single(Diagnose(Signed(OtherAgent, SignedCall.AgentConfig)).Findings);
        Assert.Contains($"app {WeComApps.Two}", finding.Message);
        Assert.Contains("42012", finding.Message);
        Assert.Contains($"agentId={WeComApps.One}", finding.Message);
    }

    [Fact]
    public void A_mix_up_over_a_mistaken_url_names_both()
    {
        var diagnosis = Diagnose(Signed(Corp, SignedCall.AgentConfig, url: Page + "#/step2", pageUrl: Page + "#/step2"));
        Assert.Equal(["url_fragment", "agent_config_signed_with_corp_ticket"], Codes(diagnosis));
        Assert.Equal(Page + "#/step2", diagnosis.Signature!.MatchedUrl);
        Assert.Contains("fragment", diagnosis.Signature.Meaning);
    }

    [Fact]
    public void An_expired_previous_agent_ticket_matches_nothing()
    {
        var expired = AgentPrevious with { ExpiresAt = Now.AddSeconds(-1) };
        var diagnosis = Diagnose(Signed(expired, SignedCall.AgentConfig), Tickets with { AgentPrevious = expired });
        Assert.Equal("none", diagnosis.Signature!.Match);
    }

    [Fact]
    public void The_official_vector_signed_with_the_corp_ticket_is_right_for_config_and_40093_for_agentConfig()
    {
        // Doc 96909's vector (facts file, section 8), as a WeCom app on mp.weixin.qq.com: its expected signature, not a computed one.
        var registry = Registry(s => s["Accounts:hr:AllowedDomains"] = "mp.weixin.qq.com");
        var tickets = new JsapiTickets(new IssuedCredential("sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg",
            Now.AddMinutes(-1), Now.AddHours(2)), null) { AgentCurrent = Agent };
        DiagnosisInput Vector(SignedCall call) => new("http://mp.weixin.qq.com?params=value", WeComApps.CorpId, "0f9de62fce790f9a083d5c99e95740ceb90c27ed",
            "1414587457", "Wm3WZYTPz0wzccnW", WeComApps.One, call);

        var asConfig = Diagnose(Vector(SignedCall.Config), tickets, registry);
        var asAgentConfig = Diagnose(Vector(SignedCall.AgentConfig), tickets, registry);

        Assert.Equal(("current", "corp"), (asConfig.Signature!.Match, asConfig.Signature.Ticket));
        Assert.DoesNotContain(asConfig.Findings, f => f.Severity == JsSdkDiagnostician.Error);
        Assert.Contains("agent_config_signed_with_corp_ticket", Codes(asAgentConfig));
        Assert.Equal("jsapi_ticket=***&noncestr=Wm3WZYTPz0wzccnW&timestamp=1414587457&url=http://mp.weixin.qq.com?params=value", asConfig.AgentConfig!.StringToSign);
    }

    [Fact]
    public void A_missing_agent_ticket_is_named_as_the_config_route_would_refuse()
    {
        var diagnosis = Diagnose(new DiagnosisInput(Page, WeComApps.CorpId, AgentId: WeComApps.One), new JsapiTickets(Corp, null));
        var finding = Assert.Single(diagnosis.Findings);
        Assert.Equal("ticket_unavailable", finding.Code);
        Assert.Contains("agent ticket", finding.Message);
    }

    [Fact]
    public void An_agentConfig_signature_for_an_official_account_is_not_checked()
    {
        var input = new DiagnosisInput("https://m.example.com/a", null, new string('a', 40), Timestamp.ToString(), Nonce, SignatureOf: SignedCall.AgentConfig);
        var verdict = Diagnose(input).Signature!;
        Assert.Equal(("not_checked", "agentConfig"), (verdict.Match, verdict.SignatureOf));
        Assert.Contains("official account", verdict.Meaning);
    }

    [Fact]
    public void No_ticket_value_appears_in_any_WeCom_diagnosis()
    {
        foreach (var ticket in Secrets)
            foreach (var call in new[] { SignedCall.Config, SignedCall.AgentConfig })
            {
                var json = Json(Diagnose(Signed(ticket, call, pageUrl: Page + "#x")));
                Assert.All(Secrets, secret => Assert.DoesNotContain(secret.Value, json));
                Assert.Contains("jsapi_ticket=***", json);
            }
    }
}
