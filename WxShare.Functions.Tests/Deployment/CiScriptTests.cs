namespace WxShare.Functions.Tests.Deployment;

/// <summary>
/// .ci/run installs Chromium with sudo where it is not root (a hosted Azure Pipelines agent runs as a user with
/// password-less sudo), and straight away as root. Run with stand-ins for id, npm, sudo and apt-get that record their
/// calls and stop the script there, so nothing is installed.
/// </summary>
public sealed class CiScriptTests : IDisposable
{
    private readonly string _stubs = Directory.CreateTempSubdirectory("wxshare-ci-stubs-").FullName;

    private void Stub(string name, string body) =>
        File.WriteAllText(Path.Combine(_stubs, name), "#!/usr/bin/env bash\n" + body + "\n", new System.Text.UTF8Encoding(false));

    private async Task<(BashScript.Result Result, string Calls)> RunAsUserAsync(int uid)
    {
        var calls = Path.Combine(_stubs, "calls");
        Stub("id", $"echo {uid}");
        Stub("npm", "exit 0");
        Stub("sudo", $"echo \"sudo $*\" >> '{calls}'; exit 1");
        Stub("apt-get", $"echo \"apt-get $*\" >> '{calls}'; exit 1");
        var result = await BashScript.RunAsync("chmod +x \"$STUBS\"/* && bash .ci/run", new Dictionary<string, string?>
        {
            ["STUBS"] = _stubs,
            ["PATH"] = _stubs + ":" + Environment.GetEnvironmentVariable("PATH"),
            ["CHROMIUM"] = Path.Combine(_stubs, "no-chromium-here"),
        });
        return (result, File.Exists(calls) ? File.ReadAllText(calls) : "");
    }

    [Fact]
    public async Task Not_root_it_installs_chromium_through_sudo()
    {
        var (result, calls) = await RunAsUserAsync(uid: 1001);

        Assert.NotEqual(0, result.ExitCode);
        Assert.StartsWith("sudo -n env DEBIAN_FRONTEND=noninteractive apt-get update", calls);
        Assert.Contains("Could not install chromium (apt-get with sudo -n)", result.Output);
    }

    [Fact]
    public async Task As_root_it_runs_apt_get_itself()
    {
        var (result, calls) = await RunAsUserAsync(uid: 0);

        Assert.NotEqual(0, result.ExitCode);
        Assert.StartsWith("apt-get update", calls);
        Assert.DoesNotContain("sudo", calls);
    }

    public void Dispose() => Directory.Delete(_stubs, recursive: true);
}
