using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using WxShare.Configuration;

namespace WxShare.Http;

/// <summary>
/// The keys of <c>Keys__*</c>, each held as the SHA-256 of its Secret (and NextSecret while it rotates). A presented
/// secret is hashed and compared with every hash in constant time, so neither a match's position nor a common
/// prefix shows in the timing.
/// </summary>
public sealed partial class KeyRing
{
    public const int MinimumSecretLength = 32;
    private readonly IReadOnlyList<(ApiKey Key, byte[] Hash)> _secrets;

    public KeyRing(IOptions<KeysOptions> options)
    {
        // Validated at start-up, so every key has a secret and known routes.
        _secrets = options.Value.Keys.SelectMany(settings =>
        {
            var key = ToKey(settings);
            return new[] { settings.Secret, settings.NextSecret }.Where(s => !string.IsNullOrWhiteSpace(s))
                .Select(s => (key, Hash(s!.Trim())));
        }).ToArray();
    }

    public bool IsEmpty => _secrets.Count == 0;

    /// <returns>The key whose Secret or NextSecret this is, or null.</returns>
    public ApiKey? Find(string presented)
    {
        var hash = Hash(presented);
        ApiKey? match = null;
        foreach (var (key, secretHash) in _secrets)
            if (CryptographicOperations.FixedTimeEquals(hash, secretHash))
                match ??= key;
        return match;
    }

    /// <returns>What is wrong with the keys, each naming its setting and never showing a secret; empty when valid.</returns>
    /// <param name="isKnownAccount">Whether a key's Accounts may name this: an account's name or appId (or corpId), or a platform's authorizer.</param>
    public static IReadOnlyList<string> Validate(KeysOptions options, Func<string, bool> isKnownAccount)
    {
        var errors = new List<string>();
        if (options.RetiredSettingIsSet)
            errors.Add($"{KeysOptions.RetiredSetting} is no longer read: give each caller its own key as Keys__<name>__Secret "
                + "(at least 32 characters), Keys__<name>__Accounts (account names or appIds, or *) and Keys__<name>__Routes "
                + $"({string.Join(", ", KeyRoutes.All)} or *), sent as 'Authorization: Bearer <secret>'; then remove {KeysOptions.RetiredSetting}.");
        foreach (var key in options.Keys)
        {
            if (!NamePattern().IsMatch(key.Name))
            {
                errors.Add($"Keys__{key.Name}: a key's name is 1-40 letters, digits, '-' or '_' (it names the caller in the log).");
                continue;
            }
            CheckSecret(key, nameof(KeySettings.Secret), key.Secret, required: true, errors);
            CheckSecret(key, nameof(KeySettings.NextSecret), key.NextSecret, required: false, errors);
            if (Listed(key.Routes) is not { } routes)
                errors.Add($"{key.SettingName(nameof(KeySettings.Routes))} is missing: list what the key may call ({string.Join(", ", KeyRoutes.All)}), or * for all.");
            else if (routes.Where(r => r != KeyRoutes.Any && !KeyRoutes.All.Contains(r, StringComparer.OrdinalIgnoreCase)).ToArray() is [_, ..] unknownRoutes)
                errors.Add($"{key.SettingName(nameof(KeySettings.Routes))} names {string.Join(", ", unknownRoutes.Select(r => $"'{r}'"))}: the routes are {string.Join(", ", KeyRoutes.All)}, or *.");
            if (Listed(key.Accounts) is not { } accounts)
                errors.Add($"{key.SettingName(nameof(KeySettings.Accounts))} is missing: list the account names or appIds the key may reach, or * for all.");
            else if (accounts.Where(a => a != KeyRoutes.Any && !isKnownAccount(a)).ToArray() is [_, ..] unknownAccounts)
                errors.Add($"{key.SettingName(nameof(KeySettings.Accounts))} names {string.Join(", ", unknownAccounts.Select(a => $"'{a}'"))}, which no account here has as its name or appId"
                           + " (with a platform configured, an authorizer's appId is wx and 16 hex digits).");
        }
        var secrets = options.Keys.SelectMany(k => new[] { (k.Name, Secret: k.Secret?.Trim()), (k.Name, Secret: k.NextSecret?.Trim()) })
            .Where(s => !string.IsNullOrEmpty(s.Secret));
        foreach (var shared in secrets.GroupBy(s => s.Secret, StringComparer.Ordinal).Where(g => g.Select(s => s.Name).Distinct().Count() > 1))
            errors.Add($"Keys {string.Join(" and ", shared.Select(s => $"'{s.Name}'").Distinct())} share a secret: give each caller its own, so the log can tell them apart.");
        return errors;
    }

    private static void CheckSecret(KeySettings key, string setting, string? secret, bool required, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(secret))
        {
            if (required)
                errors.Add($"{key.SettingName(setting)} is missing: set a random secret of at least {MinimumSecretLength} characters (e.g. from 'openssl rand -base64 32'), in Azure a Key Vault reference.");
            return;
        }
        var trimmed = secret.Trim();
        if (trimmed.Length < MinimumSecretLength || trimmed.Any(char.IsWhiteSpace))
            errors.Add($"{key.SettingName(setting)} is too short or has spaces: a secret is at least {MinimumSecretLength} characters without spaces (e.g. from 'openssl rand -base64 32').");
        else if (trimmed.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase))
            errors.Add($"{key.SettingName(setting)} is a Key Vault reference that Azure did not resolve: give the app's identity 'get' on the vault's secrets (infra/ does).");
    }

    private static ApiKey ToKey(KeySettings settings) => new(settings.Name, AllOrSet(settings.Routes), AllOrSet(settings.Accounts));

    private static IReadOnlySet<string>? AllOrSet(string? listed) =>
        Listed(listed) is { } items && !items.Contains(KeyRoutes.Any) ? items.ToHashSet(StringComparer.OrdinalIgnoreCase) : null;

    private static string[]? Listed(string? value) =>
        (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is [_, ..] items ? items : null;

    private static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    [GeneratedRegex("^[A-Za-z0-9_-]{1,40}$")]
    private static partial Regex NamePattern();
}
