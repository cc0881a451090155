using Microsoft.Extensions.Options;
using WxShare.Http;

namespace WxShare.Configuration;

/// <summary>Checks <c>Keys__*</c> against the configured accounts; every message names the setting, never a secret.</summary>
internal sealed class KeysOptionsValidator(IOptions<AccountsOptions> accounts) : IValidateOptions<KeysOptions>
{
    public ValidateOptionsResult Validate(string? name, KeysOptions options)
    {
        var errors = KeyRing.Validate(options, KnownAccounts(accounts.Value));
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>What a key's Accounts may name: each account's name and its appId (or a WeCom app's corpId).</summary>
    private static IReadOnlyCollection<string> KnownAccounts(AccountsOptions options) =>
        options.Accounts.SelectMany(a => new[] { a.Name, a.AppId, a.CorpId }).OfType<string>()
            .Where(s => s.Length > 0).Select(s => s.Trim()).ToHashSet(StringComparer.OrdinalIgnoreCase);
}
