using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using WxShare.Http;

namespace WxShare.Configuration;

/// <summary>Checks <c>Keys__*</c> against the configured accounts; every message names the setting, never a secret.</summary>
internal sealed class KeysOptionsValidator(IConfiguration configuration) : IValidateOptions<KeysOptions>
{
    public ValidateOptionsResult Validate(string? name, KeysOptions options)
    {
        var errors = KeyRing.Validate(options, KnownAccounts());
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>
    /// What a key's Accounts may name: each account's name and its appId (or a WeCom app's corpId). Read from the
    /// settings as typed, not from the validated accounts, so that a bad account is reported once, by its own validator.
    /// </summary>
    private IReadOnlyCollection<string> KnownAccounts()
    {
        var accounts = new AccountsOptions();
        accounts.Load(configuration);
        return accounts.Accounts.SelectMany(a => new[] { a.Name, a.AppId, a.CorpId }).OfType<string>()
            .Where(s => s.Length > 0).Select(s => s.Trim()).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }
}
