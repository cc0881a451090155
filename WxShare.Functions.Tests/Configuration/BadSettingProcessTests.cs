using System.Diagnostics;
using System.Reflection;
using WxShare.Configuration;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.Configuration;

/// <summary>
/// The standalone host's own process started with a bad setting: its output is the message naming the setting, with
/// no stack trace around it, and its exit code is 1. (The Functions worker's: Worker/WorkerSettingsTests.)
/// </summary>
public sealed class BadSettingProcessTests
{
    [Theory]
    [InlineData("WeChat__AppSecret", "", "WeChat__AppSecret")]
    [InlineData("Signing__AllowedDomains", "https://example.com", "Signing__AllowedDomains")]
    [InlineData("Storage__ConnectionString", "", "No storage is configured")]
    [InlineData("Metrics__Prometheus", "yes", "Metrics__Prometheus 'yes' is not true or false")]
    public async Task The_host_prints_the_message_without_a_stack_trace_and_exits_1(string setting, string value, string named)
    {
        var settings = new Dictionary<string, string>
        {
            ["WeChat__AppId"] = SandboxDefaults.AppId,
            ["WeChat__AppSecret"] = SandboxDefaults.AppSecret,
            ["Storage__ConnectionString"] = "UseDevelopmentStorage=true",
            ["Signing__AllowedDomains"] = TestSettings.AllowedDomains,
            [setting] = value,
        };

        var (exitCode, output) = await RunHostAsync(settings);

        Assert.Equal(BadSettingsExit.ExitCode, exitCode);
        Assert.Contains("WxShare did not start", output);
        Assert.Contains(named, output);
        Assert.DoesNotMatch(@"(?m)^\s+at \S", output);
        Assert.DoesNotContain("Exception", output);
        Assert.DoesNotContain(SandboxDefaults.AppSecret, output);
    }

    private static async Task<(int ExitCode, string Output)> RunHostAsync(IReadOnlyDictionary<string, string> settings)
    {
        var configuration = typeof(BadSettingProcessTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var directory = Path.Combine(RepositoryRoot.Path, "WxShare.Host", "bin", configuration, new DirectoryInfo(AppContext.BaseDirectory).Name);
        var start = new ProcessStartInfo(Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(directory, "WxShare.Host.dll"));
        start.ArgumentList.Add("--urls=http://127.0.0.1:0");
        // The test process's own settings must not reach the host: a setting a test leaves out is meant to be out.
        foreach (var name in start.Environment.Keys.Where(k => k.Contains("__", StringComparison.Ordinal) || k.StartsWith("AzureWebJobs", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(name);
        foreach (var (name, value) in settings)
            start.Environment[name] = value;

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("The host with a bad setting kept running for 60 s instead of exiting.");
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
