using System.Globalization;

namespace WxShare.Signing;

/// <summary>An account's domains, whose pages WxShare signs for and whose origins get a CORS grant; subdomains included.</summary>
public sealed class AllowedDomains
{
    private static readonly IdnMapping Idn = new();
    private readonly string[] _domains;

    /// <param name="entries">The setting's entries, as <see cref="Split"/> gives them.</param>
    public AllowedDomains(IReadOnlyList<string> entries)
    {
        _domains = entries.Where(IsBareDomain).Select(Normalize).ToArray();
        Display = string.Join(", ", entries);
    }

    public string Display { get; }

    /// <summary>A comma-separated setting's entries.</summary>
    public static IReadOnlyList<string> Split(string? setting) =>
        (setting ?? "").Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <param name="host">A host as <see cref="Uri.IdnHost"/> gives it.</param>
    public bool Allows(string host)
    {
        // IdnHost is ASCII, so ignoring ASCII case equals lower-casing; spans keep this free of allocations.
        var normalized = host.AsSpan().TrimEnd('.');
        foreach (var domain in _domains)
            if (normalized.Equals(domain, StringComparison.OrdinalIgnoreCase)
                || (normalized.Length > domain.Length
                    && normalized[normalized.Length - domain.Length - 1] == '.'
                    && normalized.EndsWith(domain, StringComparison.OrdinalIgnoreCase)))
                return true;
        return false;
    }

    public static bool IsBareDomain(string value) =>
        Uri.CheckHostName(value) is UriHostNameType.Dns or UriHostNameType.IPv4 && !value.Contains(':');

    private static string Normalize(string domain) => Idn.GetAscii(domain.TrimEnd('.')).ToLowerInvariant();
}
