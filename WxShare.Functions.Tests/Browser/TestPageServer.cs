using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace WxShare.Functions.Tests.Browser;

/// <summary>
/// A customer's site on loopback: every path is a page that loads wx-share.js from WxShare, as a real page would,
/// and (for the module test) imports wx-share.mjs. The browser reaches it under allowed domains by host mapping.
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
        app.MapGet("/{**path}", () => Results.Content(html, "text/html; charset=utf-8"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new TestPageServer(app, new Uri(address).Port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
