using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using WxShare.Configuration;

namespace WxShare.Http;

/// <summary>
/// The named keys of <c>Relay__Keys</c>, checked in constant time. Errors name an entry by its position and name,
/// never by its key, because the key is a secret.
/// </summary>
public sealed partial class AccessKeys
{
    public const int MinimumKeyLength = 32;
    private static readonly string Setting = SettingName.Of(RelayOptions.Section, nameof(RelayOptions.Keys));
    private readonly IReadOnlyList<(string Name, byte[] Hash)> _keys;

    public AccessKeys(IOptions<RelayOptions> options)
    {
        // Validated on start, so the setting parses.
        Parse(options.Value.Keys, out var keys);
        _keys = keys.Select(k => (k.Name, Hash(k.Key))).ToArray();
    }

    public bool IsEmpty => _keys.Count == 0;

    /// <returns>The name of the key that matches, or null. Every key is compared, each in constant time over its hash.</returns>
    public string? NameOf(string presented)
    {
        var hash = Hash(presented);
        string? match = null;
        foreach (var (name, keyHash) in _keys)
            if (CryptographicOperations.FixedTimeEquals(hash, keyHash))
                match ??= name;
        return match;
    }

    /// <returns>What is wrong with the setting, each message naming Relay__Keys; empty when it is valid (or unset).</returns>
    public static IReadOnlyList<string> Parse(string? setting, out IReadOnlyList<(string Name, string Key)> keys)
    {
        var errors = new List<string>();
        var parsed = new List<(string Name, string Key)>();
        var entries = (setting ?? "").Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var i = 0; i < entries.Length; i++)
        {
            var at = entries[i].IndexOf('=');
            var name = at < 0 ? "" : entries[i][..at].Trim();
            var key = at < 0 ? "" : entries[i][(at + 1)..].Trim();
            var entry = $"{Setting} entry {i + 1}" + (NamePattern().IsMatch(name) ? $" ('{name}')" : "");
            if (at < 0)
                errors.Add($"{entry} is not name=key: write the pairs as name=key;name2=key2.");
            else if (!NamePattern().IsMatch(name))
                errors.Add($"{entry}: a key's name is 1-40 letters, digits, '-' or '_' (it names the caller in the log).");
            else if (key.Length < MinimumKeyLength || key.Any(char.IsWhiteSpace))
                errors.Add($"{entry}: the key must be at least {MinimumKeyLength} characters without spaces (e.g. from 'openssl rand -base64 32').");
            else
                parsed.Add((name, key));
        }
        foreach (var clash in parsed.GroupBy(k => k.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            errors.Add($"{Setting} names '{clash.Key}' more than once: give each caller its own name.");
        foreach (var clash in parsed.GroupBy(k => k.Key, StringComparer.Ordinal).Where(g => g.Count() > 1))
            errors.Add($"{Setting} gives {string.Join(" and ", clash.Select(k => $"'{k.Name}'"))} the same key: give each caller its own, so the log can tell them apart.");
        keys = parsed;
        return errors;
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    [GeneratedRegex("^[A-Za-z0-9_-]{1,40}$")]
    private static partial Regex NamePattern();
}
