using Microsoft.AspNetCore.Http;
using WxShare.Accounts;

namespace WxShare.Signing;

/// <summary>
/// Turns the request's <c>url</c> parameter into the exact string to sign. ASP.NET Core's query parsing has already
/// percent-decoded it once, which is the one decoding WeChat expects; it is never decoded again. Whether the host is
/// allowed depends on the account, which <see cref="AccountSelector"/> chooses from the checked URL.
/// </summary>
public sealed class PageUrlValidator
{
    public const int MaxLength = 4096;
    public const string Parameter = "url";
    private const string EncodeHint = "Send it as url=encodeURIComponent(location.href.split('#')[0]).";

    public PageUrlCheck Check(IQueryCollection query) => Check(ConfigQuery.Of(query));

    /// <remarks>jQuery's cache buster is harmless beside the url; appId (and agentId for WeCom apps) chooses the account;
    /// any other parameter is refused (<see cref="ConfigQuery.Others"/>).</remarks>
    public PageUrlCheck Check(ConfigQuery query)
    {
        var raw = query.Url.ToString();
        if (string.IsNullOrWhiteSpace(raw))
            return Reject(Refusal.Invalid("url_missing", $"The query parameter 'url' is missing or empty. {EncodeHint}"));
        if (query.Url.Count > 1)
            return Reject(Refusal.Invalid("url_repeated", $"The query parameter 'url' appears more than once. {EncodeHint}"));
        if (query.Others is { Count: > 0 } extra)
            return Reject(Refusal.Invalid("url_not_encoded",
                $"Unexpected query parameter(s) {string.Join(", ", extra.Select(k => $"'{k}'"))}: usually the page URL's own query "
                + $"was not percent-encoded and spilled out of 'url'. {EncodeHint}"));

        var fragmentAt = raw.IndexOf('#');
        var url = fragmentAt >= 0 ? raw[..fragmentAt] : raw;

        if (url.Length > MaxLength)
            return Reject(Refusal.Invalid("url_too_long", $"The page URL has {url.Length} characters; at most {MaxLength} are accepted."));
        if (HasWhiteSpaceOrControl(url))
            return Reject(Refusal.Invalid("url_invalid",
                "The page URL contains white space or control characters; location.href never does. " + EncodeHint));
        if (TryReadPlainHost(url) is { } plainHost)
            return new PageUrlCheck(url, null, new PageHost(plainHost, plainHost));
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.IdnHost.Length == 0)
            return Reject(LooksEncodedTwice(url)
                ? Refusal.Invalid("url_encoded_twice",
                    $"The page URL is still percent-encoded after decoding once ('{Excerpt(url)}'): encode it exactly once. {EncodeHint}")
                : Refusal.Invalid("url_invalid",
                    $"The page URL '{Excerpt(url)}' is not an absolute http or https URL. {EncodeHint}"));

        return new PageUrlCheck(url, null, PageHost.Of(uri));
    }

    private const int MaxLabelLength = 63;
    private static readonly System.Buffers.SearchValues<char> HostCharacters =
        System.Buffers.SearchValues.Create("-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
    private const int MaxHostLength = 253;

    /// <summary>
    /// The host of an http(s) URL whose authority is a plain DNS name (ASCII letters, digits, '-' and inner dots, the
    /// last label starting with a letter, an optional port of digits), the form of nearly every page: read without
    /// building a <see cref="Uri"/>, which took a fifth of the signing handler (docs/performance.md). It is what Uri's
    /// IdnHost would give (a test checks the two agree). Anything else (user info, an IP address, a non-ASCII or
    /// otherwise unusual name, a backslash) returns null and goes through Uri.
    /// </summary>
    internal static string? TryReadPlainHost(string url)
    {
        var start = url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? 8
            : url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? 7 : -1;
        if (start < 0)
            return null;
        var rest = url.AsSpan(start);
        var end = rest.IndexOfAny('/', '?', '#');
        var authority = end < 0 ? rest : rest[..end];
        var colon = authority.IndexOf(':');
        var host = colon < 0 ? authority : authority[..colon];
        if (colon >= 0 && !IsPort(authority[(colon + 1)..]))
            return null;
        // Punycode (xn--) is left to Uri, which checks it.
        if (host.Length is 0 or > MaxHostLength || host.Contains("xn--", StringComparison.OrdinalIgnoreCase))
            return null;
        var lastLabel = ReadOnlySpan<char>.Empty;
        foreach (var range in host.Split('.'))
        {
            var label = host[range];
            if (label.Length is 0 or > MaxLabelLength || label[0] == '-' || label[^1] == '-' || label.ContainsAnyExcept(HostCharacters))
                return null;
            lastLabel = label;
        }
        // The last label starts with a letter: a name, never a number Uri would read as an IPv4 address (127.1, 0x7f.1).
        if (!char.IsAsciiLetter(lastLabel[0]))
            return null;
        return host.ContainsAnyInRange('A', 'Z') ? host.ToString().ToLowerInvariant() : host.ToString();
    }

    private static bool IsPort(ReadOnlySpan<char> port) =>
        port.Length is > 0 and <= 5 && !port.ContainsAnyExceptInRange('0', '9') && int.Parse(port) <= ushort.MaxValue;

    private static bool HasWhiteSpaceOrControl(string url)
    {
        // Printable ASCII, the form of nearly every URL, has neither: one vectorized pass instead of a test per character.
        if (!url.AsSpan().ContainsAnyExceptInRange('!', '~'))
            return false;
        foreach (var c in url)
            if (char.IsWhiteSpace(c) || char.IsControl(c))
                return true;
        return false;
    }

    private static bool LooksEncodedTwice(string url) =>
        url.StartsWith("http%3A", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https%3A", StringComparison.OrdinalIgnoreCase);

    private static string Excerpt(string url) => url.Length <= 80 ? url : url[..80] + "...";

    private static PageUrlCheck Reject(Refusal rejection) => new(null, rejection);
}

/// <param name="Host">The page's host, for choosing the account by it.</param>
public sealed record PageUrlCheck(string? Url, Refusal? Rejection, PageHost? Host = null);
