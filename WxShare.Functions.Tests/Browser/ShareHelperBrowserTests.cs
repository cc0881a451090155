using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using WxShare.Signing;
using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.Browser;

/// <summary>wx-share.js in headless Chromium, on pages of an allowed domain, against the standalone host and the sandbox.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ShareHelperBrowserTests(BrowserTestBed bed)
{
    private const string HttpsImage = "https://img.example.com/card.png";

    private object Options(object? extra = null) => BrowserPage.Options(new()
    {
        ["endpoint"] = bed.Endpoint, ["title"] = "春季新品", ["desc"] = "A desc", ["imgUrl"] = HttpsImage,
    }, extra);

    [SkippableFact]
    public async Task Signs_the_page_url_without_its_hash_encoded_once_and_configures_wx_with_exactly_the_signed_fields()
    {
        Chromium.Require();
        await using var page = await bed.OpenAsync(bed.SiteUrl("/活动/详情?名字=张三&path=a%2Fb%20c&from=timeline#section-2"));

        var outcome = await page.ShareAsync(Options());

        Assert.True(outcome.GetProperty("ok").GetBoolean(), outcome.ToString());
        // What location.href is in the browser (and so what WeChat checks): UTF-8 percent-encoded, the hash dropped.
        var expectedUrl = bed.SiteUrl("/%E6%B4%BB%E5%8A%A8/%E8%AF%A6%E6%83%85?%E5%90%8D%E5%AD%97=%E5%BC%A0%E4%B8%89&path=a%2Fb%20c&from=timeline");
        var request = Assert.Single(page.ConfigRequests);
        Assert.Equal(["url"], QueryHelpers.ParseQuery(request).Keys);
        Assert.Equal(expectedUrl, BrowserPage.SignedUrlOf(request));

        var config = Assert.Single(await page.RecordedAsync("configs"));
        Assert.Equal(["appId", "timestamp", "nonceStr", "signature", "jsApiList"], config.EnumerateObject().Select(p => p.Name));
        Assert.Equal(SandboxDefaults.AppId, config.GetProperty("appId").GetString());
        Assert.Equal(bed.ExpectedSignature(config, expectedUrl), config.GetProperty("signature").GetString());
        Assert.Equal(["updateAppMessageShareData", "updateTimelineShareData"],
            config.GetProperty("jsApiList").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(expectedUrl, outcome.GetProperty("result").GetProperty("url").GetString());
    }

    [SkippableFact]
    public async Task The_share_data_reaches_both_share_calls_and_optional_config_fields_pass_through()
    {
        Chromium.Require();
        await using var page = await bed.OpenAsync(bed.SiteUrl("/product/7?ref=menu"));

        var outcome = await page.ShareAsync(Options(new
        {
            link = bed.SiteUrl("/product/7?utm=share"),
            jsApiList = new[] { "chooseImage", "updateTimelineShareData" },
            openTagList = new[] { "wx-open-launch-app" },
            debug = true,
        }));

        Assert.True(outcome.GetProperty("ok").GetBoolean(), outcome.ToString());
        var appMessage = Assert.Single(await page.RecordedAsync("appMessage"));
        var timeline = Assert.Single(await page.RecordedAsync("timeline"));
        foreach (var data in new[] { appMessage, timeline })
        {
            Assert.Equal("春季新品", data.GetProperty("title").GetString());
            Assert.Equal(bed.SiteUrl("/product/7?utm=share"), data.GetProperty("link").GetString());
            Assert.Equal(HttpsImage, data.GetProperty("imgUrl").GetString());
        }
        Assert.Equal("A desc", appMessage.GetProperty("desc").GetString());
        var config = Assert.Single(await page.RecordedAsync("configs"));
        Assert.Equal(["updateAppMessageShareData", "updateTimelineShareData", "chooseImage"],
            config.GetProperty("jsApiList").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(["wx-open-launch-app"], config.GetProperty("openTagList").EnumerateArray().Select(a => a.GetString()));
        Assert.True(config.GetProperty("debug").GetBoolean());
        Assert.Empty(page.Warnings);
    }

    [SkippableTheory]
    [InlineData(BrowserTestBed.AndroidWeChat, false)]
    [InlineData(BrowserTestBed.IosWeChat, true)]
    public async Task A_single_page_app_navigation_re_signs_the_current_url_on_Android_and_the_landing_url_on_iOS(string userAgent, bool signsLandingUrl)
    {
        Chromium.Require();
        await using var page = await bed.OpenAsync(bed.SiteUrl("/spa/home?from=timeline#top"), userAgent);
        Assert.True((await page.ShareAsync(Options(new { resignOnNavigation = true }))).GetProperty("ok").GetBoolean());

        await page.Page.EvaluateAsync("() => history.pushState({}, '', '/spa/item/42?颜色=红#reviews')");
        await page.Page.WaitForFunctionAsync("() => window.__wx.timeline.length === 2");

        var landing = bed.SiteUrl("/spa/home?from=timeline");
        var current = bed.SiteUrl("/spa/item/42?%E9%A2%9C%E8%89%B2=%E7%BA%A2");
        var expected = signsLandingUrl ? landing : current;
        var signed = page.ConfigRequests.Select(BrowserPage.SignedUrlOf).ToList();
        Assert.Equal([landing, expected], signed);
        var configs = await page.RecordedAsync("configs");
        Assert.Equal(2, configs.Length);
        Assert.Equal(bed.ExpectedSignature(configs[1], expected), configs[1].GetProperty("signature").GetString());
        // The card shares the page the reader is on, whichever URL was signed.
        Assert.Equal(current, (await page.RecordedAsync("appMessage"))[1].GetProperty("link").GetString());

        // Back to the landing page: popstate re-signs too.
        await page.Page.EvaluateAsync("() => history.back()");
        await page.Page.WaitForFunctionAsync("() => window.__wx.timeline.length === 3");
        Assert.Equal(landing, BrowserPage.SignedUrlOf(page.ConfigRequests[2]));
    }

    [SkippableFact]
    public async Task A_WxShare_error_reaches_the_page_as_a_readable_message_with_the_services_own_code()
    {
        Chromium.Require();
        await using var page = await bed.OpenAsync(bed.SiteUrl("/p"));

        var outcome = await page.ShareAsync(Options(new { appId = "wx0000000000000000" }));

        Assert.False(outcome.GetProperty("ok").GetBoolean());
        var request = Assert.Single(page.ConfigRequests);
        Assert.Equal("wx0000000000000000", QueryHelpers.ParseQuery(request)["appId"].Single());
        // Whatever WxShare answers an appId it does not serve, the page gets its code and its message.
        var answer = await bed.WxShare.Client.GetAsync("/api/jssdk/config" + request);
        Assert.False(answer.IsSuccessStatusCode);
        var error = (await answer.Content.ReadFromJsonAsync<ApiError>())!;
        var rejection = outcome.GetProperty("error");
        Assert.Equal(error.Error, rejection.GetProperty("code").GetString());
        var message = rejection.GetProperty("message").GetString()!;
        Assert.StartsWith($"WxShare refused to sign {bed.SiteUrl("/p")} (HTTP {(int)answer.StatusCode}, {error.Error}): ", message);
        Assert.Contains(error.Message, message);
        Assert.Empty(await page.RecordedAsync("configs"));
    }

    [SkippableFact]
    public async Task A_page_outside_the_allowed_domains_is_told_to_check_the_endpoint_and_the_allowed_domains()
    {
        Chromium.Require();
        await using var page = await bed.OpenAsync(bed.SiteUrl("/p", host: "shop.example.org"));

        var rejection = (await page.ShareAsync(Options())).GetProperty("error");

        Assert.Equal("wxshare_unreachable", rejection.GetProperty("code").GetString());
        Assert.Contains("Signing__AllowedDomains", rejection.GetProperty("message").GetString());
    }

    [SkippableFact]
    public async Task A_wx_error_reaches_the_page_as_a_readable_message_and_is_reported_once_per_page()
    {
        Chromium.Require();
        var reports = new RecordedReports();
        await using var page = await bed.OpenAsync(bed.SiteUrl("/p?id=1"), beforeNavigation: reports.RouteAsync);
        await page.Page.EvaluateAsync("() => { window.__wx.failWith = 'config:invalid signature'; }");

        var first = (await page.ShareAsync(Options())).GetProperty("error");
        var second = (await page.ShareAsync(Options())).GetProperty("error");

        Assert.Equal("wx_config_failed", first.GetProperty("code").GetString());
        Assert.Equal("config:invalid signature", first.GetProperty("errMsg").GetString());
        var message = first.GetProperty("message").GetString()!;
        Assert.StartsWith("WeChat rejected the signature (config:invalid signature).", message);
        Assert.Contains("WxShare signed " + bed.SiteUrl("/p?id=1"), message);
        Assert.Equal("wx_config_failed", second.GetProperty("code").GetString());
        Assert.Empty(await page.RecordedAsync("appMessage"));
        var report = JsonDocument.Parse(Assert.Single(await reports.SettledAsync())).RootElement;
        Assert.Equal("config:invalid signature", report.GetProperty("errMsg").GetString());
        Assert.Equal(bed.SiteUrl("/p?id=1"), report.GetProperty("url").GetString());
    }

    [SkippableFact]
    public async Task A_wx_error_reaches_the_page_whatever_the_report_route_does_and_reporting_can_be_switched_off()
    {
        Chromium.Require();
        await using var page = await bed.OpenAsync(bed.SiteUrl("/p"));
        await page.Page.EvaluateAsync("() => { window.__wx.failWith = 'config:invalid url domain'; }");

        var reported = (await page.ShareAsync(Options())).GetProperty("error").GetProperty("message").GetString()!;

        Assert.StartsWith("WeChat rejected the domain (config:invalid url domain): add 'shop.example.com' to the account's JS-safe domains", reported);

        await using var quiet = await bed.OpenAsync(bed.SiteUrl("/q"));
        await quiet.Page.EvaluateAsync("() => { window.__wx.failWith = 'permission denied'; }");
        var silent = (await quiet.ShareAsync(Options(new { reportEndpoint = false }))).GetProperty("error").GetProperty("message").GetString()!;
        Assert.StartsWith("WeChat denied permission (permission denied)", silent);
        Assert.DoesNotContain(quiet.RequestedUrls, u => u.Contains("/api/jssdk/report"));
    }

    [SkippableFact]
    public async Task A_wx_error_is_posted_across_origins_to_WxShares_report_route_which_accepts_it()
    {
        Chromium.Require();
        // A host of its own, so that the requests from this page's origin are this test's alone.
        var pageUrl = bed.SiteUrl("/r?id=2", host: "reports.example.com");
        var origin = new Uri(pageUrl).GetLeftPart(UriPartial.Authority);
        await using var page = await bed.OpenAsync(pageUrl);
        await page.EvaluateAsync("() => { window.__wx.failWith = 'config:invalid signature'; }");

        var response = await page.Page.RunAndWaitForResponseAsync(() => page.ShareAsync(Options()),
            r => r.Url == bed.Endpoint + "/api/jssdk/report" && r.Request.Method == "POST");

        // The page is on reports.example.com, WxShare on 127.0.0.1: the JSON POST passed a CORS preflight first.
        Assert.Equal(
            [$"OPTIONS /api/jssdk/report from {origin} (preflight for POST)", $"POST /api/jssdk/report from {origin}"],
            bed.WxShareRequests.Where(r => r.Contains($"/api/jssdk/report from {origin}")));
        Assert.Equal(202, response.Status);
        Assert.Equal(origin, response.Headers["access-control-allow-origin"]);
        Assert.StartsWith("application/json", response.Headers["content-type"]);
        Assert.StartsWith("application/json", response.Request.Headers["content-type"]);
        // A stranger's page gets a receipt only; the diagnosis goes to the log under the receipt's id.
        var receipt = JsonDocument.Parse(await BrowserPage.BodyOfAsync(response)).RootElement;
        Assert.True(receipt.GetProperty("received").GetBoolean());
        var reportId = receipt.GetProperty("reportId").GetString()!;
        Assert.False(receipt.TryGetProperty("diagnosis", out _));
        var warning = Assert.Single(bed.WxShareLogs, l => l.Message.Contains(pageUrl));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.StartsWith($"A page reported 'config:invalid signature' for {pageUrl}: account default", warning.Message);
        // The report carried the signed values, so the diagnosis could say that WxShare's current ticket made them.
        Assert.Contains("signature current", warning.Message);
        Assert.EndsWith($"report {reportId}", warning.Message);
    }

    [SkippableFact]
    public async Task Warns_in_the_console_about_an_http_image_and_a_link_off_the_pages_domain_and_only_then()
    {
        Chromium.Require();
        await using var page = await bed.OpenAsync(bed.SiteUrl("/p"));

        await page.ShareAsync(Options(new { imgUrl = "http://img.example.com/card.png", link = "https://www.example.org/landing" }));

        Assert.Equal(2, page.Warnings.Count);
        Assert.StartsWith("[wx-share] imgUrl 'http://img.example.com/card.png' is not an absolute https URL", page.Warnings[0]);
        Assert.StartsWith("[wx-share] link 'https://www.example.org/landing' is not on this page's domain (example.com)", page.Warnings[1]);

        // Another host of the same domain, and an https image: nothing to warn about.
        await page.ShareAsync(Options(new { link = "https://www.example.com/landing" }));
        Assert.Equal(2, page.Warnings.Count);
    }

    [SkippableFact]
    public async Task Loads_jweixin_from_the_fallback_host_when_the_first_is_unreachable()
    {
        Chromium.Require();
        await using var page = await bed.OpenAsync(bed.SiteUrl("/p"), injectWx: false, beforeNavigation: async p =>
        {
            await p.RouteAsync("https://res.wx.qq.com/**", route => route.AbortAsync());
            await p.RouteAsync("https://res2.wx.qq.com/open/js/jweixin-1.6.0.js", route => route.FulfillAsync(new RouteFulfillOptions
            {
                ContentType = "text/javascript", Body = "window.__installRecordingWx();",
            }));
        });
        Assert.False(await page.Page.EvaluateAsync<bool>("() => 'wx' in window"));

        var outcome = await page.ShareAsync(Options());

        Assert.True(outcome.GetProperty("ok").GetBoolean(), outcome.ToString());
        Assert.Equal(
            ["https://res.wx.qq.com/open/js/jweixin-1.6.0.js", "https://res2.wx.qq.com/open/js/jweixin-1.6.0.js"],
            page.RequestedUrls.Where(u => u.Contains("jweixin")));
        Assert.Single(await page.RecordedAsync("timeline"));
    }

    [SkippableFact]
    public async Task The_ES_module_exports_share_and_defaults_the_endpoint_to_the_service_that_served_it()
    {
        Chromium.Require();
        await using var page = await bed.OpenAsync(bed.SiteUrl("/m?x=1"));
        await page.Page.WaitForFunctionAsync("() => window.__module !== undefined");

        var outcome = await page.Page.EvaluateAsync<JsonElement>(
            "() => window.__module.share({ title: 't', imgUrl: 'https://img.example.com/c.png' }).then(r => r.url, e => e.message)");

        Assert.Equal(bed.SiteUrl("/m?x=1"), outcome.GetString());
        Assert.Equal(bed.Endpoint + "/api/wx-share.js", await page.Page.EvaluateAsync<string>("() => window.__module.scriptUrl"));
        Assert.StartsWith(bed.Endpoint + "/api/jssdk/config?", Assert.Single(page.RequestedUrls, u => u.Contains("/api/jssdk/config")));
    }
}
