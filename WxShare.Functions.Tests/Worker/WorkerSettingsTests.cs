using WxShare.Configuration;
using WxShare.Functions.Tests.FunctionsHost;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.Worker;

/// <summary>The worker with a missing or wrong app setting: it must not start serving, and must say which setting.</summary>
public sealed class WorkerSettingsTests
{
    [Theory]
    [InlineData("WeChat__AppId", null)]
    [InlineData("WeChat__AppSecret", "")]
    [InlineData("RefreshSchedule", "every 5 minutes")]
    [InlineData("Signing__AllowedDomains", null)]
    public async Task A_missing_or_wrong_setting_makes_the_worker_print_it_and_exit_1_without_a_stack_trace(string setting, string? value)
    {
        var settings = FunctionsApp.AsAppSettings(TestSettings.Offline());
        settings[setting] = value;

        var exit = await Assert.ThrowsAsync<WorkerExitedException>(() => StartAndStopAsync(settings));

        // The message alone, naming the setting: no stack trace around it, exit code 1.
        Assert.Equal(BadSettingsExit.ExitCode, exit.ExitCode);
        Assert.Contains("WxShare did not start", exit.Output);
        Assert.Contains(setting, exit.Output);
        Assert.DoesNotMatch(@"(?m)^\s+at \S", exit.Output);
        Assert.DoesNotContain("Exception", exit.Output);
        Assert.DoesNotContain(SandboxDefaults.AppSecret, exit.Output);
    }

    [Fact]
    public async Task Without_RefreshSchedule_as_an_app_setting_the_host_cannot_index_the_timer()
    {
        // The worker itself would start (its options default the schedule); the Functions host would not.
        var settings = FunctionsApp.AsAppSettings(TestSettings.Offline());
        settings.Remove(RefreshOptions.ScheduleSetting);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAndStopAsync(settings));

        Assert.Contains("'%RefreshSchedule%'", error.Message);
        Assert.Contains("RefreshCredentials", error.Message);
    }

    /// <summary>A worker that starts after all is stopped at once, so a failing test leaves no process behind.</summary>
    private static async Task StartAndStopAsync(IReadOnlyDictionary<string, string?> settings)
    {
        await using var host = await FunctionsWorkerHost.StartAsync(settings);
    }
}
