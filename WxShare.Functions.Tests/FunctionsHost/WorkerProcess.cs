using System.Collections.Concurrent;
using System.Diagnostics;

namespace WxShare.Functions.Tests.FunctionsHost;

/// <summary>
/// The isolated worker as the Functions host starts it: <c>dotnet WxShare.Functions.dll</c> in the app's build output,
/// with the host's command-line arguments and the app settings as environment variables. Keeps the tail of its
/// stdout and stderr for failure messages; disposing kills its whole process tree.
/// </summary>
internal sealed class WorkerProcess : IDisposable
{
    private const int KeptLines = 400;
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WorkerProcess(Process process) => _process = process;

    /// <summary>Completes with the exit code once the process has exited and its output is read to the end.</summary>
    public Task<int> Exited => _exited.Task;

    public int Id => _process.Id;

    public string OutputTail(int lines = 60) => string.Join('\n', _output.TakeLast(lines));

    public string Output => string.Join('\n', _output);

    public static WorkerProcess Start(FunctionsAppBuild app, WorkerLaunch launch, IReadOnlyDictionary<string, string?> appSettings)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = app.Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(app.WorkerAssembly);
        foreach (var argument in launch.Arguments())
            start.ArgumentList.Add(argument);

        // The test process's own settings must not leak into the worker: a test that leaves a setting out means it.
        foreach (var name in start.Environment.Keys.Where(IsAppSettingName).ToList())
            start.Environment.Remove(name);
        start.Environment["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated";
        start.Environment["FUNCTIONS_APPLICATION_DIRECTORY"] = app.Directory;
        start.Environment["FUNCTIONS_WORKER_DIRECTORY"] = app.Directory;
        start.Environment["AzureWebJobsScriptRoot"] = app.Directory;
        foreach (var (name, value) in appSettings)
            if (value is not null)
                start.Environment[name] = value;

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var worker = new WorkerProcess(process);
        process.OutputDataReceived += (_, e) => worker.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => worker.Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _ = worker.ObserveExitAsync();
        return worker;
    }

    private static bool IsAppSettingName(string name) =>
        name.Contains("__", StringComparison.Ordinal) || name is "RefreshSchedule" or "AzureWebJobsStorage";

    /// <summary>The dotnet that runs the tests (the CLI names itself to its children), else the one on PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path) ? path : "dotnet";

    private void Keep(string? line)
    {
        if (line is null)
            return;
        _output.Enqueue(line);
        while (_output.Count > KeptLines)
            _output.TryDequeue(out _);
    }

    private async Task ObserveExitAsync()
    {
        // WaitForExitAsync also waits for the redirected streams to reach their end, so Output is complete after it.
        await _process.WaitForExitAsync();
        _exited.TrySetResult(_process.ExitCode);
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
        _process.Dispose();
    }
}
