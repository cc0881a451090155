using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Playwright;
using WxShare.Functions.Tests.EndToEnd;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Functions.Tests.WeCom;
using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.Browser;

/// <summary>
/// Headless Debian Chromium, the standalone WxShare host (Azurite + WeChat sandbox) and a customer's site, shared by
/// the browser tests. The host has the official account of example.com and the two WeCom apps of one corp whose
/// trusted domain is work.example.cn. Chromium maps those domains (and the foreign example.org) to loopback, and
/// resolves nothing else, so no test reaches the internet.
/// </summary>
public sealed class BrowserTestBed : IAsyncLifetime
{
    public const string AndroidWeChat = "Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP2A.240805.005; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/130.0.6723.103 Mobile Safari/537.36 MicroMessenger/8.0.50.2701(0x28003235) NetType/WIFI Language/zh_CN";
    public const string IosWeChat = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50(0x1800322d) NetType/WIFI Language/zh_CN";

    /// <summary>
    /// The longest one browser call may take (generous: the machine may be heavily loaded). Every await of the test
    /// bed is bounded, so a browser, page or server that never answers fails one test, naming what it waited for,
    /// instead of hanging the run.
    /// </summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    private readonly AzuriteFixture _azurite = new();
    private readonly ConcurrentQueue<string> _wxShareRequests = new();
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private TestPageServer? _site;

    public StandaloneHost WxShare { get; private set; } = null!;

    /// <summary>WxShare's base URL as pages name it (the endpoint option).</summary>
    public string Endpoint => WxShare.Client.BaseAddress!.ToString().TrimEnd('/');

    /// <summary>Each request WxShare received, as "METHOD /path from ORIGIN", with "(preflight for METHOD)" on a CORS preflight.</summary>
    public IReadOnlyList<string> WxShareRequests => _wxShareRequests.ToList();

    /// <summary>What WxShare logged.</summary>
    public IReadOnlyList<FakeLogRecord> WxShareLogs => WxShare.App.Services.GetRequiredService<FakeLogCollector>().GetSnapshot();

    /// <summary>A page on the customer's site, on an allowed domain.</summary>
    public string SiteUrl(string pathAndQuery, string host = "shop.example.com") => $"http://{host}:{_site!.Port}{pathAndQuery}";

    /// <summary>A page served by WxShare itself, reached under an allowed domain.</summary>
    public string WxShareUrl(string pathAndQuery, string host = "www.example.com") => $"http://{host}:{WxShare.Client.BaseAddress!.Port}{pathAndQuery}";

    /// <summary>The signature WeChat would expect for this wx.config, from the sandbox's current ticket by the documented recipe.</summary>
    public string ExpectedSignature(JsonElement config, string url) => DocumentedSignature.Compute(
        WxShare.Sandbox.State.CurrentTicket(SandboxDefaults.AppId)!,
        config.GetProperty("nonceStr").GetString()!, config.GetProperty("timestamp").GetInt64(), url);

    /// <summary>
    /// Whether WeCom would accept the signature: the documented recipe over one of the sandbox's valid corp tickets
    /// (<paramref name="agentId"/> null, wx.config) or agent tickets of that app (wx.agentConfig).
    /// </summary>
    public bool SignedWithWeComTicket(string signature, string nonceStr, long timestamp, string url, string? agentId) =>
        WxShare.Sandbox.WeCom.ValidTickets(WeComApps.CorpId, agentId).Any(t => DocumentedSignature.Compute(t, nonceStr, timestamp, url) == signature);

    public Task InitializeAsync() => StartAllAsync().WithinAsync(StartTimeout, "Starting the browser test bed (Azurite, WxShare, the site, Chromium)");

    private async Task StartAllAsync()
    {
        if (Chromium.MissingReason is not null)
            return; // each test reports it (skip locally, fail in CI)
        await _azurite.InitializeAsync();
        WxShare = await StandaloneHost.StartAsync(_azurite, settings: WeComApps.AddBoth, configure: builder => builder.Logging.AddFakeLogging(), mapMore: RecordRequests);
        // The start-up tick stores the tickets; wait for them once.
        foreach (var account in new[] { "", $"&appId={WeComApps.CorpId}&agentId={WeComApps.One}", $"&appId={WeComApps.CorpId}&agentId={WeComApps.Two}" })
        {
            var ready = await WxShare.WaitForConfigAsync($"https://{(account == "" ? "example.com" : WeComApps.Domain)}/", account);
            if (!ready.IsSuccessStatusCode)
                throw new InvalidOperationException($"WxShare has no ticket{account}: {await ready.Content.ReadAsStringAsync()}");
        }
        _site = await TestPageServer.StartAsync(WxShare.Client.BaseAddress!);

        // Never let Playwright fetch a browser: the test uses Debian's.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.ExecutablePath,
            Headless = true,
            Args =
            [
                "--host-resolver-rules=MAP example.com 127.0.0.1, MAP *.example.com 127.0.0.1, MAP *.example.org 127.0.0.1, MAP *.example.cn 127.0.0.1, MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
            ],
        });
    }

    /// <summary>
    /// A fresh browser context with the given user agent; <paramref name="injectWx"/> puts the recording wx in place
    /// first, <paramref name="weComClient"/> the recording bridge of a WeCom client.
    /// </summary>
    public async Task<BrowserPage> OpenAsync(string url, string userAgent = AndroidWeChat, bool injectWx = true, Func<IPage, Task>? beforeNavigation = null,
        bool weComClient = false)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { UserAgent = userAgent, ViewportSize = new() { Width = 820, Height = 1100 } })
            .WithinAsync(CallTimeout, "Opening a browser context");
        // Playwright's own limit for actions, waits and navigations in this context.
        context.SetDefaultTimeout((float)CallTimeout.TotalMilliseconds);
        context.SetDefaultNavigationTimeout((float)CallTimeout.TotalMilliseconds);
        await context.AddInitScriptAsync(injectWx ? RecordingWx.Injected : RecordingWx.Script).WithinAsync(CallTimeout, "Adding the recording wx");
        if (weComClient)
            await context.AddInitScriptAsync(RecordingWeComClient.Script).WithinAsync(CallTimeout, "Adding the recording WeCom client");
        var page = await context.NewPageAsync().WithinAsync(CallTimeout, "Opening a page");
        var recorded = new BrowserPage(context, page);
        if (beforeNavigation is not null)
            await beforeNavigation(page).WithinAsync(CallTimeout, "Preparing the page before navigation");
        var response = await page.GotoAsync(url);
        if (response is not { Ok: true })
            throw new InvalidOperationException($"{url} answered {response?.Status}.");
        return recorded;
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (_browser is not null)
                await _browser.CloseAsync().WithinAsync(CallTimeout, "Closing Chromium");
        }
        finally
        {
            // Ends Playwright's driver, and Chromium with it, whatever happened above.
            _playwright?.Dispose();
            try
            {
                if (_site is not null)
                    await _site.DisposeAsync().AsTask().WithinAsync(StartTimeout, "Stopping the customer's site");
                if (WxShare is not null)
                    await WxShare.DisposeAsync().AsTask().WithinAsync(StartTimeout, "Stopping WxShare");
            }
            finally
            {
                await _azurite.DisposeAsync().WithinAsync(StartTimeout, "Stopping Azurite");
            }
        }
    }

    private void RecordRequests(WebApplication app) => app.Use((context, next) =>
    {
        var request = context.Request;
        var preflightFor = request.Headers.AccessControlRequestMethod.ToString();
        _wxShareRequests.Enqueue($"{request.Method} {request.Path} from {request.Headers.Origin}"
            + (HttpMethods.IsOptions(request.Method) && preflightFor.Length > 0 ? $" (preflight for {preflightFor})" : ""));
        return next(context);
    });
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserTestBed>
{
    public const string Name = "Browser";
}
