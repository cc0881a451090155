using System.Diagnostics;
using WxShare.Functions.Tests.Infrastructure;

namespace WxShare.Functions.Tests.Deployment;

/// <summary>Runs a bash command line from the repository root, as a CI step or a user would, with the environment given.</summary>
internal static class BashScript
{
    public sealed record Result(int ExitCode, string Output);

    /// <param name="environment">Added to (or, with a null value, removed from) the test's own environment.</param>
    public static async Task<Result> RunAsync(string commandLine, IReadOnlyDictionary<string, string?>? environment = null,
        TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryRoot.Path,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(commandLine);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
            if (value is null)
                start.Environment.Remove(name);
            else
                start.Environment[name] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{commandLine}' ran over {timeout ?? TimeSpan.FromMinutes(2)}.");
        }
        return new Result(process.ExitCode, (await stdout + await stderr).Trim());
    }
}
