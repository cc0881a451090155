using System.Net;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using WxShare.Functions.Tests.FunctionsHost.Protocol;

namespace WxShare.Functions.Tests.FunctionsHost;

/// <summary>
/// The host's gRPC server: HTTP/2 without TLS (h2c) on a free loopback port, as the Functions host serves its
/// workers. It accepts one worker's event stream, whose first message must be that worker's StartStream.
/// </summary>
internal sealed class HostRpcServer : FunctionRpc.FunctionRpcBase, IAsyncDisposable
{
    private readonly TaskCompletionSource<WorkerChannel> _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication? _app;

    private HostRpcServer(string workerId) => WorkerId = workerId;

    public string WorkerId { get; }
    public Uri Address { get; private set; } = null!;

    /// <summary>Completes when the worker has opened its stream and said StartStream with its id.</summary>
    public Task<WorkerChannel> Connected => _connected.Task;

    public static async Task<HostRpcServer> StartAsync(string workerId, int maxMessageLength)
    {
        var server = new HostRpcServer(workerId);
        // An empty builder: the test process's appsettings, environment and logging stay out of the host.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddRouting();
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = maxMessageLength;
            grpc.MaxSendMessageSize = maxMessageLength;
        });
        builder.Services.AddSingleton(server);
        var app = builder.Build();
        app.MapGrpcService<HostRpcServer>();
        await app.StartAsync();
        server._app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        server.Address = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    public override async Task EventStream(IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context)
    {
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, _stopping.Token);
        if (!await requestStream.MoveNext(ended.Token))
            return;
        var first = requestStream.Current;
        if (first.ContentCase != StreamingMessage.ContentOneofCase.StartStream || first.StartStream.WorkerId != WorkerId)
        {
            _connected.TrySetException(new InvalidOperationException(
                $"The worker's first message was {first.ContentCase} (worker id '{first.StartStream?.WorkerId}'), not StartStream from worker '{WorkerId}'."));
            return;
        }

        var channel = new WorkerChannel(responseStream);
        if (!_connected.TrySetResult(channel))
            return; // one worker per host
        try
        {
            while (await requestStream.MoveNext(ended.Token))
                channel.Receive(requestStream.Current);
            channel.Close("The worker closed its event stream.");
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or Grpc.Core.RpcException)
        {
            channel.Close($"The worker's event stream broke: {e.Message}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_app is not null)
        {
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _app.StopAsync(patience.Token);
            await _app.DisposeAsync();
        }
        _stopping.Dispose();
    }
}
