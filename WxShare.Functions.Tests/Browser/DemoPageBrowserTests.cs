using System.Text.Json;
using Microsoft.Playwright;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Host;

namespace WxShare.Functions.Tests.Browser;

/// <summary>The demo page as WxShare serves it, in headless Chromium with a WeChat user agent; its screenshot (docs/demo.png, written when WXSHARE_WRITE_DEMO_PNG=1) is the one docs/page-helper.md shows.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DemoPageBrowserTests(BrowserTestBed bed)
{
    [SkippableFact]
    public async Task The_demo_page_signs_itself_shows_the_config_and_share_data_and_says_sharing_needs_WeChat()
    {
        Chromium.Require();
        const string image = "https://img.example.com/wxshare-card.png";
        await using var page = await bed.OpenAsync(
            bed.WxShareUrl(WxShareHost.DemoRoute + "?img=" + Uri.EscapeDataString(image) + "#demo"), BrowserTestBed.IosWeChat,
            beforeNavigation: p => p.RouteAsync(image, route => route.FulfillAsync(new RouteFulfillOptions
            {
                ContentType = "image/svg+xml",
                Body = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 56 56"><rect width="56" height="56" fill="#07c160"/><path d="M14 30l9 9 19-21" stroke="#fff" stroke-width="6" fill="none"/></svg>""",
            })));

        var status = page.Page.Locator("#status");
        await Assertions.Expect(status).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^Ready"));

        var pageUrl = bed.WxShareUrl(WxShareHost.DemoRoute + "?img=" + Uri.EscapeDataString(image));
        Assert.Equal(pageUrl, await page.Page.Locator("#signed-url").TextContentAsync());
        var shown = JsonDocument.Parse((await page.Page.Locator("#config").TextContentAsync())!).RootElement;
        var given = Assert.Single(await page.RecordedAsync("configs"));
        Assert.Equal(JsonSerializer.Serialize(given), JsonSerializer.Serialize(shown));
        Assert.Equal(bed.ExpectedSignature(shown, pageUrl), shown.GetProperty("signature").GetString());
        Assert.Equal(image, await page.Page.Locator("#share-img").TextContentAsync());
        Assert.Equal(pageUrl, await page.Page.Locator("#share-link").TextContentAsync());
        Assert.Contains("Sharing works only inside WeChat.", await page.Page.Locator(".notice").TextContentAsync());
        Assert.Equal(0, await page.Page.Locator("#warnings li").CountAsync());

        // docs/demo.png is tracked: a test run leaves the working tree clean, so it is rewritten only on request.
        var screenshot = await page.Page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true });
        Assert.NotEmpty(screenshot);
        if (Environment.GetEnvironmentVariable("WXSHARE_WRITE_DEMO_PNG") == "1")
            await File.WriteAllBytesAsync(Path.Combine(RepositoryRoot.Path, "docs", "demo.png"), screenshot);
    }
}
