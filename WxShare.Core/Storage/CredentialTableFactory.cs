using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Extensions.Options;
using WxShare.Configuration;

namespace WxShare.Storage;

/// <summary>
/// Builds clients for the credential table from the (validated) storage settings: from the connection string, or
/// from the table service URI with a managed identity (<c>credential=managedidentity</c>, by client id when given)
/// or DefaultAzureCredential on a developer machine. Every client built here shares one credential, so a second
/// client with other <see cref="TableClientOptions"/> (say a short network timeout) costs no second token.
/// </summary>
public sealed class CredentialTableFactory(IOptions<StorageOptions> options)
{
    /// <summary>The DI key of the <see cref="CredentialStore"/> whose reads are bounded for requests that must wait on them.</summary>
    public const string ColdReads = "cold-reads";
    private static readonly TimeSpan ColdRetryDelay = TimeSpan.FromMilliseconds(200);
    private readonly StorageOptions _storage = options.Value;
    private readonly Lazy<TokenCredential?> _credential = new(() => CreateCredential(options.Value));

    /// <summary>The credential the clients use, or null when a connection string carries the key.</summary>
    public TokenCredential? Credential => _credential.Value;

    public TableClient CreateClient(TableClientOptions? clientOptions = null)
    {
        clientOptions ??= new TableClientOptions();
        return Credential is { } credential
            ? new TableClient(TableServiceUri(_storage), _storage.TableName, credential, clientOptions)
            : new TableClient(_storage.ConnectionString, _storage.TableName, clientOptions);
    }

    /// <summary>For a request on a cold instance: a short network timeout and few retries, so an outage answers within seconds.</summary>
    public TableClient CreateClientForColdReads()
    {
        var clientOptions = new TableClientOptions();
        clientOptions.Retry.MaxRetries = _storage.ColdReadRetries;
        clientOptions.Retry.Delay = ColdRetryDelay;
        clientOptions.Retry.MaxDelay = ColdRetryDelay;
        clientOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(_storage.ColdReadTimeoutSeconds);
        return CreateClient(clientOptions);
    }

    private static TokenCredential? CreateCredential(StorageOptions storage)
    {
        if (!string.IsNullOrWhiteSpace(storage.ConnectionString))
            return null;
        if (!string.Equals(storage.Credential.Trim(), StorageOptions.ManagedIdentityCredential, StringComparison.OrdinalIgnoreCase))
            return new DefaultAzureCredential();
        return new ManagedIdentityCredential(string.IsNullOrWhiteSpace(storage.ClientId)
            ? ManagedIdentityId.SystemAssigned
            : ManagedIdentityId.FromUserAssignedClientId(storage.ClientId.Trim()));
    }

    private static Uri TableServiceUri(StorageOptions storage) =>
        string.IsNullOrWhiteSpace(storage.TableServiceUri)
            ? new Uri($"https://{storage.AccountName.Trim()}.table.core.windows.net/")
            : new Uri(storage.TableServiceUri.Trim());
}
