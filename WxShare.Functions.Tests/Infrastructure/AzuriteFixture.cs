using Azure.Data.Tables;

namespace WxShare.Functions.Tests.Infrastructure;

/// <summary>
/// Real Table Storage for the tests: the Azurite that WXSHARE_TEST_STORAGE names (as .ci/run starts it), or else one
/// this fixture starts from the repository's node_modules on a free port and stops afterwards. No Azurite is a failure.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public const string EnvironmentVariable = "WXSHARE_TEST_STORAGE";
    private AzuriteProcess? _azurite;

    public string ConnectionString { get; private set; } = "";

    /// <summary>A table of its own for each test, so that tests never see each other's rows.</summary>
    public string NewTableName() => UniqueTableName();

    public static string UniqueTableName() => "t" + Guid.NewGuid().ToString("N");

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
        _azurite = await AzuriteProcess.StartAsync();
        ConnectionString = _azurite.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
            await _azurite.DisposeAsync();
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
