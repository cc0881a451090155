using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using WxShare.Accounts;
using WxShare.Configuration;
using WxShare.Diagnosis;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Signing;
using WxShare.WeChat;
using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.Diagnosis;

/// <summary>The diagnosis logic alone: no storage, no WeChat, a fixed clock.</summary>
public sealed class JsSdkDiagnosticianTests
{
    private const string Page = "https://m.example.com/article/7?from=timeline&share=1";
    private const string Nonce = "Wm3WZYTPz0wzccnW";
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly long Timestamp = Now.ToUnixTimeSeconds() - 30;
    private static readonly IssuedCredential Current = new("CURRENTticket0000sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy", Now.AddMinutes(-20), Now.AddMinutes(100));
    private static readonly IssuedCredential Previous = new("PREVIOUSticket000HhTdfl2fzFy1AOcHKP7qgsM4AOVdWfPE4DxkXGEs8VMCP", Now.AddMinutes(-120), Now.AddMinutes(10));
    private static readonly JsapiTickets Tickets = new(Current, Previous);

    private static JsSdkDiagnostician Diagnostician(Action<Dictionary<string, string?>>? change = null)
    {
        var settings = TestSettings.Offline();
        change?.Invoke(settings);
        var options = new AccountsOptions();
        options.Load(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        var registry = new AccountRegistry(Options.Create(options));
        return new JsSdkDiagnostician(new AccountSelector(registry));
    }

    private static JsSdkDiagnosis Diagnose(DiagnosisInput input, JsapiTickets? tickets = null) =>
        Diagnostician().Diagnose(input, tickets ?? Tickets, Now);

    private static string SignedWith(IssuedCredential ticket, string url = Page, long? timestamp = null) =>
        JsSdkSignature.Compute(ticket.Value, Nonce, timestamp ?? Timestamp, url);

    private static string[] Codes(JsSdkDiagnosis diagnosis) => diagnosis.Findings.Select(f => f.Code).ToArray();

    [Fact]
    public void A_correct_page_gets_its_account_the_masked_string_to_sign_and_no_findings()
    {
        var diagnosis = Diagnose(new DiagnosisInput(Page, Timestamp: Timestamp.ToString(), NonceStr: Nonce));

        Assert.Empty(diagnosis.Findings);
        Assert.Equal(AccountsOptions.SingleAccountName, diagnosis.Account!.Name);
        Assert.Equal(SandboxDefaults.AppId, diagnosis.Account.AppId);
        Assert.True(diagnosis.DomainAllowed);
        Assert.Equal(Page, diagnosis.SignedUrl);
        Assert.Equal($"jsapi_ticket=***&noncestr={Nonce}&timestamp={Timestamp}&url={Page}", diagnosis.StringToSign);
        Assert.Null(diagnosis.Signature);
    }

    [Fact]
    public void Without_timestamp_and_nonce_it_shows_what_the_config_route_would_sign_now()
    {
        var diagnosis = Diagnose(new DiagnosisInput(Page));
        Assert.Equal(Now.ToUnixTimeSeconds(), diagnosis.Timestamp);
        Assert.Matches("^[A-Za-z0-9]{16}$", diagnosis.NonceStr);
        Assert.Equal($"jsapi_ticket=***&noncestr={diagnosis.NonceStr}&timestamp={diagnosis.Timestamp}&url={Page}", diagnosis.StringToSign);
    }

    [Theory]
    [InlineData("https%3A%2F%2Fm.example.com%2Farticle%2F7%3Ffrom%3Dtimeline", "url_still_encoded", "https://m.example.com/article/7?from=timeline")]
    [InlineData("https://m.example.com/article/7?from=timeline#/comments", "url_fragment", "https://m.example.com/article/7?from=timeline")]
    [InlineData("https://m.example.com/article/7?from=timeline&amp;share=1", "url_html_escaped", "https://m.example.com/article/7?from=timeline&amp;share=1")]
    [InlineData("http://m.example.com/article/7", "url_http", "http://m.example.com/article/7")]
    [InlineData("https://evil.example.org/article/7", "domain_not_allowed", "https://evil.example.org/article/7")]
    [InlineData("m.example.com/article/7", "url_invalid", null)]
    public void Each_url_mistake_is_named(string url, string code, string? signedUrl)
    {
        var diagnosis = Diagnose(new DiagnosisInput(url));
        Assert.Equal([code], Codes(diagnosis));
        Assert.Equal(signedUrl, diagnosis.SignedUrl);
        Assert.Equal(code is not ("domain_not_allowed" or "url_invalid"), diagnosis.DomainAllowed);
    }

    [Theory]
    [InlineData("-3600", "timestamp_far_from_now")]
    [InlineData("+3600", "timestamp_far_from_now")]
    [InlineData("ms", "timestamp_in_milliseconds")]
    [InlineData("1e9", "timestamp_invalid")]
    public void A_timestamp_far_from_now_or_in_milliseconds_is_named(string given, string code)
    {
        var timestamp = given switch
        {
            "ms" => (Now.ToUnixTimeMilliseconds() - 5000).ToString(),
            "1e9" => "1e9",
            _ => (Now.ToUnixTimeSeconds() + long.Parse(given)).ToString(),
        };
        Assert.Equal([code], Codes(Diagnose(new DiagnosisInput(Page, Timestamp: timestamp, NonceStr: Nonce))));
    }

    [Theory]
    [InlineData("abc123")]
    [InlineData("Wm3WZYTPz0wzccn-")]
    [InlineData("Wm3WZYTPz0wzccnWWm3WZYTPz0wzccnW1")]
    public void A_nonce_outside_WeChats_rule_is_named(string nonce) =>
        Assert.Equal(["nonce_invalid"], Codes(Diagnose(new DiagnosisInput(Page, Timestamp: Timestamp.ToString(), NonceStr: nonce))));

    [Fact]
    public void An_unknown_appId_is_named_as_the_config_route_names_it() =>
        Assert.Equal(["account_unknown"], Codes(Diagnose(new DiagnosisInput(Page, AppId: "wx0000000000000bad"))));

    [Fact]
    public void A_host_on_two_accounts_without_appId_is_ambiguous_and_with_appId_is_that_account()
    {
        var diagnostician = Diagnostician(s =>
        {
            s["Accounts:shop:AppId"] = "wx00000000000005h0";
            s["Accounts:shop:AppSecret"] = "s";
            s["Accounts:shop:AllowedDomains"] = "m.example.com";
        });
        Assert.Equal(["account_ambiguous"], Codes(diagnostician.Diagnose(new DiagnosisInput(Page), Tickets, Now)));
        var named = diagnostician.Diagnose(new DiagnosisInput(Page, AppId: "wx00000000000005h0"), Tickets, Now);
        Assert.Equal("shop", named.Account!.Name);
        Assert.Empty(named.Findings);
    }

    [Fact]
    public void A_signature_made_with_the_current_ticket_matches_current()
    {
        var diagnosis = Diagnose(new DiagnosisInput(Page, SandboxDefaults.AppId, SignedWith(Current), Timestamp.ToString(), Nonce));
        Assert.Equal("current", diagnosis.Signature!.Match);
        Assert.Null(diagnosis.Signature.MatchedUrl);
        Assert.Empty(diagnosis.Findings);
    }

    [Fact]
    public void A_signature_made_with_the_previous_ticket_matches_previous_and_says_it_was_cached()
    {
        var diagnosis = Diagnose(new DiagnosisInput(Page, null, SignedWith(Previous), Timestamp.ToString(), Nonce));
        Assert.Equal("previous", diagnosis.Signature!.Match);
        Assert.Contains("before the last refresh", diagnosis.Signature.Meaning);
    }

    [Fact]
    public void A_signature_made_with_an_expired_previous_ticket_matches_nothing()
    {
        var expired = Previous with { ExpiresAt = Now.AddSeconds(-1) };
        var diagnosis = Diagnose(new DiagnosisInput(Page, null, SignedWith(expired), Timestamp.ToString(), Nonce), new JsapiTickets(Current, expired));
        Assert.Equal("none", diagnosis.Signature!.Match);
    }

    [Fact]
    public void A_mismatched_signature_matches_none_and_says_what_that_means()
    {
        var foreign = new IssuedCredential("another-service-ticket", Now, Now.AddHours(2));
        var diagnosis = Diagnose(new DiagnosisInput(Page, null, SignedWith(foreign), Timestamp.ToString(), Nonce));
        Assert.Equal("none", diagnosis.Signature!.Match);
        Assert.Contains("signature_mismatch", Codes(diagnosis));
        Assert.Contains("another service", diagnosis.Signature.Meaning);
    }

    [Theory]
    [InlineData(Page + "#/comments", Page + "#/comments", "fragment")]
    [InlineData("http://m.example.com/article/7?from=timeline&share=1", Page, "https where this URL says http")]
    [InlineData(Page, "http://m.example.com/article/7?from=timeline&share=1", "http where the page is https")]
    [InlineData(Page, "https://m.example.com/article/7?from=timeline&amp;share=1", "&amp;")]
    public void A_signature_over_a_mistaken_variant_of_the_url_says_which(string pageUrl, string signerSigned, string mistake)
    {
        var diagnosis = Diagnose(new DiagnosisInput(pageUrl, null, SignedWith(Current, signerSigned), Timestamp.ToString(), Nonce));
        Assert.Equal("current", diagnosis.Signature!.Match);
        Assert.Equal(signerSigned, diagnosis.Signature.MatchedUrl);
        Assert.Contains(mistake, diagnosis.Signature.Meaning);
    }

    [Fact]
    public void A_signature_without_its_timestamp_or_nonce_is_not_checked()
    {
        var diagnosis = Diagnose(new DiagnosisInput(Page, null, SignedWith(Current)));
        Assert.Equal("not_checked", diagnosis.Signature!.Match);
    }

    [Fact]
    public void No_ticket_value_appears_in_the_diagnosis()
    {
        foreach (var ticket in new[] { Current, Previous })
        {
            var diagnosis = Diagnose(new DiagnosisInput(Page + "#x", null, SignedWith(ticket), Timestamp.ToString(), Nonce));
            var json = JsonSerializer.Serialize(diagnosis, DiagnosisJsonContext.Default.JsSdkDiagnosis);
            Assert.DoesNotContain(Current.Value, json);
            Assert.DoesNotContain(Previous.Value, json);
            Assert.Contains("jsapi_ticket=***", json);
        }
    }
}
