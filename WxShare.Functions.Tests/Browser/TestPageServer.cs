using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using WxShare.Functions.Tests.Infrastructure;

namespace WxShare.Functions.Tests.Browser;

/// <summary>
/// A customer's site on loopback: every path is a page that loads wx-share.js from WxShare, as a real page would,
/// and (for the module test) imports wx-share.mjs. Paths under /wecom/ are a WeCom app's page, which also loads WeCom's
/// JS-SDK (@wecom/jssdk from node_modules, as the classic script that defines ww and as an ES module). The browser
/// reaches the site under allowed domains by host mapping.
/// </summary>
internal sealed class TestPageServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestPageServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public static async Task<TestPageServer> StartAsync(Uri wxShare)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var html = $$"""
            <!doctype html>
            <html><head><meta charset="utf-8"><title>A shop page</title>
            <script src="{{wxShare}}api/wx-share.js"></script>
            <script type="module">
              import WxShareModule, { share } from '{{wxShare}}api/wx-share.mjs';
              window.__module = { share: share, scriptUrl: WxShareModule.scriptUrl };
            </script>
            </head><body><h1>A shop page</h1></body></html>
            """;
        var weComHtml = $$"""
            <!doctype html>
            <html><head><meta charset="utf-8"><title>A WeCom app page</title>
            <script src="/vendor/wecom-jssdk.js"></script>
            <script src="{{wxShare}}api/wx-share.js"></script>
            <script type="module">
              import * as ww from '/vendor/wecom-jssdk.mjs';
              import { register } from '{{wxShare}}api/wx-share.mjs';
              window.__module = { ww: ww, register: register };
            </script>
            </head><body><h1>A WeCom app page</h1></body></html>
            """;
        app.MapGet("/wecom/{**path}", () => Results.Content(weComHtml, "text/html; charset=utf-8"));
        app.MapGet("/vendor/wecom-jssdk.js", () => Results.Content(File.ReadAllText(WeComJsSdk("wecom.global.prod.js")), "text/javascript"));
        app.MapGet("/vendor/wecom-jssdk.mjs", () => Results.Content(File.ReadAllText(WeComJsSdk("wecom.prod.js")), "text/javascript"));
        app.MapGet("/{**path}", () => Results.Content(html, "text/html; charset=utf-8"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new TestPageServer(app, new Uri(address).Port);
    }

    /// <summary>A file of the pinned @wecom/jssdk (package-lock.json), which the test project's build installs.</summary>
    private static string WeComJsSdk(string file)
    {
        var path = Path.Combine(RepositoryRoot.Path, "node_modules", "@wecom", "jssdk", "dist", file);
        return File.Exists(path) ? path : throw new FileNotFoundException($"WeCom's JS-SDK is not installed: run 'npm ci' at the repository root.", path);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
