using System.Diagnostics;
using System.Net.Sockets;
using Azure.Data.Tables;

namespace WxShare.Functions.Tests.Infrastructure;

/// <summary>
/// Real Table Storage for the tests: the Azurite that WXSHARE_TEST_STORAGE names (as .ci/run starts it), or else one
/// this fixture starts from the repository's node_modules on a free port and stops afterwards. No Azurite is a failure.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public const string EnvironmentVariable = "WXSHARE_TEST_STORAGE";
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private Process? _azurite;

    public string ConnectionString { get; private set; } = "";

    /// <summary>A table of its own for each test, so that tests never see each other's rows.</summary>
    public string NewTableName() => "t" + Guid.NewGuid().ToString("N");

    public TableClient NewTable() => new(ConnectionString, NewTableName());

    public async Task InitializeAsync()
    {
        var given = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(given))
        {
            ConnectionString = given;
            await AssertReachableAsync();
            return;
        }
        await StartProcessAsync();
    }

    /// <summary>An Azurite process of the caller's own, whatever WXSHARE_TEST_STORAGE says: one a test may stop to cause a real outage.</summary>
    public static async Task<AzuriteFixture> StartOwnAsync()
    {
        var own = new AzuriteFixture();
        await own.StartProcessAsync();
        return own;
    }

    private async Task StartProcessAsync()
    {
        var executable = Path.Combine(RepositoryRoot.Path, "node_modules", ".bin", "azurite-table");
        if (!File.Exists(executable))
            throw new InvalidOperationException(
                $"Azurite is missing ({executable}). Run 'npm ci' in {RepositoryRoot.Path}, or set {EnvironmentVariable} to a Table Storage connection string.");

        var port = FreePort.Next();
        _azurite = Process.Start(new ProcessStartInfo("node",
            [executable, "--tableHost", "127.0.0.1", "--tablePort", port.ToString(), "--inMemoryPersistence", "--skipApiVersionCheck", "--silent"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        ConnectionString = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";
        await WaitForPortAsync(port);
    }

    public Task DisposeAsync()
    {
        if (_azurite is { HasExited: false })
        {
            _azurite.Kill(entireProcessTree: true);
            _azurite.WaitForExit(5000);
        }
        _azurite?.Dispose();
        _azurite = null; // a test that stopped its own Azurite disposes it again in its finally
        return Task.CompletedTask;
    }

    private async Task WaitForPortAsync(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_azurite!.HasExited)
                throw new InvalidOperationException($"Azurite exited at start: {await _azurite.StandardError.ReadToEndAsync()}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException($"Azurite did not listen on port {port} within 30 s.");
    }

    private async Task AssertReachableAsync()
    {
        var service = new TableServiceClient(ConnectionString);
        await foreach (var _ in service.QueryAsync(maxPerPage: 1))
            break;
    }
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
