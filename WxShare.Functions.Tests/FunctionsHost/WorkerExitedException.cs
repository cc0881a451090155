namespace WxShare.Functions.Tests.FunctionsHost;

/// <summary>The worker process ended while the host was waiting for it: its exit code and what it wrote.</summary>
public sealed class WorkerExitedException(int exitCode, string output, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    /// <summary>The worker's stdout and stderr (the last few hundred lines).</summary>
    public string Output { get; } = output;
}
