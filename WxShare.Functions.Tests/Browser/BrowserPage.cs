using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Playwright;

namespace WxShare.Functions.Tests.Browser;

/// <summary>
/// A page in its own browser context, with what it logged and which URLs it asked WxShare to sign. Its calls are bounded
/// by <see cref="BrowserTestBed.CallTimeout"/>: Playwright gives Evaluate and a response's body no timeout of their own.
/// </summary>
public sealed class BrowserPage(IBrowserContext context, IPage page) : IAsyncDisposable
{
    private readonly ConcurrentQueue<IConsoleMessage> _console = Collect(page);
    private readonly ConcurrentQueue<string> _requests = CollectRequests(page);

    public IPage Page { get; } = page;

    public IReadOnlyList<string> Warnings => _console.Where(m => m.Type == "warning").Select(m => m.Text).ToList();

    public IReadOnlyList<string> RequestedUrls => _requests.ToList();

    /// <summary>The config requests to WxShare, in order, each as its raw query string.</summary>
    public IReadOnlyList<string> ConfigRequests =>
        _requests.Where(u => new Uri(u).AbsolutePath == "/api/jssdk/config").Select(u => new Uri(u).Query).ToList();

    /// <summary>The page URL a config request asked to sign, decoded once as the server decodes it.</summary>
    public static string SignedUrlOf(string query) => QueryHelpers.ParseQuery(query)["url"].Single()!;

    /// <summary>A page call's options: <paramref name="defaults"/>, with the members of <paramref name="extra"/> added or replacing them.</summary>
    public static Dictionary<string, object?> Options(Dictionary<string, object?> defaults, object? extra)
    {
        foreach (var property in extra?.GetType().GetProperties() ?? [])
            defaults[property.Name] = property.GetValue(extra);
        return defaults;
    }

    /// <summary>Runs WxShare.share(options) in the page; returns its result, or the {code, message} it rejected with.</summary>
    public async Task<JsonElement> ShareAsync(object options) =>
        await Page.EvaluateAsync<JsonElement>(
            "options => WxShare.share(options).then(r => ({ ok: true, result: r }), e => ({ ok: false, error: { code: e.code, message: e.message, errMsg: e.errMsg } }))",
            options).WithinAsync(BrowserTestBed.CallTimeout, "WxShare.share in the page");

    /// <summary>
    /// Runs WxShare.register(options) in a WeCom page, through the classic script and the global ww, or through the ES
    /// modules of both; returns its result or the {code, message} it rejected with. The page's onConfigFail and
    /// onAgentConfigFail record what they receive in <c>window.__failed</c>.
    /// </summary>
    public async Task<JsonElement> RegisterAsync(object options, bool throughModules = false)
    {
        var json = await Page.EvaluateAsync<string>("""
            ([options, throughModules]) => {
              window.__failed = window.__failed || [];
              const hook = call => e => window.__failed.push({ call, code: e.code, message: e.message, errMsg: e.errMsg });
              const all = Object.assign({ onConfigFail: hook('config'), onAgentConfigFail: hook('agentConfig') }, options);
              const register = throughModules ? o => window.__module.register(Object.assign({ ww: window.__module.ww }, o)) : WxShare.register;
              return register(all).then(r => ({ ok: true, result: r }), e => ({ ok: false, error: { code: e.code, message: e.message, errMsg: e.errMsg } }))
                .then(outcome => JSON.stringify(outcome));
            }
            """, new object[] { options, throughModules });
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>What the recording wx received through one of its calls: configs, appMessage or timeline.</summary>
    public Task<JsonElement[]> RecordedAsync(string calls) => RecordedArrayAsync($"window.__wx.{calls}");

    /// <summary>The calls WeCom's JS-SDK made to the recording WeCom client, in order: {name, params}.</summary>
    public Task<JsonElement[]> WeComClientCallsAsync() => RecordedArrayAsync("window.__wecom.invoked");

    /// <summary>What the page's onConfigFail and onAgentConfigFail received: {call, code, message, errMsg}.</summary>
    public Task<JsonElement[]> FailureHooksAsync() => RecordedArrayAsync("(window.__failed || [])");

    private async Task<JsonElement[]> RecordedArrayAsync(string expression)
    {
        // Through JSON text: Playwright's own object mapping adds "$id" members.
        using var json = JsonDocument.Parse(await EvaluateAsync<string>($"() => JSON.stringify({expression})"));
        return json.RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
    }

    /// <summary>Runs a script in the page, and awaits the Promise it returns.</summary>
    public Task EvaluateAsync(string expression) =>
        Page.EvaluateAsync(expression).WithinAsync(BrowserTestBed.CallTimeout, $"The page's script {expression}");

    public Task<T> EvaluateAsync<T>(string expression, object? arg = null) =>
        Page.EvaluateAsync<T>(expression, arg).WithinAsync(BrowserTestBed.CallTimeout, $"The page's script {expression}");

    /// <summary>
    /// A response's body as the browser received it. Playwright hands it over only once Chromium has finished the
    /// request, and Chromium finishes a fetch only once the page reads its body: one the page never reads times out here.
    /// </summary>
    public static Task<string> BodyOfAsync(IResponse response) =>
        response.TextAsync().WithinAsync(BrowserTestBed.CallTimeout,
            $"Reading the body of {response.Request.Method} {response.Url} (Chromium ends a fetch only once the page reads its body)");

    private static ConcurrentQueue<IConsoleMessage> Collect(IPage page)
    {
        var queue = new ConcurrentQueue<IConsoleMessage>();
        page.Console += (_, message) => queue.Enqueue(message);
        return queue;
    }

    private static ConcurrentQueue<string> CollectRequests(IPage page)
    {
        var queue = new ConcurrentQueue<string>();
        page.Request += (_, request) => queue.Enqueue(request.Url);
        return queue;
    }

    public async ValueTask DisposeAsync() => await context.CloseAsync().WithinAsync(BrowserTestBed.CallTimeout, "Closing the page's browser context");
}
