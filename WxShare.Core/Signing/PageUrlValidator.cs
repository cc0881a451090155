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
    // jQuery's cache buster is harmless beside the url; appId (and agentId for WeCom apps) chooses the account.
    private static readonly string[] ToleratedParameters = [Parameter, "_", AccountSelector.AppIdParameter, AccountSelector.AgentIdParameter];

    public PageUrlCheck Check(IQueryCollection query)
    {
        var raw = query[Parameter].ToString();
        if (string.IsNullOrWhiteSpace(raw))
            return Reject(Refusal.Invalid("url_missing", $"The query parameter 'url' is missing or empty. {EncodeHint}"));
        if (query[Parameter].Count > 1)
            return Reject(Refusal.Invalid("url_repeated", $"The query parameter 'url' appears more than once. {EncodeHint}"));

        // Only 'url' is the common case: no look at the keys, no allocation.
        if (query.Count > 1 && UnexpectedParameters(query) is { Length: > 0 } extra)
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
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.IdnHost.Length == 0)
            return Reject(LooksEncodedTwice(url)
                ? Refusal.Invalid("url_encoded_twice",
                    $"The page URL is still percent-encoded after decoding once ('{Excerpt(url)}'): encode it exactly once. {EncodeHint}")
                : Refusal.Invalid("url_invalid",
                    $"The page URL '{Excerpt(url)}' is not an absolute http or https URL. {EncodeHint}"));

        return new PageUrlCheck(url, null, uri);
    }

    private static string[] UnexpectedParameters(IQueryCollection query) =>
        query.Keys.Where(k => !ToleratedParameters.Contains(k, StringComparer.OrdinalIgnoreCase)).ToArray();

    private static bool HasWhiteSpaceOrControl(string url)
    {
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

/// <param name="Page">The URL parsed, for choosing the account by its host.</param>
public sealed record PageUrlCheck(string? Url, Refusal? Rejection, Uri? Page = null);
