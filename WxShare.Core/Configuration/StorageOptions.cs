namespace WxShare.Configuration;

public sealed class StorageOptions
{
    public const string Section = "Storage";
    public const int MaxColdReadTimeoutSeconds = 10;
    public const int MaxColdReadRetries = 5;

    /// <summary>Falls back to AzureWebJobsStorage, which every Functions app already has.</summary>
    public string ConnectionString { get; set; } = "";
    public string TableName { get; set; } = "WxShareCredentials";

    /// <summary>
    /// How long a request may wait for storage when this instance has no ticket in memory (a cold start), across
    /// all its tries; past it the request gets 503 storage_unavailable instead of hanging.
    /// </summary>
    public int ColdReadTimeoutSeconds { get; set; } = 3;

    /// <summary>Retries of that read within the timeout (the Tables client's default is 3, with back-off up to a minute).</summary>
    public int ColdReadRetries { get; set; } = 1;
}
