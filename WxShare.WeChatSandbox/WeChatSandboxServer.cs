using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace WxShare.WeChatSandbox;

/// <summary>The sandbox running in-process on a loopback port, for tests.</summary>
public sealed class WeChatSandboxServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WeChatSandboxServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        State = app.Services.GetRequiredService<WeChatSandboxState>();
        WeCom = app.Services.GetRequiredService<WeCom.WeComSandboxState>();
        Platform = app.Services.GetRequiredService<Platform.PlatformSandboxState>();
        PlatformPusher = app.Services.GetRequiredService<Platform.PlatformEventPusher>();
    }

    /// <summary>Where the sandbox listens, e.g. <c>http://127.0.0.1:54321/</c>.</summary>
    public Uri BaseAddress { get; }

    public WeChatSandboxState State { get; }

    /// <summary>The WeCom side of the sandbox, served on the same address.</summary>
    public WeCom.WeComSandboxState WeCom { get; }

    /// <summary>The Open Platform side of the sandbox (component endpoints, authorizers, switches), served on the same address.</summary>
    public Platform.PlatformSandboxState Platform { get; }

    /// <summary>Pushes encrypted events to <see cref="SandboxOptions.Platform"/>'s event URL.</summary>
    public Platform.PlatformEventPusher PlatformPusher { get; }

    /// <summary>Starts the sandbox on 127.0.0.1:<paramref name="port"/> (0 picks a free port).</summary>
    /// <param name="timeProvider">Drives every expiry, grace period and quota day (but not the Delay fault). Defaults to the system clock.</param>
    public static async Task<WeChatSandboxServer> StartAsync(SandboxOptions? options = null, TimeProvider? timeProvider = null, int port = 0)
    {
        // An empty builder: an embedded sandbox must not pick up the test process's appsettings, environment or Kestrel config.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));

        var app = SandboxApplication.Build(builder, options ?? new SandboxOptions(), timeProvider ?? TimeProvider.System);
        try
        {
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
            return new WeChatSandboxServer(app, new Uri(address.TrimEnd('/') + "/"));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
