using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace WxShare.Page;

/// <summary>
/// GET /api/wx-share.js, /api/wx-share.mjs and /api/demo: the page helper and its demo, embedded in WxShare.Core.
/// Hosted by the Functions app and by the standalone host alike; a repeat visit is answered 304 by ETag.
/// </summary>
public sealed class PageAssetEndpoint
{

    private const string JavaScript = "text/javascript; charset=utf-8";
    // Scripts are embedded in other sites' pages: cached for a while, then revalidated by ETag. The demo always revalidates.
    private const string ScriptCaching = "public, max-age=300";

    private static readonly PageAsset Script = PageAsset.Load("wx-share.js", JavaScript, ScriptCaching, crossOrigin: true);
    private static readonly PageAsset Module = PageAsset.Load("wx-share.mjs", JavaScript, ScriptCaching, crossOrigin: true);
    private static readonly PageAsset Demo = PageAsset.Load("demo.html", "text/html; charset=utf-8", "no-cache", crossOrigin: false);

    public IResult ServeScript(HttpRequest request) => Serve(request, Script);

    public IResult ServeModule(HttpRequest request) => Serve(request, Module);

    public IResult ServeDemo(HttpRequest request) => Serve(request, Demo);

    private static Results<FileContentHttpResult, StatusCodeHttpResult> Serve(HttpRequest request, PageAsset asset)
    {
        var headers = request.HttpContext.Response.Headers;
        headers.ETag = asset.ETag.ToString();
        headers.CacheControl = asset.CacheControl;
        headers.XContentTypeOptions = "nosniff";
        if (asset.CrossOrigin)
            headers.AccessControlAllowOrigin = "*";

        if (Matches(request.Headers.IfNoneMatch, asset.ETag))
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.Bytes(asset.Content, asset.ContentType);
    }

    /// <summary>If-None-Match uses the weak comparison (RFC 9110 13.1.2): W/"x" matches "x".</summary>
    private static bool Matches(Microsoft.Extensions.Primitives.StringValues ifNoneMatch, EntityTagHeaderValue etag) =>
        ifNoneMatch.Count > 0
        && EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags)
        && tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(etag, useStrongComparison: false));
}
