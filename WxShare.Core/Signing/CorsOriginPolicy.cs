using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using WxShare.Accounts;

namespace WxShare.Signing;

/// <summary>Grants CORS to origins on any configured account's allowed domains, and to no one else.</summary>
public sealed class CorsOriginPolicy(AccountRegistry accounts)
{
    private const string AllowedMethods = "GET, OPTIONS";
    private const string PreflightMaxAgeSeconds = "600";

    /// <summary>Adds the grant for an allowed Origin; returns whether the request's origin (if any) is allowed.</summary>
    public bool Apply(HttpRequest request)
    {
        var response = request.HttpContext.Response;
        response.Headers.Append(HeaderNames.Vary, HeaderNames.Origin);
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
            return true;
        if (!IsAllowed(origin))
            return false;
        response.Headers.AccessControlAllowOrigin = origin;
        return true;
    }

    /// <param name="allowedMethods">The route's methods; the config route's by default.</param>
    public void ApplyPreflight(HttpRequest request, string allowedMethods = AllowedMethods)
    {
        var headers = request.HttpContext.Response.Headers;
        headers.AccessControlAllowMethods = allowedMethods;
        var requestedHeaders = request.Headers.AccessControlRequestHeaders.ToString();
        if (requestedHeaders.Length > 0)
            headers.AccessControlAllowHeaders = requestedHeaders;
        headers.AccessControlMaxAge = PreflightMaxAgeSeconds;
    }

    private bool IsAllowed(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && uri.Scheme is ("http" or "https")
        && accounts.AnyAllows(uri.IdnHost);
}
