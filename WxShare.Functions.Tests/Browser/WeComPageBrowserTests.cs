using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using WxShare.Functions.Tests.WeCom;
using WxShare.Signing;

namespace WxShare.Functions.Tests.Browser;

/// <summary>
/// WxShare.register on a WeCom app's page in headless Chromium: WeCom's real JS-SDK (@wecom/jssdk) over a recording
/// WeCom client, against the standalone host with one official account and two apps of one corp, and the sandbox.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class WeComPageBrowserTests(BrowserTestBed bed)
{
    // The WeCom client names its version as wxwork/x.y.z. Before 3.0.24 wx.agentConfig needs a wx.config first, so ww
    // asks for both signatures; from 3.0.24 on, with getAgentConfigSignature given, only for the agent's.
    private const string WeComBefore3024 = "Mozilla/5.0 (Linux; Android 10; MI 8 Build/QKQ1.190828.002; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/77.0.3865.120 Mobile Safari/537.36 wxwork/3.0.16 MicroMessenger/7.0.1 NetType/WIFI Language/zh";
    private const string WeCom41 = "Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP2A.240805.005; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/130.0.6723.103 Mobile Safari/537.36 wxwork/4.1.30 MicroMessenger/7.0.1 NetType/WIFI Language/zh Lang/zh ColorScheme/Light";
    private const string DesktopChrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36";

    /// <summary>A page of the WeCom apps' trusted domain.</summary>
    private string WorkPage(string pathAndQuery) => bed.SiteUrl("/wecom" + pathAndQuery, WeComApps.Domain);

    private object Options(string agentId, object? extra = null) => BrowserPage.Options(new()
    {
        ["endpoint"] = bed.Endpoint, ["corpId"] = WeComApps.CorpId, ["agentId"] = agentId, ["jsApiList"] = new[] { "selectExternalContact" },
    }, extra);

    [SkippableFact]
    public async Task Before_WeCom_3_0_24_one_request_answers_both_signatures_and_each_verifies_only_with_its_own_ticket()
    {
        Chromium.Require();
        var agentSignatures = new List<string>();
        foreach (var (agentId, otherApp) in new[] { (WeComApps.One, WeComApps.Two), (WeComApps.Two, WeComApps.One) })
        {
            await using var page = await bed.OpenAsync(WorkPage("/approve?id=7#step-2"), WeComBefore3024, weComClient: true);

            var outcome = await page.RegisterAsync(Options(agentId));

            Assert.True(outcome.GetProperty("ok").GetBoolean(), outcome.ToString());
            var url = WorkPage("/approve?id=7");
            var query = QueryHelpers.ParseQuery(Assert.Single(page.ConfigRequests));
            Assert.Equal(url, query["url"].Single());
            Assert.Equal(WeComApps.CorpId, query["appId"].Single());
            Assert.Equal(agentId, query["agentId"].Single());

            var calls = await page.WeComClientCallsAsync();
            Assert.Equal(["preVerifyJSAPI", "agentConfig"], calls.Select(c => c.GetProperty("name").GetString()));
            var config = calls[0].GetProperty("params");
            Assert.Equal(WeComApps.CorpId, config.GetProperty("verifyAppId").GetString());
            Assert.Equal(["selectExternalContact"], config.GetProperty("verifyJsApiList").EnumerateArray().Select(a => a.GetString()));
            Assert.True(SignedWith(config, url, agentId: null), "wx.config is signed with a corp ticket");
            Assert.False(SignedWith(config, url, agentId), "wx.config is not signed with the agent ticket");

            var agent = calls[1].GetProperty("params");
            Assert.Equal(WeComApps.CorpId, agent.GetProperty("corpid").GetString());
            Assert.Equal(agentId, agent.GetProperty("agentid").GetString());
            Assert.True(SignedWith(agent, url, agentId), $"wx.agentConfig is signed with app {agentId}'s agent ticket");
            Assert.False(SignedWith(agent, url, otherApp), $"not with app {otherApp}'s");
            Assert.False(SignedWith(agent, url, agentId: null), "not with a corp ticket");
            var agentSignature = agent.GetProperty("signature").GetString()!;

            // ww reports ready once agentConfig (which waited for config) succeeded; the promise carries what ww passed.
            Assert.Equal(url, outcome.GetProperty("result").GetProperty("url").GetString());
            Assert.Equal(agentSignature, outcome.GetProperty("result").GetProperty("params").GetProperty("signature").GetString());
            agentSignatures.Add(agentSignature);
        }
        Assert.NotEqual(agentSignatures[0], agentSignatures[1]);
    }

    [SkippableFact]
    public async Task From_WeCom_3_0_24_ww_asks_only_for_the_agent_signature_and_again_for_the_new_url_after_a_navigation()
    {
        Chromium.Require();
        await using var page = await bed.OpenAsync(WorkPage("/crm/list?tab=all"), WeCom41, weComClient: true);

        // Through the ES modules, as a bundled page does: import * as ww from '@wecom/jssdk', passed as the option ww.
        var outcome = await page.RegisterAsync(Options(WeComApps.Two), throughModules: true);

        Assert.True(outcome.GetProperty("ok").GetBoolean(), outcome.ToString());
        var first = WorkPage("/crm/list?tab=all");
        Assert.Equal(first, BrowserPage.SignedUrlOf(Assert.Single(page.ConfigRequests)));
        var call = Assert.Single(await page.WeComClientCallsAsync());
        Assert.Equal("agentConfig", call.GetProperty("name").GetString());
        Assert.Equal(WeComApps.Two, call.GetProperty("params").GetProperty("agentid").GetString());
        Assert.True(SignedWith(call.GetProperty("params"), first, WeComApps.Two));

        // A single-page app moves on; ww signs the URL the client now checks before its next call.
        await page.Page.EvaluateAsync("() => history.pushState({}, '', '/wecom/crm/customer/42?来源=列表#notes')");
        await page.Page.EvaluateAsync("() => window.__module.ww.ensureConfigReady()");

        var second = WorkPage("/crm/customer/42?%E6%9D%A5%E6%BA%90=%E5%88%97%E8%A1%A8");
        Assert.Equal([first, second], page.ConfigRequests.Select(BrowserPage.SignedUrlOf));
        var calls = await page.WeComClientCallsAsync();
        Assert.Equal(["agentConfig", "agentConfig"], calls.Select(c => c.GetProperty("name").GetString()));
        Assert.True(SignedWith(calls[1].GetProperty("params"), second, WeComApps.Two));
    }

    [SkippableFact]
    public async Task Missing_or_malformed_corpId_or_agentId_no_ww_and_a_browser_outside_WeCom_are_refused_readably_without_a_request()
    {
        Chromium.Require();
        await using var page = await bed.OpenAsync(WorkPage("/p"), WeCom41, weComClient: true);

        var noCorp = (await page.RegisterAsync(new { endpoint = bed.Endpoint, agentId = WeComApps.One })).GetProperty("error");
        var noAgent = (await page.RegisterAsync(new { endpoint = bed.Endpoint, corpId = WeComApps.CorpId })).GetProperty("error");
        var badAgent = (await page.RegisterAsync(Options("hr-app"))).GetProperty("error");

        Assert.Equal(["invalid_options", "invalid_options", "invalid_options"], new[] { noCorp, noAgent, badAgent }.Select(e => e.GetProperty("code").GetString()));
        Assert.StartsWith("WxShare.register needs the option corpId", noCorp.GetProperty("message").GetString());
        Assert.StartsWith("WxShare.register needs the option agentId", noAgent.GetProperty("message").GetString());
        Assert.EndsWith("not 'hr-app'.", badAgent.GetProperty("message").GetString());

        await page.Page.EvaluateAsync("() => { window.ww = undefined; }");
        var noWw = (await page.RegisterAsync(Options(WeComApps.One))).GetProperty("error");
        Assert.Equal("ww_unavailable", noWw.GetProperty("code").GetString());
        Assert.Contains("@wecom/jssdk", noWw.GetProperty("message").GetString());
        Assert.Empty(page.ConfigRequests);
        Assert.Empty(await page.WeComClientCallsAsync());

        await using var desktop = await bed.OpenAsync(WorkPage("/p"), DesktopChrome);
        var outside = (await desktop.RegisterAsync(Options(WeComApps.One))).GetProperty("error");
        Assert.Equal("not_in_wecom", outside.GetProperty("code").GetString());
        Assert.Empty(desktop.ConfigRequests);
    }

    [SkippableTheory]
    [InlineData(WeComApps.CorpId, "1000009")]
    [InlineData("ww0000000000000000", WeComApps.One)]
    public async Task A_corpId_or_agentId_WxShare_does_not_serve_reaches_the_page_and_the_failure_hook_as_WxShares_own_error(string corpId, string agentId)
    {
        Chromium.Require();
        await using var page = await bed.OpenAsync(WorkPage("/p?id=1"), WeCom41, weComClient: true);

        var outcome = await page.RegisterAsync(Options(agentId, new { corpId }));

        Assert.False(outcome.GetProperty("ok").GetBoolean());
        var answer = await bed.WxShare.Client.GetAsync("/api/jssdk/config" + Assert.Single(page.ConfigRequests));
        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        var error = (await answer.Content.ReadFromJsonAsync<ApiError>())!;
        Assert.Equal("account_unknown", error.Error);
        var rejection = outcome.GetProperty("error");
        Assert.Equal("account_unknown", rejection.GetProperty("code").GetString());
        var message = rejection.GetProperty("message").GetString()!;
        Assert.StartsWith($"WxShare refused to sign {WorkPage("/p?id=1")} (HTTP 404, account_unknown): ", message);
        Assert.Contains(error.Message, message);

        var hook = Assert.Single(await page.FailureHooksAsync());
        Assert.Equal("agentConfig", hook.GetProperty("call").GetString());
        Assert.Equal(message, hook.GetProperty("message").GetString());
        // ww never reached the client with a signature it did not get.
        Assert.Empty(await page.WeComClientCallsAsync());
    }

    [SkippableTheory]
    [InlineData("agentConfig:invalid signature", "WeCom rejected the agentConfig signature (agentConfig:invalid signature). WeCom checked it against this page's URL; WxShare signed {url} with the app's agent ticket.")]
    [InlineData("agentConfig:not match any reliable domain", "WeCom rejected the domain (agentConfig:not match any reliable domain): add 'work.example.cn' to the app's trusted domains (可信域名)")]
    [InlineData("agentConfig:function not exist", "This client cannot run agentConfig (agentConfig:function not exist): wx.agentConfig needs WeCom 2.5.0 or later")]
    public async Task WeComs_rejection_becomes_a_readable_error_that_says_what_to_check_and_is_reported_once_per_page(string errMsg, string explained)
    {
        Chromium.Require();
        var reports = new RecordedReports();
        await using var page = await bed.OpenAsync(WorkPage("/p?id=2"), WeCom41, weComClient: true, beforeNavigation: reports.RouteAsync);
        await page.Page.EvaluateAsync("errMsg => { window.__wecom.failWith.agentConfig = errMsg; }", errMsg);

        var first = (await page.RegisterAsync(Options(WeComApps.One))).GetProperty("error");
        var second = (await page.RegisterAsync(Options(WeComApps.One))).GetProperty("error");

        Assert.Equal("wecom_config_failed", first.GetProperty("code").GetString());
        Assert.Equal(errMsg, first.GetProperty("errMsg").GetString());
        Assert.StartsWith(explained.Replace("{url}", WorkPage("/p?id=2")), first.GetProperty("message").GetString());
        Assert.Equal("wecom_config_failed", second.GetProperty("code").GetString());
        Assert.Equal(["wecom_config_failed", "wecom_config_failed"], (await page.FailureHooksAsync()).Select(h => h.GetProperty("code").GetString()));

        var report = JsonDocument.Parse(Assert.Single(await reports.SettledAsync())).RootElement;
        Assert.Equal(errMsg, report.GetProperty("errMsg").GetString());
        Assert.Equal(WorkPage("/p?id=2"), report.GetProperty("url").GetString());
        Assert.Equal(WeComApps.CorpId, report.GetProperty("appId").GetString());
        Assert.Equal(WeComApps.One, report.GetProperty("agentId").GetString());
        // With the values that failed, so that WxShare can tell which ticket signed them.
        Assert.Equal("agentConfig", report.GetProperty("signatureOf").GetString());
        Assert.True(bed.SignedWithWeComTicket(report.GetProperty("signature").GetString()!, report.GetProperty("nonceStr").GetString()!,
            report.GetProperty("timestamp").GetInt64(), WorkPage("/p?id=2"), WeComApps.One), "The report carries the agentConfig signature WxShare made.");
    }

    /// <summary>
    /// Whether the fields ww passed to the client (preVerifyJSAPI's verifySignature, verifyNonceStr, verifyTimestamp, or
    /// agentConfig's signature, nonceStr, timestamp) are signed for the URL with a corp ticket (<paramref name="agentId"/>
    /// null) or with that app's agent ticket.
    /// </summary>
    private bool SignedWith(JsonElement fields, string url, string? agentId)
    {
        string Field(string name) => (fields.TryGetProperty(name, out var value) ? value : fields.GetProperty("verify" + char.ToUpperInvariant(name[0]) + name[1..])).GetString()!;
        return bed.SignedWithWeComTicket(Field("signature"), Field("nonceStr"), long.Parse(Field("timestamp"), CultureInfo.InvariantCulture), url, agentId);
    }
}
