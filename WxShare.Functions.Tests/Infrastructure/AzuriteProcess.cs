using System.Diagnostics;
using System.Net.Sockets;

namespace WxShare.Functions.Tests.Infrastructure;

/// <summary>
/// An Azurite table service from the repository's node_modules on a loopback port. Outage tests really stop it
/// (<see cref="Kill"/>) or freeze it (<see cref="Pause"/>, so connections open but nothing answers), then bring it back
/// on the same port; with a data folder, what was stored survives the restart.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly string? _dataFolder;
    private Process? _process;

    private AzuriteProcess(int port, string? dataFolder)
    {
        Port = port;
        _dataFolder = dataFolder;
    }

    public int Port { get; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};TableEndpoint=http://127.0.0.1:{Port}/devstoreaccount1;";

    /// <param name="persistent">Keep data in a folder of its own (deleted on dispose) so that it survives <see cref="RestartAsync"/>.</param>
    public static async Task<AzuriteProcess> StartAsync(bool persistent = false)
    {
        var azurite = new AzuriteProcess(FreePort.Next(), persistent ? Directory.CreateTempSubdirectory("wxshare-azurite-").FullName : null);
        try
        {
            await azurite.RestartAsync();
        }
        catch
        {
            await azurite.DisposeAsync(); // a slow start must not leave the process behind
            throw;
        }
        return azurite;
    }

    public async Task RestartAsync()
    {
        var executable = Path.Combine(RepositoryRoot.Path, "node_modules", ".bin", "azurite-table");
        if (!File.Exists(executable))
            throw new InvalidOperationException(
                $"Azurite is missing ({executable}). Run 'npm ci' in {RepositoryRoot.Path}, or set {AzuriteFixture.EnvironmentVariable} to a Table Storage connection string.");
        string[] storage = _dataFolder is null ? ["--inMemoryPersistence"] : ["--location", _dataFolder];
        _process = Process.Start(new ProcessStartInfo("node",
            [executable, "--tableHost", "127.0.0.1", "--tablePort", Port.ToString(), .. storage, "--skipApiVersionCheck", "--silent"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        await WaitForPortAsync();
    }

    /// <summary>Stops the process for real: connections to its port are refused until <see cref="RestartAsync"/>.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process?.Dispose();
        _process = null;
    }

    /// <summary>Freezes the process (SIGSTOP): the kernel still accepts connections, but no request is answered.</summary>
    public void Pause() => Signal("STOP");

    public void Resume() => Signal("CONT");

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process!.Id.ToString()]);
        kill.WaitForExit();
        if (kill.ExitCode != 0)
            throw new InvalidOperationException($"kill -{signal} {_process.Id} failed.");
    }

    public ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
            Resume(); // a frozen process cannot act on being killed until it runs again
        Kill();
        if (_dataFolder is not null)
            Directory.Delete(_dataFolder, recursive: true);
        return ValueTask.CompletedTask;
    }

    private async Task WaitForPortAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60); // generous: the machine is shared with other builds
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited)
                throw new InvalidOperationException($"Azurite exited at start: {await _process.StandardError.ReadToEndAsync()}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException($"Azurite did not listen on port {Port} within 60 s.");
    }
}
