using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using WxShare.Accounts;
using WxShare.Signing;
using WxShare.WeChat;

namespace WxShare.Diagnosis;

/// <summary>
/// Explains "config:invalid signature" for one page, without I/O: which account would sign it (chosen exactly as the
/// config route chooses), the string that would be signed, the common mistakes, and which stored ticket, if any, a
/// page's signature was made with. The caller reads the tickets of <see cref="AccountFor"/> and passes them in.
/// </summary>
public sealed partial class JsSdkDiagnostician(AccountSelector selector, AccountRegistry registry)
{
    public const string Error = "error";
    public const string Warning = "warning";
    public const string Info = "info";
    public const string MaskedTicket = "***";
    /// <summary>A config is signed when the page loads and used at once; further off means it was cached, or a clock is wrong.</summary>
    public static readonly TimeSpan TimestampTolerance = TimeSpan.FromMinutes(10);
    private const string SignHint = "Sign location.href.split('#')[0], sent as url=encodeURIComponent(...).";

    /// <summary>The account whose tickets the diagnosis needs: the one that would sign the page, else the one its appId names.</summary>
    public Account? AccountFor(DiagnosisInput input) =>
        Examine(input.Url).Page is { } page ? Select(input.AppId, page).Account ?? Named(input.AppId) : null;

    public JsSdkDiagnosis Diagnose(DiagnosisInput input, JsapiTickets tickets, DateTimeOffset now)
    {
        var findings = new List<DiagnosisFinding>();
        var url = Examine(input.Url, findings);
        Account? account = null;
        var domainAllowed = false;
        if (url.Page is { } page)
        {
            var selection = Select(input.AppId, page);
            account = selection.Account;
            domainAllowed = account is not null;
            if (selection.Rejection is { } rejected)
                findings.Add(new(rejected.Error.Error, Error, rejected.Error.Message));
            // Named but refused for this host: still say whose domains to fix, and check the signature against its tickets.
            account ??= Named(input.AppId);
        }

        var timestamp = CheckTimestamp(input.Timestamp, now, findings);
        var nonce = CheckNonce(input.NonceStr, findings);
        if (domainAllowed && tickets is { Known: true, Current: null })
            findings.Add(new("ticket_unavailable", Error,
                "No valid jsapi_ticket is stored for this account, so the config route answers 503: see the refresh's log and last error."));

        // The config route's own choice of timestamp and nonce when the page gave none, so the string is what it would sign now.
        var signedTimestamp = timestamp ?? now.ToUnixTimeSeconds();
        var signedNonce = nonce ?? JsSdkSignature.NewNonce();
        var stringToSign = url.Signed is { } signedUrl ? JsSdkSignature.StringToSign(MaskedTicket, signedNonce, signedTimestamp, signedUrl) : null;
        var verdict = CheckSignature(input, url, account is null ? null : tickets, timestamp, nonce, now, findings);

        return new JsSdkDiagnosis(input.Url, url.Signed,
            account is null ? null : new DiagnosedAccount(account.Name, account.AppId, account.AllowedDomains.Display),
            domainAllowed, signedTimestamp, signedNonce, stringToSign, findings, verdict);
    }

    private Account? Named(string? appId) => string.IsNullOrWhiteSpace(appId) ? null : registry.FindByAppId(appId.Trim());

    private AccountSelection Select(string? appId, Uri page) =>
        selector.Select(new QueryCollection(string.IsNullOrWhiteSpace(appId)
            ? []
            : new Dictionary<string, StringValues> { [AccountSelector.AppIdParameter] = appId }), page);

    /// <param name="Signed">The URL the config route would sign (for a still-encoded URL: decoded once more).</param>
    /// <param name="Variants">Other strings a signer may have signed by mistake, each with what that mistake is.</param>
    private sealed record ExaminedUrl(string? Signed, Uri? Page, IReadOnlyList<(string Url, string Mistake)> Variants);

    private static ExaminedUrl Examine(string given, List<DiagnosisFinding>? findings = null)
    {
        var variants = new List<(string, string)>();
        var url = given.Trim();
        if (StillEncoded().IsMatch(url))
        {
            var decoded = Uri.UnescapeDataString(url);
            findings?.Add(new("url_still_encoded", Error,
                $"The URL is still percent-encoded ('{Excerpt(url)}'): it was encoded twice, or signed before decoding. The config route refuses it "
                + $"(url_encoded_twice); WeChat compares the decoded URL. Decoded once more it is '{Excerpt(decoded)}', diagnosed below. {SignHint}"));
            variants.Add((url, "the signer signed the still percent-encoded URL"));
            url = decoded;
        }

        var fragmentAt = url.IndexOf('#');
        if (fragmentAt >= 0)
        {
            findings?.Add(new("url_fragment", Warning,
                $"The URL has a fragment ('{Excerpt(url[fragmentAt..])}'). WeChat signs the URL without it, and so does the config route; "
                + $"a page that signs location.href with its '#...' gets invalid signature. {SignHint}"));
            variants.Add((url, "the signer kept the '#...' fragment, which WeChat leaves out"));
            url = url[..fragmentAt];
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var page) || page.Scheme is not ("http" or "https") || page.IdnHost.Length == 0
            || url.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            findings?.Add(new("url_invalid", Error, $"'{Excerpt(url)}' is not an absolute http or https URL, so nothing can be signed. {SignHint}"));
            return new ExaminedUrl(null, null, variants);
        }

        if (page.Query.Contains("&amp;", StringComparison.OrdinalIgnoreCase))
        {
            findings?.Add(new("url_html_escaped", Error,
                "The query contains '&amp;': the URL was copied from HTML-escaped markup (a template's href). The page's location.href has a plain '&', "
                + "and WeChat signs that, so a signature over '&amp;' never matches. Take the URL from location.href."));
            variants.Add((url.Replace("&amp;", "&", StringComparison.OrdinalIgnoreCase), "the signer had the plain '&' where this URL has '&amp;'"));
        }
        else if (page.Query.Contains('&'))
            variants.Add((url.Replace("&", "&amp;", StringComparison.Ordinal), "the signer had an HTML-escaped '&amp;' where the page has '&'"));

        if (page.Scheme == "http")
            findings?.Add(new("url_http", Warning,
                "The URL is http. If the page is really served over https (as most pages in WeChat are), this is the URL as seen behind a "
                + "TLS-terminating proxy, and its signature fails: sign the URL the browser shows, scheme included."));
        var otherScheme = (page.Scheme == "http" ? "https" : "http") + url[page.Scheme.Length..];
        variants.Add((otherScheme, page.Scheme == "http"
            ? "the signer used https where this URL says http"
            : "the signer used http where the page is https: typically a backend behind a TLS-terminating proxy"));
        return new ExaminedUrl(url, page, variants);
    }

    private static long? CheckTimestamp(string? given, DateTimeOffset now, List<DiagnosisFinding> findings)
    {
        if (string.IsNullOrWhiteSpace(given))
            return null;
        if (!long.TryParse(given.Trim(), out var timestamp) || timestamp <= 0)
        {
            findings.Add(new("timestamp_invalid", Error, $"The timestamp '{Excerpt(given)}' is not Unix seconds (a positive whole number)."));
            return null;
        }
        var seconds = now.ToUnixTimeSeconds();
        if (timestamp > 100_000_000_000) // 13 digits: Unix seconds reach that in the year 5138
            findings.Add(new("timestamp_in_milliseconds", Error,
                $"The timestamp {timestamp} is in milliseconds (Date.now()); wx.config and the signature take Unix seconds."));
        else if (Math.Abs(timestamp - seconds) > TimestampTolerance.TotalSeconds)
            findings.Add(new("timestamp_far_from_now", Warning,
                $"The timestamp {timestamp} is {Describe(TimeSpan.FromSeconds(Math.Abs(timestamp - seconds)))} {(timestamp < seconds ? "before" : "after")} this "
                + "server's clock. A config is signed at page load and used at once: an old one was cached (by a CDN, a service worker or the page), "
                + "and a future one means a clock is wrong."));
        return timestamp;
    }

    private static string? CheckNonce(string? given, List<DiagnosisFinding> findings)
    {
        if (string.IsNullOrEmpty(given))
            return null;
        if (!NonceRule().IsMatch(given))
            findings.Add(new("nonce_invalid", Error,
                $"The nonceStr '{Excerpt(given)}' ({given.Length} characters) breaks WeChat's rule: 16 to 32 characters of A-Z, a-z and 0-9."));
        return given;
    }

    /// <param name="tickets">Null when no account would sign the page.</param>
    private static SignatureVerdict? CheckSignature(DiagnosisInput input, ExaminedUrl url, JsapiTickets? tickets, long? timestamp, string? nonce,
        DateTimeOffset now, List<DiagnosisFinding> findings)
    {
        if (string.IsNullOrWhiteSpace(input.Signature))
            return null;
        var given = input.Signature.Trim();
        if (!Sha1Hex().IsMatch(given))
        {
            findings.Add(new("signature_invalid", Error, $"The signature '{Excerpt(given)}' is not 40 hexadecimal characters (a SHA-1)."));
            return new SignatureVerdict(Excerpt(given), "not_checked", null, "Not a SHA-1, so no ticket can have made it.");
        }
        if (timestamp is null || nonce is null || url.Signed is null)
            return new SignatureVerdict(given, "not_checked", null,
                "Checking a signature needs the page's URL, timestamp and nonceStr exactly as its wx.config had them.");
        if (tickets is null)
            return new SignatureVerdict(given, "not_checked", null, "No configured account would sign this page, so no ticket of ours made this signature.");
        if (!tickets.Known)
            return new SignatureVerdict(given, "not_checked", null, "The credential store could not be read, so the signature was not checked.");
        if (tickets.Current is null && tickets.Previous is null)
            return new SignatureVerdict(given, "not_checked", null, "No jsapi_ticket is stored for this account yet.");

        var previous = tickets.Previous is { } p && p.IsValidAt(now) ? p : null;
        foreach (var (candidate, mistake) in new[] { (url.Signed, (string?)null) }.Concat(url.Variants.Select(v => (v.Url, (string?)v.Mistake))))
        {
            if (Matches(tickets.Current, candidate))
                return new SignatureVerdict(given, "current", mistake is null ? null : candidate, mistake is null
                    ? "Made with the current jsapi_ticket for this URL, timestamp and nonceStr: the signing is right. If WeChat still says invalid "
                      + "signature, it checked another URL (iOS checks the URL a single-page app was first loaded with, Android the current one) "
                      + "or wx.config got other appId, timestamp or nonceStr values than these."
                    : $"Made with the current jsapi_ticket, but for '{Excerpt(candidate)}' rather than '{Excerpt(url.Signed)}': {mistake}.");
            if (Matches(previous, candidate))
                return new SignatureVerdict(given, "previous", mistake is null ? null : candidate,
                    $"Made with the previous jsapi_ticket, replaced at {tickets.Current?.FetchedAt:u} and valid until {previous!.ExpiresAt:u}"
                    + (mistake is null ? "" : $", and for '{Excerpt(candidate)}' ({mistake})")
                    + ". The config was signed before the last refresh and reused: a cached config response (CDN, service worker, page state) "
                    + "or a signer holding an old ticket. Fetch the config on every page load; the config route sends Cache-Control: no-store.");
        }
        findings.Add(new("signature_mismatch", Error, "The signature matches no stored jsapi_ticket for this URL, timestamp and nonceStr."));
        return new SignatureVerdict(given, "none", null,
            "Made with neither the current nor the previous jsapi_ticket for this URL (nor its usual mistaken variants). Either the page signed "
            + "another URL than this one (compare it byte for byte), wx.config got other timestamp or nonceStr values than were signed, or another "
            + "service signed it with a ticket of its own for this appId (then it also fetches tokens, which invalidate each other's), or with "
            + "the wx_card ticket instead of the jsapi one.");

        bool Matches(IssuedCredential? ticket, string candidate) =>
            ticket is not null && string.Equals(JsSdkSignature.Compute(ticket.Value, nonce, timestamp.Value, candidate), given, StringComparison.OrdinalIgnoreCase);
    }

    private static string Describe(TimeSpan span) =>
        span.TotalDays >= 2 ? $"{span.TotalDays:0} days" : span.TotalHours >= 2 ? $"{span.TotalHours:0} hours" : $"{span.TotalMinutes:0} minutes";

    private static string Excerpt(string value) => value.Length <= 120 ? value : value[..120] + "...";

    [GeneratedRegex("^https?%3A", RegexOptions.IgnoreCase)]
    private static partial Regex StillEncoded();

    [GeneratedRegex("^[A-Za-z0-9]{16,32}$")]
    private static partial Regex NonceRule();

    [GeneratedRegex("^[0-9A-Fa-f]{40}$")]
    private static partial Regex Sha1Hex();
}
