using Microsoft.AspNetCore.Http;

namespace WxShare.Http;

/// <summary>Whether a route takes a key (<see cref="KeyCheck"/>, in the edge on both hosts; every function is AuthorizationLevel.Anonymous).</summary>
public enum KeyNeed
{
    /// <summary>Open to anyone; a key is not read.</summary>
    None,
    /// <summary>Answers only to a key whose Routes include the route's scope.</summary>
    Required,
    /// <summary>Open to anyone for its public part; a key with the scope opens the rest (health's detail, card-ext beyond public cards).</summary>
    Optional,
}

/// <summary>Who may call a route: the key it needs and the scope (<see cref="KeyRoutes"/>) that key's Routes must list.</summary>
/// <param name="OwnQueryNames">Query names the route reads itself (card-ext's card <c>code</c>), not taken for a key in the query.</param>
public sealed record RouteKey(KeyNeed Need, string? Scope, params string[] OwnQueryNames)
{
    public static readonly RouteKey Anonymous = new(KeyNeed.None, null);

    public static RouteKey Required(string scope) => new(KeyNeed.Required, scope);

    public static RouteKey Optional(string scope, params string[] ownQueryNames) => new(KeyNeed.Optional, scope, ownQueryNames);

    public override string ToString() => Need switch
    {
        KeyNeed.Required => $"key: {Scope}",
        KeyNeed.Optional => $"anonymous; key {Scope} for more",
        _ => "anonymous",
    };
}

/// <summary>Which origins get a CORS grant, and what a preflight answers.</summary>
public enum CorsPolicy
{
    /// <summary>No grant, no preflight: not called from pages (or the route sets its own, as the page helper does).</summary>
    None,
    /// <summary>Origins on an account's allowed domains; OPTIONS answers the preflight; other origins get no grant.</summary>
    PageOrigins,
    /// <summary>As <see cref="PageOrigins"/>, and a request from another origin is refused: only the account's pages may post.</summary>
    PageOriginsOnly,
}

/// <summary>What the edge counts for a route, whatever it answers.</summary>
public enum RouteCounter
{
    None,
    /// <summary>wxshare.signing.requests, by status (preflights and refusals included).</summary>
    Signing,
    /// <summary>wxshare.field_reports: refusals at the edge count as rejected.</summary>
    FieldReport,
}

/// <summary>
/// Answers one route's request; the edge has already applied no-store, CORS, the preflight, 405 and the key. A handler
/// that can be cancelled reads <c>request.HttpContext.RequestAborted</c> itself: Kestrel sets up that token (a lock and a
/// pooled CancellationTokenSource) on first read, which the config route does only when it has to wait for storage. A
/// ValueTask: the config route answers synchronously from memory, and a Task would be one more allocation per request.
/// </summary>
/// <param name="services">The standalone host passes the application's services (no scope per request), so a handler is a
/// singleton or a transient that is not disposable (RouteTableTests checks it); the Functions app passes the invocation's.</param>
public delegate ValueTask<IResult> RouteHandler(IServiceProvider services, HttpRequest request);

/// <summary>
/// One row of the route table (<see cref="ApiRoutes"/>): everything both hosts, the OpenAPI document and the tests know
/// about a route. Adding a route is one of these plus its handler (and, for the Functions app, one attribute-carrying
/// method that a test checks against this row).
/// </summary>
/// <param name="Name">The function's name in the Functions app.</param>
/// <param name="Path">Below <c>/api/</c>, as the Functions attribute's Route.</param>
/// <param name="Methods">What the route answers, without OPTIONS (added when <see cref="Cors"/> allows a preflight).</param>
public sealed record ApiRoute(string Name, string Path, string[] Methods, RouteKey Key, CorsPolicy Cors, RouteHandler Handle, RouteDoc Doc)
{
    public const string Prefix = "/api/";

    /// <summary>Cache-Control: no-store, for every answer that carries a credential, a signature or an error. Off only for the page helper, which caches by ETag.</summary>
    public bool NoStore { get; init; } = true;

    public RouteCounter Counter { get; init; }

    /// <summary>The Retry-After of the JSON 503 when Table Storage does not answer.</summary>
    public TimeSpan StorageRetryAfter { get; init; } = TimeSpan.FromSeconds(30);

    public string FullPath => Prefix + Path;

    /// <summary>The methods a host maps: <see cref="Methods"/>, and OPTIONS for a route pages preflight.</summary>
    public string[] MappedMethods => Cors == CorsPolicy.None ? Methods : [.. Methods, HttpMethods.Options];

    /// <summary>The Allow header of a 405, and the preflight's Access-Control-Allow-Methods.</summary>
    public string Allow => string.Join(", ", MappedMethods);

    public override string ToString() => $"{string.Join("|", MappedMethods)} {FullPath}";
}

/// <summary>What the OpenAPI document says of a route: the routes read their inputs from the query themselves, so the API explorer sees none.</summary>
public sealed record RouteDoc(string Summary, QueryParameterDoc[] Query, Type? Ok, params int[] ErrorStatuses);

public sealed record QueryParameterDoc(string Name, string Description, bool Required = false);
