using Azure.Data.Tables;
using WxShare.Configuration;

namespace WxShare.Storage;

/// <summary>The one place that builds the credential table's clients.</summary>
public static class CredentialTables
{
    /// <summary>The DI key of the <see cref="CredentialStore"/> whose reads are bounded for requests that must wait on them.</summary>
    public const string ColdReads = "cold-reads";
    private static readonly TimeSpan ColdRetryDelay = TimeSpan.FromMilliseconds(200);

    /// <summary>For the refresh and the background re-reads: the Tables client's default retries and timeouts.</summary>
    public static TableClient Create(StorageOptions storage) => new(storage.ConnectionString, storage.TableName);

    /// <summary>For a request on a cold instance: a short network timeout and few retries, so an outage answers within seconds.</summary>
    public static TableClient CreateForColdReads(StorageOptions storage)
    {
        var options = new TableClientOptions();
        options.Retry.MaxRetries = storage.ColdReadRetries;
        options.Retry.Delay = ColdRetryDelay;
        options.Retry.MaxDelay = ColdRetryDelay;
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(storage.ColdReadTimeoutSeconds);
        return new TableClient(storage.ConnectionString, storage.TableName, options);
    }
}
