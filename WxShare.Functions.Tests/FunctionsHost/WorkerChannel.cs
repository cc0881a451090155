using System.Collections.Concurrent;
using Grpc.Core;
using WxShare.Functions.Tests.FunctionsHost.Protocol;

namespace WxShare.Functions.Tests.FunctionsHost;

/// <summary>
/// The host's end of one worker's event stream: sends requests and pairs each with the worker's response by request
/// id (the worker echoes it), and keeps every log the worker sends. Only the caller's timeout ends a wait for a
/// response; a closed stream fails every pending wait at once.
/// </summary>
internal sealed class WorkerChannel(IServerStreamWriter<StreamingMessage> writer)
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<StreamingMessage>> _pending = new();
    private readonly ConcurrentQueue<RpcLog> _logs = new();
    private volatile string? _closedBecause;

    public IReadOnlyCollection<RpcLog> Logs => _logs;

    /// <summary>Sends <paramref name="message"/> under a new request id; the task completes with the worker's reply.</summary>
    public async Task<StreamingMessage> RequestAsync(StreamingMessage message)
    {
        message.RequestId = Guid.NewGuid().ToString();
        var reply = new TaskCompletionSource<StreamingMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[message.RequestId] = reply;
        if (_closedBecause is { } reason)
            reply.TrySetException(new IOException(reason));
        else
            await SendAsync(message);
        return await reply.Task;
    }

    /// <summary>Sends a message the worker does not answer.</summary>
    public async Task SendAsync(StreamingMessage message)
    {
        // A gRPC stream takes one write at a time.
        await _writeLock.WaitAsync();
        try
        {
            await writer.WriteAsync(message);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public void Receive(StreamingMessage message)
    {
        if (message.ContentCase == StreamingMessage.ContentOneofCase.RpcLog)
            _logs.Enqueue(message.RpcLog);
        else if (_pending.TryRemove(message.RequestId, out var reply))
            reply.TrySetResult(message);
    }

    public void Close(string reason)
    {
        _closedBecause = reason;
        foreach (var id in _pending.Keys)
            if (_pending.TryRemove(id, out var reply))
                reply.TrySetException(new IOException(reason));
    }
}
