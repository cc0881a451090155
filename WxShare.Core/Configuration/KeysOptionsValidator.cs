using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using WxShare.Http;
using WxShare.Platform;

namespace WxShare.Configuration;

/// <summary>Checks <c>Keys__*</c> against the configured accounts; every message names the setting, never a secret.</summary>
internal sealed partial class KeysOptionsValidator(IConfiguration configuration) : IValidateOptions<KeysOptions>
{
    public ValidateOptionsResult Validate(string? name, KeysOptions options)
    {
        var known = KnownAccounts();
        var errors = KeyRing.Validate(options, entry => known.Contains(entry, StringComparer.OrdinalIgnoreCase) || MayNameAuthorizer(entry));
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

    /// <summary>
    /// A platform's authorizers are known from storage at run time, never from settings: with a platform configured, a
    /// key may name one by its appId (wx and 16 hex digits) or its account name (<c>&lt;platform&gt;/&lt;appid&gt;</c>).
    /// </summary>
    private bool MayNameAuthorizer(string entry)
    {
        var platforms = new PlatformsOptions();
        platforms.Load(configuration);
        if (platforms.Platforms.Count == 0)
            return false;
        var slash = entry.IndexOf('/');
        return AuthorizerAppId().IsMatch(entry[(slash + 1)..]) && (slash < 0 || platforms.Find(entry[..slash]) is not null);
    }

    [GeneratedRegex("^wx[0-9a-fA-F]{16}$")]
    private static partial Regex AuthorizerAppId();
}
