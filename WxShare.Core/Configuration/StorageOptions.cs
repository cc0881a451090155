namespace WxShare.Configuration;

/// <summary>
/// Where the credential table is and how to reach it: a connection string, or a service URI (or account name) with a
/// Microsoft Entra credential. When none of <c>Storage__ConnectionString</c>, <c>__AccountName</c>,
/// <c>__TableServiceUri</c>, <c>__Credential</c>, <c>__ClientId</c> is set, all five come from the Functions host's own
/// storage settings (<c>AzureWebJobsStorage</c>, <c>AzureWebJobsStorage__accountName</c>, …), which every Functions
/// app already has.
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";
    public const string HostStorageSetting = "AzureWebJobsStorage";
    /// <summary>The only credential the Functions convention names; anything else means DefaultAzureCredential.</summary>
    public const string ManagedIdentityCredential = "managedidentity";
    public const int MaxColdReadTimeoutSeconds = 10;
    public const int MaxColdReadRetries = 5;

    public string ConnectionString { get; set; } = "";
    /// <summary>Gives <c>https://{AccountName}.table.core.windows.net/</c> (public Azure; elsewhere use TableServiceUri).</summary>
    public string AccountName { get; set; } = "";
    public string TableServiceUri { get; set; } = "";
    /// <summary><c>managedidentity</c>, or empty for DefaultAzureCredential (a developer's az/VS/environment login).</summary>
    public string Credential { get; set; } = "";
    /// <summary>The user-assigned managed identity's client id; empty means the system-assigned identity.</summary>
    public string ClientId { get; set; } = "";
    public string TableName { get; set; } = "WxShareCredentials";

    /// <summary>True when the connection came from the AzureWebJobsStorage settings, so messages name those.</summary>
    internal bool FromHostStorage { get; set; }

    internal bool HasConnectionSettings =>
        !string.IsNullOrWhiteSpace(ConnectionString) || !string.IsNullOrWhiteSpace(AccountName) || !string.IsNullOrWhiteSpace(TableServiceUri)
        || !string.IsNullOrWhiteSpace(Credential) || !string.IsNullOrWhiteSpace(ClientId);

    /// <summary>A setting's name as the operator typed it, in whichever family the connection came from.</summary>
    internal string NameOf(string property) => (FromHostStorage, property) switch
    {
        (true, nameof(ConnectionString)) => HostStorageSetting,
        // The Functions host spells these in camelCase; configuration keys are case-insensitive either way.
        (true, _) => $"{HostStorageSetting}__{char.ToLowerInvariant(property[0])}{property[1..]}",
        (false, _) => SettingName.Of(Section, property),
    };
    /// <summary>
    /// How long a request may wait for storage when this instance has no ticket in memory (a cold start), across
    /// all its tries; past it the request gets 503 storage_unavailable instead of hanging.
    /// </summary>
    public int ColdReadTimeoutSeconds { get; set; } = 3;

    /// <summary>Retries of that read within the timeout (the Tables client's default is 3, with back-off up to a minute).</summary>
    public int ColdReadRetries { get; set; } = 1;
}
