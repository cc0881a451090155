using System.Net;
using System.Text.RegularExpressions;

namespace WxShare.Errors;

/// <summary>What an errmsg names besides its text: the rid of the call and the caller IP the service saw.</summary>
public static partial class ApiErrorText
{
    /// <summary>WeChat's request id, the errmsg's <c> rid: XXXXXXXX-XXXXXXXX-XXXXXXXX</c> suffix (the key of openapi/rid/get); null when absent.</summary>
    public static string? Rid(string? errorMessage) =>
        errorMessage is not null && RidPattern().Match(errorMessage) is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>
    /// The caller IP in an IP-whitelist errmsg, as the service saw it (the address to whitelist): WeChat's 40164
    /// <c>invalid ip A ipv6 ::ffff:A, not in whitelist</c> (also seen without the ipv6 part), WeCom's
    /// <c>from ip: A</c>, the platform's <c>requestIP: A</c>. An IPv4-mapped IPv6 form is given as IPv4.
    /// </summary>
    public static IPAddress? CallerIp(string? errorMessage)
    {
        if (errorMessage is null)
            return null;
        if (NotInWhitelistPattern().Match(errorMessage) is { Success: true } m)
            return AddressOf(m.Groups[1].Value) ?? AddressOf(m.Groups[2].Value);
        return FromIpPattern().Match(errorMessage) is { Success: true } from ? AddressOf(from.Groups[1].Value) : null;
    }

    private static IPAddress? AddressOf(string text) =>
        IPAddress.TryParse(text, out var ip) ? (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip) : null;

    [GeneratedRegex(@"\brid: ([0-9A-Za-z-]+)")]
    private static partial Regex RidPattern();

    // The facts' regex, `invalid ip (\S+) ipv6 (\S+), not in whitelist`, with the ipv6 part optional and no comma taken into an address.
    [GeneratedRegex(@"invalid ip ([^\s,]+)(?: ipv6 ([^\s,]+))?, not in whitelist")]
    private static partial Regex NotInWhitelistPattern();

    [GeneratedRegex(@"(?:from ip|requestIP): ?([^\s,]+)", RegexOptions.IgnoreCase)]
    private static partial Regex FromIpPattern();
}
