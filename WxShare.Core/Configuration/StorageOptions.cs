namespace WxShare.Configuration;

public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Falls back to AzureWebJobsStorage, which every Functions app already has.</summary>
    public string ConnectionString { get; set; } = "";
    public string TableName { get; set; } = "WxShareCredentials";
}
