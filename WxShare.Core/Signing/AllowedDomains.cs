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
        var normalized = host.TrimEnd('.').ToLowerInvariant();
        return _domains.Any(d => normalized == d || normalized.EndsWith("." + d, StringComparison.Ordinal));
    }

    public static bool IsBareDomain(string value) =>
        Uri.CheckHostName(value) is UriHostNameType.Dns or UriHostNameType.IPv4 && !value.Contains(':');

    private static string Normalize(string domain) => Idn.GetAscii(domain.TrimEnd('.')).ToLowerInvariant();
}
