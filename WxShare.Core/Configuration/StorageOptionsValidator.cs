using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace WxShare.Configuration;

internal sealed partial class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
            errors.Add($"{SettingName.Of(StorageOptions.Section, "ConnectionString")} (or AzureWebJobsStorage) is not set: "
                       + "give an Azure Storage connection string, or UseDevelopmentStorage=true for Azurite.");
        if (!TableNamePattern().IsMatch(options.TableName))
            errors.Add($"{SettingName.Of(StorageOptions.Section, "TableName")} '{options.TableName}' is not a valid table name "
                       + "(3-63 letters and digits, starting with a letter).");
        if (options.ColdReadTimeoutSeconds is < 1 or > StorageOptions.MaxColdReadTimeoutSeconds)
            errors.Add($"{SettingName.Of(StorageOptions.Section, "ColdReadTimeoutSeconds")} must be between 1 and {StorageOptions.MaxColdReadTimeoutSeconds}.");
        if (options.ColdReadRetries is < 0 or > StorageOptions.MaxColdReadRetries)
            errors.Add($"{SettingName.Of(StorageOptions.Section, "ColdReadRetries")} must be between 0 and {StorageOptions.MaxColdReadRetries}.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    private static partial Regex TableNamePattern();
}
