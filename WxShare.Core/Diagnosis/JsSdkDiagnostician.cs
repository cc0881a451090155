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
public sealed partial class JsSdkDiagnostician(AccountSelector selector)
{
    public const string Error = "error";
    public const string Warning = "warning";
    public const string Info = "info";
    public const string MaskedTicket = "***";
    /// <summary>A config is signed when the page loads and used at once; further off means it was cached, or a clock is wrong.</summary>
    public static readonly TimeSpan TimestampTolerance = TimeSpan.FromMinutes(10);
    private const string SignHint = "Sign location.href.split('#')[0], sent as url=encodeURIComponent(...).";

    /// <summary>The account whose tickets the diagnosis needs: the one that would sign the page, else the one its appId (and agentId) names.</summary>
    public Account? AccountFor(DiagnosisInput input) =>
        Examine(input.Url).Page is { } page ? Select(input, page).Account ?? Named(input) : null;

    /// <summary>The other official accounts whose domains hold the page's host: a page may have signed with one of their tickets.</summary>
    public IEnumerable<Account> OtherSignersOf(DiagnosisInput input, Account account, IEnumerable<Account> accounts) =>
        Examine(input.Url).Page is { } page
            ? accounts.Where(a => a.StorageKey != account.StorageKey && a.Kind == AccountKind.Mp && a.AllowedDomains.Allows(page.IdnHost))
            : [];

    public JsSdkDiagnosis Diagnose(DiagnosisInput input, JsapiTickets tickets, DateTimeOffset now)
    {
        var findings = new List<DiagnosisFinding>();
        var url = Examine(input.Url, findings);
        Account? account = null;
        var domainAllowed = false;
        if (url.Page is { } page)
        {
            var selection = Select(input, page);
            account = selection.Account;
            domainAllowed = account is not null;
            if (selection.Rejection is { } rejected)
                findings.Add(new(rejected.Error.Error, Error, rejected.Error.Message));
            // Named but refused for this host: still say whose domains to fix, and check the signature against its tickets.
            account ??= Named(input);
        }
        var weCom = account?.Kind == AccountKind.WeCom;

        var timestamp = CheckTimestamp(input.Timestamp, now, findings);
        var nonce = CheckNonce(input.NonceStr, findings);
        // Why no ticket is stored, with what to do about it, when the last refresh failed.
        var why = tickets.LastFailure ?? "See the refresh's log and /api/health.";
        if (domainAllowed && tickets is { Known: true, Current: null })
            findings.Add(new("ticket_unavailable", Error, (weCom
                ? "No valid corp ticket (wx.config) is stored for this app, so the config route answers 503. "
                : "No valid jsapi_ticket is stored for this account, so the config route answers 503. ") + why));
        if (domainAllowed && weCom && tickets is { Known: true, AgentCurrent: null })
            findings.Add(new("ticket_unavailable", Error,
                "No valid agent ticket (wx.agentConfig) is stored for this app, so the config route answers 503. " + why));

        // The config route's own choice of timestamp and nonce when the page gave none, so the string is what it would sign now.
        var signedTimestamp = timestamp ?? now.ToUnixTimeSeconds();
        var signedNonce = nonce ?? JsSdkSignature.NewNonce();
        var stringToSign = url.Signed is { } signedUrl ? JsSdkSignature.StringToSign(MaskedTicket, signedNonce, signedTimestamp, signedUrl) : null;
        var verdict = CheckSignature(input, url, account, account is null ? null : tickets, timestamp, nonce, now, findings);

        // A WeCom page signs wx.agentConfig too, with the agent ticket; the config route gives it a nonce of its own.
        DiagnosedAgentConfig? agentConfig = null;
        if (weCom)
        {
            var agentNonce = nonce ?? JsSdkSignature.NewNonce();
            agentConfig = new DiagnosedAgentConfig(account!.AppId, account.AgentId!, signedTimestamp, agentNonce,
                url.Signed is { } agentUrl ? JsSdkSignature.StringToSign(MaskedTicket, agentNonce, signedTimestamp, agentUrl) : null);
        }

        return new JsSdkDiagnosis(input.Url, url.Signed,
            account is null ? null : new DiagnosedAccount(account.Name, account.AppId, account.AllowedDomains.Display, account.AgentId),
            domainAllowed, signedTimestamp, signedNonce, stringToSign, findings, verdict, agentConfig);
    }

    /// <summary>The one account that appId and agentId name, whatever the page's host: the lookup of the operator routes.</summary>
    private Account? Named(DiagnosisInput input) =>
        AccountQuery.TryParse(input.AppId, input.AgentId, out var names) is null && names is not { AppId: null, AgentId: null }
            ? selector.Select(names, AccountUse.Operator).Account
            : null;

    /// <summary>The config route's own choice, from the same names.</summary>
    private AccountSelection Select(DiagnosisInput input, Uri page) =>
        AccountQuery.TryParse(input.AppId, input.AgentId, out var names) is { } malformed
            ? new AccountSelection(null, malformed)
            : selector.Select(names, AccountUse.Page(page));

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

    /// <summary>A stored ticket a signature may have been made with, and what it is.</summary>
    /// <param name="Kind"><see cref="JsapiKind"/> (an official account's), <see cref="CorpKind"/> or <see cref="AgentKind"/> (a WeCom app's).</param>
    /// <param name="ReplacedBy">For a previous ticket: the one that replaced it.</param>
    /// <param name="OtherAgentId">Another app of the corp, when the ticket is that app's.</param>
    private sealed record StoredTicket(IssuedCredential Ticket, string Kind, bool IsPrevious, IssuedCredential? ReplacedBy, string? OtherAgentId);

    private const string JsapiKind = "jsapi";
    private const string CorpKind = "corp";
    private const string AgentKind = "agent";

    /// <summary>
    /// The tickets to try, most likely first: the call's own ticket, then the other one (the classic mix-up), then the
    /// corp's other apps' (a page that asked for another app's config). A previous ticket only while it is still valid.
    /// </summary>
    private static IEnumerable<StoredTicket> Candidates(JsapiTickets tickets, bool weCom, SignedCall call, DateTimeOffset now)
    {
        if (!weCom)
            return Pair(tickets.Current, tickets.Previous, JsapiKind, null);
        var kinds = call == SignedCall.AgentConfig ? new[] { AgentKind, CorpKind } : [CorpKind, AgentKind];
        return new[] { (AgentId: (string?)null, Tickets: tickets) }
            .Concat(tickets.OtherApps.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => (AgentId: (string?)o.Key, Tickets: o.Value)))
            .SelectMany(app => kinds.SelectMany(kind => kind == CorpKind
                ? Pair(app.Tickets.Current, app.Tickets.Previous, CorpKind, app.AgentId)
                : Pair(app.Tickets.AgentCurrent, app.Tickets.AgentPrevious, AgentKind, app.AgentId)));

        IEnumerable<StoredTicket> Pair(IssuedCredential? current, IssuedCredential? previous, string kind, string? otherAgentId)
        {
            if (current is not null)
                yield return new StoredTicket(current, kind, false, null, otherAgentId);
            if (previous is not null && previous.IsValidAt(now))
                yield return new StoredTicket(previous, kind, true, current, otherAgentId);
        }
    }

    /// <param name="tickets">Null when no account would sign the page.</param>
    private static SignatureVerdict? CheckSignature(DiagnosisInput input, ExaminedUrl url, Account? account, JsapiTickets? tickets, long? timestamp,
        string? nonce, DateTimeOffset now, List<DiagnosisFinding> findings)
    {
        if (string.IsNullOrWhiteSpace(input.Signature))
            return null;
        var weCom = account?.Kind == AccountKind.WeCom;
        var call = input.SignatureOf;
        // WeCom pages sign two calls, each with its own ticket: every verdict says which call it checked.
        var signatureOf = weCom || call == SignedCall.AgentConfig ? SignedCallNames.Of(call) : null;
        SignatureVerdict Verdict(string given, string match, string? matchedUrl, string meaning) =>
            new(given, match, matchedUrl, meaning) { SignatureOf = signatureOf };

        var given = input.Signature.Trim();
        if (!Sha1Hex().IsMatch(given))
        {
            findings.Add(new("signature_invalid", Error, $"The signature '{Excerpt(given)}' is not 40 hexadecimal characters (a SHA-1)."));
            return Verdict(Excerpt(given), "not_checked", null, "Not a SHA-1, so no ticket can have made it.");
        }
        if (timestamp is null || nonce is null || url.Signed is null)
            return Verdict(given, "not_checked", null,
                "Checking a signature needs the page's URL, timestamp and nonceStr exactly as its wx.config had them.");
        if (tickets is null)
            return Verdict(given, "not_checked", null, "No configured account would sign this page, so no ticket of ours made this signature.");
        if (!weCom && call == SignedCall.AgentConfig)
            return Verdict(given, "not_checked", null,
                $"wx.agentConfig is WeCom's: account {account!.Name} is an official account, whose pages sign wx.config only. Check the signature "
                + "with signatureOf=config, or name the WeCom app with appId (its CorpId) and agentId.");
        if (!tickets.Known)
            return Verdict(given, "not_checked", null, "The credential store could not be read, so the signature was not checked.");
        if ((tickets.Current ?? tickets.Previous ?? (weCom ? tickets.AgentCurrent ?? tickets.AgentPrevious : null)) is null)
            return Verdict(given, "not_checked", null, weCom ? "No corp or agent ticket is stored for this app yet." : "No jsapi_ticket is stored for this account yet.");

        var candidates = Candidates(tickets, weCom, call, now).ToArray();
        foreach (var (candidate, mistake) in new[] { (url.Signed, (string?)null) }.Concat(url.Variants.Select(v => (v.Url, (string?)v.Mistake))))
            foreach (var stored in candidates)
                if (string.Equals(JsSdkSignature.Compute(stored.Ticket.Value, nonce, timestamp.Value, candidate), given, StringComparison.OrdinalIgnoreCase))
                    return Verdict(given, stored.IsPrevious ? "previous" : "current", mistake is null ? null : candidate,
                        Meaning(stored, account!, call, candidate, url.Signed, mistake, findings)) with
                    {
                        Ticket = weCom ? stored.Kind : null,
                        OtherAppAgentId = stored.OtherAgentId,
                    };

        if (!weCom && OtherAccountMatch(tickets, nonce, timestamp.Value, url.Signed, given, now) is ({ } other, { } otherTicket, var previous))
        {
            var age = previous ? "previous" : "current";
            findings.Add(new("signed_for_other_account", Error,
                $"The signature was made with the {age} jsapi_ticket of another account here, appId '{other.AppId}' ({other.Name}), whose domains also hold "
                + $"this host, and not with that of appId '{account!.AppId}', which this wx.config names. WeChat checks it against the ticket of the appId in "
                + $"wx.config, so it answers invalid signature. The config route was asked for '{other.AppId}' (or chose it by the host) while wx.config "
                + $"was given '{account.AppId}': pass wx.config the appId of the config route's own answer, or ask the config route with appId={account.AppId}."));
            return Verdict(given, "other_account", null,
                $"Made with the {age} jsapi_ticket of appId '{other.AppId}' (valid until {otherTicket.ExpiresAt:u}), not of '{account.AppId}': "
                + "see the finding signed_for_other_account.") with { OtherAccountAppId = other.AppId };
        }
        if (!weCom)
        {
            findings.Add(new("signature_mismatch", Error, "The signature matches no stored jsapi_ticket for this URL, timestamp and nonceStr."));
            return Verdict(given, "none", null,
                "Made with neither the current nor the previous jsapi_ticket for this URL (nor its usual mistaken variants). Either the page signed "
                + "another URL than this one (compare it byte for byte), wx.config got other timestamp or nonceStr values than were signed, or another "
                + "service signed it with a ticket of its own for this appId (then it also fetches tokens, which invalidate each other's), or with "
                + "the wx_card ticket instead of the jsapi one.");
        }
        var whose = tickets.OtherApps.Count > 0 ? "this app's or the corp's other apps'" : "this app's";
        findings.Add(new("signature_mismatch", Error, $"The signature matches none of {whose} stored corp and agent tickets for this URL, timestamp and nonceStr."));
        return Verdict(given, "none", null,
            $"Made with none of {whose} stored tickets (corp and agent, current and previous) for this URL (nor its usual mistaken variants). Either "
            + $"the page signed another URL than this one (compare it byte for byte), {CallName(call)} got other timestamp or nonceStr values than "
            + "were signed (the config route gives wx.config and wx.agentConfig a nonceStr each: pass each call its own), or another service "
            + "signed it with tickets of its own for this corp.");
    }

    /// <summary>The other account (<see cref="JsapiTickets.OtherAccounts"/>) whose current or still-valid previous jsapi_ticket made the signature for this URL.</summary>
    private static (Account Account, IssuedCredential Ticket, bool Previous)? OtherAccountMatch(JsapiTickets tickets, string nonce, long timestamp, string url,
        string given, DateTimeOffset now)
    {
        foreach (var other in tickets.OtherAccounts)
            foreach (var (ticket, previous) in new[] { (other.Tickets.Current, false), (other.Tickets.Previous, true) })
                if (ticket is not null && (!previous || ticket.IsValidAt(now))
                    && string.Equals(JsSdkSignature.Compute(ticket.Value, nonce, timestamp, url), given, StringComparison.OrdinalIgnoreCase))
                    return (other.Account, ticket, previous);
        return null;
    }

    /// <summary>What a match means; a WeCom mix-up of tickets or apps also becomes a finding that says what to do.</summary>
    private static string Meaning(StoredTicket stored, Account account, SignedCall call, string candidate, string signedUrl, string? mistake,
        List<DiagnosisFinding> findings)
    {
        var age = stored.IsPrevious ? "previous" : "current";
        if (stored.Kind == JsapiKind || (stored.OtherAgentId is null && stored.Kind == RightKind(call)))
        {
            var (ticketName, service) = stored.Kind == JsapiKind ? ("jsapi_ticket", "WeChat") : (stored.Kind + " ticket", "WeCom");
            if (stored.IsPrevious)
                return $"Made with the previous {ticketName}, replaced at {stored.ReplacedBy?.FetchedAt:u} and valid until {stored.Ticket.ExpiresAt:u}"
                       + (mistake is null ? "" : $", and for '{Excerpt(candidate)}' ({mistake})")
                       + ". The config was signed before the last refresh and reused: a cached config response (CDN, service worker, page state) "
                       + "or a signer holding an old ticket. Fetch the config on every page load; the config route sends Cache-Control: no-store.";
            return mistake is null
                ? $"Made with the current {ticketName} for this URL, timestamp and nonceStr: the signing is right. If {service} still says invalid "
                  + "signature, it checked another URL (iOS checks the URL a single-page app was first loaded with, Android the current one) "
                  + $"or {CallName(call)} got other {(call == SignedCall.AgentConfig ? "corpid, agentid" : "appId")}, timestamp or nonceStr values than these."
                : $"Made with the current {ticketName}, but for '{Excerpt(candidate)}' rather than '{Excerpt(signedUrl)}': {mistake}.";
        }

        var ofApp = stored.OtherAgentId is null ? "" : $" of app {stored.OtherAgentId}";
        var forUrl = mistake is null ? "" : $", for '{Excerpt(candidate)}' ({mistake})";
        if (stored.Kind == CorpKind && call == SignedCall.Config)
            return $"Made with the {age} corp ticket that app {stored.OtherAgentId} of this corp holds{forUrl}. Each app fetches the corp's ticket with "
                   + "its own token and wx.config carries only the corp's identity, so wx.config may accept it while it is valid (until "
                   + $"{stored.Ticket.ExpiresAt:u}). But the page asked the config route for app {stored.OtherAgentId}, whose agentConfig is signed for "
                   + $"agentid {stored.OtherAgentId}: ask with agentId={account.AgentId}, the agentid this page passes.";
        if (stored.Kind == AgentKind && call == SignedCall.AgentConfig)
        {
            findings.Add(new("agent_ticket_of_other_app", Error,
                $"wx.agentConfig for agentid {account.AgentId} was signed with the agent ticket of app {stored.OtherAgentId} of the same corp. An agent ticket "
                + "belongs to the app whose Secret fetched it, so WeCom refuses it for another agentid (invalid signature; the facts name 42012 'ticket no "
                + $"available' for an agent ticket of the wrong app). Ask the config route with agentId={account.AgentId}, the agentid the page passes to "
                + "wx.agentConfig (ww.register's agentId)."));
            return $"Made with the {age} agent ticket of app {stored.OtherAgentId}{forUrl}, not of app {account.AgentId}: see the finding agent_ticket_of_other_app.";
        }

        // The classic mix-up: each call signed with the other's ticket.
        var code = call == SignedCall.Config ? "config_signed_with_agent_ticket" : "agent_config_signed_with_corp_ticket";
        findings.Add(new(code, Error, call == SignedCall.Config
            ? "wx.config was signed with an agent ticket (the ticket for wx.agentConfig). wx.config takes the corp ticket (get_jsapi_ticket), so WeCom "
              + "answers 'config:invalid signature'. Pass the config route's top-level timestamp, nonceStr and signature to wx.config (ww.register's "
              + "getConfigSignature) and its agentConfig object to wx.agentConfig (getAgentConfigSignature). If this signature was in fact "
              + "wx.agentConfig's, diagnose it with signatureOf=agentConfig."
            : "wx.agentConfig was signed with the corp ticket (the ticket for wx.config): the classic mix-up that WeCom answers with 'agentConfig:invalid "
              + "signature' and e=40093. wx.agentConfig takes the app's agent ticket (ticket/get?type=agent_config): pass the config route's "
              + "agentConfig object (its own timestamp, nonceStr and signature) to wx.agentConfig, or return it from ww.register's "
              + "getAgentConfigSignature; the top-level signature is wx.config's. If this signature was in fact wx.config's, diagnose it with "
              + "signatureOf=config."));
        return $"Made with the {age} {stored.Kind} ticket{ofApp}{forUrl}, which signs {CallName(call == SignedCall.Config ? SignedCall.AgentConfig : SignedCall.Config)}, "
               + $"not {CallName(call)}: see the finding {code}.";
    }

    private static string RightKind(SignedCall call) => call == SignedCall.AgentConfig ? AgentKind : CorpKind;

    private static string CallName(SignedCall call) => call == SignedCall.AgentConfig ? "wx.agentConfig" : "wx.config";

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
