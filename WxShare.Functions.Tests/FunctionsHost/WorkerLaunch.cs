using System.Globalization;

namespace WxShare.Functions.Tests.FunctionsHost;

/// <summary>
/// What the Functions host tells a worker it starts: where its gRPC server is, who the worker is, and the largest
/// message either side may send. The .NET worker sizes its gRPC channel from the last one: left out, it is 0 and
/// every message fails, so it is always given.
/// </summary>
internal sealed record WorkerLaunch(Uri FunctionsUri, string WorkerId, string RequestId, int GrpcMaxMessageLength)
{
    /// <summary>What the host passes (int.MaxValue): the worker's channel then accepts whatever the host sends.</summary>
    public const int HostMaxMessageLength = int.MaxValue;

    public static WorkerLaunch For(Uri functionsUri, string workerId) =>
        new(functionsUri, workerId, Guid.NewGuid().ToString(), HostMaxMessageLength);

    /// <summary>The host's arguments: the older host/port form, which the .NET worker ignores, and the functions-* form it reads.</summary>
    public IEnumerable<string> Arguments()
    {
        var maxLength = GrpcMaxMessageLength.ToString(CultureInfo.InvariantCulture);
        return
        [
            "--host", FunctionsUri.Host,
            "--port", FunctionsUri.Port.ToString(CultureInfo.InvariantCulture),
            "--workerId", WorkerId,
            "--requestId", RequestId,
            "--grpcMaxMessageLength", maxLength,
            "--functions-uri", FunctionsUri.ToString(),
            "--functions-worker-id", WorkerId,
            "--functions-request-id", RequestId,
            "--functions-grpc-max-message-length", maxLength,
        ];
    }
}
