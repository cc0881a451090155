using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Host;
using WxShare.Storage;

namespace WxShare.Functions.Tests.Configuration;

/// <summary>
/// Which table client each combination of storage settings produces (endpoint, account, credential type; nothing
/// calls Azure), and that a bad combination stops start-up with the settings named as operators type them.
/// </summary>
public sealed class StorageConnectionTests
{
    private const string ClientId = "0b6f1a8e-3c2d-4e5f-8a9b-1c2d3e4f5a6b";
    private const string AzuriteTableUri = "http://127.0.0.1:10002/devstoreaccount1/WxShareCredentials";

    /// <summary>Offline settings with no storage connection of their own, plus <paramref name="storage"/>.</summary>
    private static Dictionary<string, string?> Settings(params (string Key, string Value)[] storage)
    {
        var settings = TestSettings.Offline();
        settings.Remove("Storage:ConnectionString");
        foreach (var (key, value) in storage)
            settings[key] = value;
        return settings;
    }

    private static async Task<(TableClient Client, CredentialTableFactory Factory)> StartAsync(params (string, string)[] storage)
    {
        using var host = ServicesOnlyHost.Build(Settings(storage));
        await host.StartAsync(); // validation runs here: a refused combination throws
        await host.StopAsync();
        return (host.Services.GetRequiredService<TableClient>(), host.Services.GetRequiredService<CredentialTableFactory>());
    }

    [Fact]
    public async Task A_connection_string_gives_a_keyed_client_and_no_token_credential()
    {
        var (client, factory) = await StartAsync(("Storage:ConnectionString", "UseDevelopmentStorage=true"));
        Assert.Equal(AzuriteTableUri, client.Uri.ToString());
        Assert.Equal("devstoreaccount1", client.AccountName);
        Assert.Null(factory.Credential);
    }

    [Fact]
    public async Task Without_storage_settings_the_AzureWebJobsStorage_connection_string_serves()
    {
        var (client, factory) = await StartAsync(("AzureWebJobsStorage", "UseDevelopmentStorage=true"));
        Assert.Equal(AzuriteTableUri, client.Uri.ToString());
        Assert.Null(factory.Credential);
    }

    [Fact]
    public async Task The_Functions_identity_convention_gives_the_user_assigned_managed_identity_on_the_account()
    {
        var (client, factory) = await StartAsync(
            ("AzureWebJobsStorage:accountName", "stwxshare01"),
            ("AzureWebJobsStorage:credential", "managedidentity"),
            ("AzureWebJobsStorage:clientId", ClientId));
        Assert.Equal("https://stwxshare01.table.core.windows.net/WxShareCredentials", client.Uri.ToString());
        Assert.Equal("stwxshare01", client.AccountName);
        Assert.IsType<ManagedIdentityCredential>(factory.Credential);
    }

    [Fact]
    public async Task A_host_table_service_uri_with_managedidentity_and_no_client_id_uses_that_endpoint()
    {
        var (client, factory) = await StartAsync(
            ("AzureWebJobsStorage:tableServiceUri", "https://stwxshare01.table.core.chinacloudapi.cn/"),
            ("AzureWebJobsStorage:credential", "ManagedIdentity"));
        Assert.Equal("https://stwxshare01.table.core.chinacloudapi.cn/WxShareCredentials", client.Uri.ToString());
        Assert.IsType<ManagedIdentityCredential>(factory.Credential);
    }

    [Fact]
    public async Task A_service_uri_without_a_credential_uses_the_developers_default_azure_credential()
    {
        var (client, factory) = await StartAsync(("Storage:TableServiceUri", "https://stwxshare01.table.core.windows.net"));
        Assert.Equal("https://stwxshare01.table.core.windows.net/WxShareCredentials", client.Uri.ToString());
        Assert.IsType<DefaultAzureCredential>(factory.Credential);
    }

    [Fact]
    public async Task WxShares_own_storage_settings_replace_the_hosts_as_a_whole()
    {
        var (client, factory) = await StartAsync(
            ("AzureWebJobsStorage", "UseDevelopmentStorage=true"),
            ("Storage:TableServiceUri", "https://stwxshare02.table.core.windows.net/"),
            ("Storage:Credential", "managedidentity"),
            ("Storage:ClientId", ClientId),
            ("Storage:TableName", "ShopCredentials"));
        Assert.Equal("https://stwxshare02.table.core.windows.net/ShopCredentials", client.Uri.ToString());
        Assert.IsType<ManagedIdentityCredential>(factory.Credential);
    }

    [Fact]
    public async Task A_second_client_with_other_options_shares_the_endpoint_and_the_credential()
    {
        var (client, factory) = await StartAsync(
            ("AzureWebJobsStorage:accountName", "stwxshare01"),
            ("AzureWebJobsStorage:credential", "managedidentity"),
            ("AzureWebJobsStorage:clientId", ClientId));
        var credential = factory.Credential;
        var quick = factory.CreateClient(new TableClientOptions { Retry = { NetworkTimeout = TimeSpan.FromSeconds(2), MaxRetries = 0 } });
        Assert.Equal(client.Uri, quick.Uri);
        Assert.Same(credential, factory.Credential);
    }

    [Fact]
    public void Both_hosts_build_their_table_client_from_the_identity_settings()
    {
        var settings = Settings(
            ("AzureWebJobsStorage:accountName", "stwxshare01"),
            ("AzureWebJobsStorage:credential", "managedidentity"),
            ("AzureWebJobsStorage:clientId", ClientId));
        using var functions = WxShareFunctionsApp.Build([], config => config.AddInMemoryCollection(settings));
        using var standalone = WxShareHost.Build([], builder => builder.Configuration.AddInMemoryCollection(settings));

        foreach (var services in new[] { functions.Services, standalone.Services })
        {
            Assert.Equal("https://stwxshare01.table.core.windows.net/WxShareCredentials", services.GetRequiredService<TableClient>().Uri.ToString());
            Assert.IsType<ManagedIdentityCredential>(services.GetRequiredService<CredentialTableFactory>().Credential);
        }
    }

    public static TheoryData<string, string[], string[]> BadCombinations => new()
    {
        {
            "nothing at all",
            [],
            ["Storage__ConnectionString", "AzureWebJobsStorage", "Storage__TableServiceUri", "AzureWebJobsStorage__accountName"]
        },
        {
            "a connection string and a service URI",
            ["Storage:ConnectionString=UseDevelopmentStorage=true", "Storage:TableServiceUri=https://stwxshare01.table.core.windows.net/"],
            ["Storage__ConnectionString", "Storage__TableServiceUri", "not both"]
        },
        {
            "the host's connection string and its account name",
            ["AzureWebJobsStorage=UseDevelopmentStorage=true", "AzureWebJobsStorage:accountName=stwxshare01"],
            ["AzureWebJobsStorage and AzureWebJobsStorage__accountName", "not both"]
        },
        {
            "an account name and a service URI",
            ["AzureWebJobsStorage:accountName=stwxshare01", "AzureWebJobsStorage:tableServiceUri=https://stwxshare01.table.core.windows.net/"],
            ["AzureWebJobsStorage__accountName and AzureWebJobsStorage__tableServiceUri", "give one"]
        },
        {
            "a credential other than managedidentity",
            ["AzureWebJobsStorage:accountName=stwxshare01", "AzureWebJobsStorage:credential=azurecli"],
            ["AzureWebJobsStorage__credential 'azurecli' is not supported", "managedidentity"]
        },
        {
            "a client id without a credential",
            ["AzureWebJobsStorage:accountName=stwxshare01", $"AzureWebJobsStorage:clientId={ClientId}"],
            ["AzureWebJobsStorage__clientId is set without AzureWebJobsStorage__credential=managedidentity"]
        },
        {
            "a client id that is not a GUID",
            ["Storage:TableServiceUri=https://stwxshare01.table.core.windows.net/", "Storage:Credential=managedidentity", "Storage:ClientId=id-wxshare"],
            ["Storage__ClientId 'id-wxshare' is not a client id"]
        },
        {
            "a plain-http service URI",
            ["Storage:TableServiceUri=http://stwxshare01.table.core.windows.net/"],
            ["Storage__TableServiceUri", "not an https URI"]
        },
        {
            "a credential beside a connection string",
            ["Storage:ConnectionString=UseDevelopmentStorage=true", "Storage:Credential=managedidentity"],
            ["Storage__Credential is set beside the connection string Storage__ConnectionString"]
        },
        {
            "a credential and no account",
            ["Storage:Credential=managedidentity", $"Storage:ClientId={ClientId}"],
            ["Storage__Credential/Storage__ClientId are set but the account is not", "Storage__AccountName or Storage__TableServiceUri"]
        },
        {
            "an account name that is not one",
            ["AzureWebJobsStorage:accountName=https://stwxshare01.table.core.windows.net/"],
            ["AzureWebJobsStorage__accountName", "is not a storage account name"]
        },
    };

    [Theory]
    [MemberData(nameof(BadCombinations))]
    public async Task A_bad_combination_is_refused_with_the_settings_named(string combination, string[] storage, string[] named)
    {
        using var host = ServicesOnlyHost.Build(Settings(storage.Select(s => (s[..s.IndexOf('=')], s[(s.IndexOf('=') + 1)..])).ToArray()));
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        foreach (var name in named)
            Assert.True(error.Message.Contains(name, StringComparison.Ordinal), $"{combination}: '{name}' not in: {error.Message}");
    }

    [Fact]
    public async Task A_refused_service_uri_is_not_echoed_because_it_may_carry_a_sas_token()
    {
        using var host = ServicesOnlyHost.Build(Settings(("Storage:TableServiceUri", "http://stwxshare01.table.core.windows.net/?sv=2024&sig=c2VjcmV0")));
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("Storage__TableServiceUri", error.Message);
        Assert.DoesNotContain("c2VjcmV0", error.Message);
    }
}
