using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using WxShare.Accounts;

namespace WxShare.Signing;

/// <summary>
/// What the config route reads from its query: <c>url</c>, <c>appId</c> and <c>agentId</c>, and the names of any other
/// parameter (jQuery's <c>_</c> cache buster aside). Values are decoded once, exactly as ASP.NET Core's query collection
/// decodes them.
/// </summary>
/// <param name="Others">Names that are none of those (usually the page URL's own query, not percent-encoded).</param>
public readonly record struct ConfigQuery(StringValues Url, StringValues AppId, StringValues AgentId, IReadOnlyList<string> Others)
{
    public const string CacheBuster = "_";

    /// <summary>
    /// The request's query. The common query (each of <c>url</c>, <c>appId</c>, <c>agentId</c>, <c>_</c> at most once,
    /// names plainly written) is read in one pass over the raw string with ASP.NET Core's own
    /// <see cref="QueryStringEnumerable"/> and value decoding; anything else goes through <see cref="HttpRequest.Query"/>,
    /// so every unusual query is judged as before. Building the query collection (a dictionary and every value decoded)
    /// was a fifth of the signing handler's time (docs/performance.md).
    /// </summary>
    public static ConfigQuery Of(HttpRequest request) =>
        TryReadPlain(request.QueryString.Value, out var query) ? query : Of(request.Query);

    public static ConfigQuery Of(IQueryCollection query)
    {
        List<string>? others = null;
        foreach (var name in query.Keys)
            if (!IsOwn(name))
                (others ??= []).Add(name);
        return new ConfigQuery(query[PageUrlValidator.Parameter], query[AccountQuery.AppIdParameter], query[AccountQuery.AgentIdParameter],
            others ?? (IReadOnlyList<string>)[]);
    }

    /// <returns>False where the query is not the common form; then <see cref="Of(IQueryCollection)"/> reads it.</returns>
    internal static bool TryReadPlain(string? queryString, out ConfigQuery query)
    {
        query = default;
        string? url = null, appId = null, agentId = null;
        var cacheBuster = false;
        foreach (var pair in new QueryStringEnumerable(queryString))
        {
            var name = pair.EncodedName.Span;
            // An encoded name ('%', '+') is decoded by the collection; left to it, as are empty and repeated names.
            if (name.IsEmpty || name.ContainsAny('%', '+'))
                return false;
            if (name.Equals(PageUrlValidator.Parameter, StringComparison.OrdinalIgnoreCase))
            {
                if (url is not null)
                    return false;
                url = Decode(pair.EncodedValue.Span);
            }
            else if (name.Equals(AccountQuery.AppIdParameter, StringComparison.OrdinalIgnoreCase))
            {
                if (appId is not null)
                    return false;
                appId = Decode(pair.EncodedValue.Span);
            }
            else if (name.Equals(AccountQuery.AgentIdParameter, StringComparison.OrdinalIgnoreCase))
            {
                if (agentId is not null)
                    return false;
                agentId = Decode(pair.EncodedValue.Span);
            }
            else if (name.SequenceEqual(CacheBuster) && !cacheBuster)
                cacheBuster = true;
            else
                return false;
        }
        query = new ConfigQuery(url, appId, agentId, []);
        return true;
    }

    private const int StackDecodeChars = 512;

    /// <summary>
    /// What <see cref="QueryStringEnumerable.EncodedNameValuePair.DecodeValue"/> gives ('+' a space, then percent-decoded
    /// once), as a string, decoded in a buffer on the stack instead of a new array per value.
    /// </summary>
    private static string Decode(ReadOnlySpan<char> encoded)
    {
        if (!encoded.ContainsAny('%', '+'))
            return encoded.ToString();
        char[]? rented = null;
        var buffer = encoded.Length <= StackDecodeChars ? stackalloc char[encoded.Length] : (rented = ArrayPool<char>.Shared.Rent(encoded.Length));
        try
        {
            buffer = buffer[..encoded.Length];
            encoded.Replace(buffer, '+', ' ');
            // Decoding only shrinks, so in place is safe (as ASP.NET Core does it).
            return Uri.TryUnescapeDataString(buffer, buffer, out var length) ? new string(buffer[..length])
                : throw new InvalidOperationException("Percent-decoding failed in place."); // unreachable: the destination is as long as the source
        }
        finally
        {
            if (rented is not null)
                ArrayPool<char>.Shared.Return(rented);
        }
    }

    private static bool IsOwn(string name) =>
        name.Equals(PageUrlValidator.Parameter, StringComparison.OrdinalIgnoreCase)
        || name.Equals(AccountQuery.AppIdParameter, StringComparison.OrdinalIgnoreCase)
        || name.Equals(AccountQuery.AgentIdParameter, StringComparison.OrdinalIgnoreCase)
        || name == CacheBuster;
}
