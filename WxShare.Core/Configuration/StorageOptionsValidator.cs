using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace WxShare.Configuration;

/// <summary>
/// One of two forms: a connection string, or an account (name or table service URI) reached with an Entra
/// credential. Messages name the settings of the family in use (Storage__… or AzureWebJobsStorage…), never a value
/// that could hold a key.
/// </summary>
internal sealed partial class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions o)
    {
        var errors = new SettingErrors(StorageOptions.Section);
        var connectionString = Set(o.ConnectionString);
        var accountName = Set(o.AccountName);
        var serviceUri = Set(o.TableServiceUri);
        var credential = Set(o.Credential);
        var clientId = Set(o.ClientId);

        if (!connectionString && !accountName && !serviceUri)
            errors.Add(credential || clientId
                ? $"{o.NameOf(nameof(o.Credential))}/{o.NameOf(nameof(o.ClientId))} are set but the account is not: set "
                  + $"{o.NameOf(nameof(o.AccountName))} or {o.NameOf(nameof(o.TableServiceUri))}."
                : $"No storage is configured: set {errors.Name(nameof(o.ConnectionString))} (or {StorageOptions.HostStorageSetting}) "
                  + $"to a connection string (UseDevelopmentStorage=true for Azurite), or, for a managed identity, "
                  + $"{errors.Name(nameof(o.TableServiceUri))} (or {StorageOptions.HostStorageSetting}__accountName / __tableServiceUri).");

        if (connectionString && (accountName || serviceUri))
            errors.Add($"{o.NameOf(nameof(o.ConnectionString))} and {o.NameOf(accountName ? nameof(o.AccountName) : nameof(o.TableServiceUri))} "
                       + "are both set: give a connection string or an account for a managed identity, not both.");
        if (accountName && serviceUri)
            errors.Add($"{o.NameOf(nameof(o.AccountName))} and {o.NameOf(nameof(o.TableServiceUri))} are both set: give one.");
        if (connectionString && (credential || clientId))
            errors.Add($"{o.NameOf(credential ? nameof(o.Credential) : nameof(o.ClientId))} is set beside the connection string "
                       + $"{o.NameOf(nameof(o.ConnectionString))}, which carries its own key: remove one.");

        if (credential && !string.Equals(o.Credential.Trim(), StorageOptions.ManagedIdentityCredential, StringComparison.OrdinalIgnoreCase))
            errors.Add($"{o.NameOf(nameof(o.Credential))} '{o.Credential}' is not supported: use '{StorageOptions.ManagedIdentityCredential}', "
                       + "or leave it unset for DefaultAzureCredential (a developer's Azure CLI or Visual Studio login).");
        if (clientId && !credential)
            errors.Add($"{o.NameOf(nameof(o.ClientId))} is set without {o.NameOf(nameof(o.Credential))}={StorageOptions.ManagedIdentityCredential}: "
                       + "a client id names a user-assigned managed identity, so set both.");
        if (clientId && !Guid.TryParse(o.ClientId, out _))
            errors.Add($"{o.NameOf(nameof(o.ClientId))} '{o.ClientId}' is not a client id (a GUID): use the identity's clientId, not its name or resource id.");

        if (serviceUri && (!Uri.TryCreate(o.TableServiceUri.Trim(), UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps))
            // The value is not echoed: a URI may carry a SAS token.
            errors.Add($"{o.NameOf(nameof(o.TableServiceUri))} is not an https URI "
                       + "(like https://myaccount.table.core.windows.net/): a token is only ever sent over https.");
        if (accountName && !AccountNamePattern().IsMatch(o.AccountName.Trim()))
            errors.Add($"{o.NameOf(nameof(o.AccountName))} '{o.AccountName}' is not a storage account name (3-24 lower-case letters and digits).");

        if (!TableNamePattern().IsMatch(o.TableName))
            errors.Add($"{errors.Name(nameof(o.TableName))} '{o.TableName}' is not a valid table name "
                       + "(3-63 letters and digits, starting with a letter).");
        errors.InRange(nameof(o.ColdReadTimeoutSeconds), o.ColdReadTimeoutSeconds, 1, StorageOptions.MaxColdReadTimeoutSeconds);
        errors.InRange(nameof(o.ColdReadRetries), o.ColdReadRetries, 0, StorageOptions.MaxColdReadRetries);
        return errors.Result();
    }

    private static bool Set(string value) => !string.IsNullOrWhiteSpace(value);

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    private static partial Regex TableNamePattern();

    [GeneratedRegex("^[a-z0-9]{3,24}$")]
    private static partial Regex AccountNamePattern();
}
