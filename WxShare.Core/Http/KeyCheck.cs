using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using WxShare.Accounts;

namespace WxShare.Http;

/// <summary>
/// The one key check of both hosts: the secret comes only as <c>Authorization: Bearer &lt;secret&gt;</c>; a key in the
/// query string is refused (400 <c>key_in_query</c>), since proxies and hosts log URLs; then 401 <c>key_missing</c> /
/// <c>key_invalid</c>, and 403 <c>key_scope</c> naming the key when its Routes or Accounts do not reach the call.
/// The accepted key is kept on the request (<see cref="OperatorCaller"/>) for the account check and the log.
/// </summary>
public sealed partial class KeyCheck(KeyRing keys, ILogger<KeyCheck> logger)
{
    public const string Scheme = "Bearer";

    /// <summary>Where clients have put keys: Azure's <c>code</c>, and common names for an API key.</summary>
    public static readonly IReadOnlyList<string> KeyQueryNames = ["code", "key", "apikey", "api_key", "api-key", "access_key", "x-functions-key"];

    /// <summary>The check of a route that needs a key.</summary>
    /// <param name="route">The route's scope, one of <see cref="KeyRoutes.All"/>.</param>
    /// <param name="ownQueryNames">Query names the route itself reads (card-ext's card <c>code</c>): not taken for a key.</param>
    /// <returns>Null when the call may go on; else the refusal to answer with.</returns>
    public Refusal? Require(HttpContext context, string route, IReadOnlyCollection<string>? ownQueryNames = null)
    {
        if (RefuseKeyInQuery(context, ownQueryNames) is { } inQuery)
            return inQuery;
        if (ReadBearer(context.Request) is not { } presented)
        {
            LogRefused(context.Request.Method, context.Request.Path, "no key");
            return Missing(keys.IsEmpty
                ? "This route needs a key, and this host has none: set Keys__<name>__Secret, __Accounts and __Routes, then send it as 'Authorization: Bearer <secret>'."
                : "This route needs a key: send it as 'Authorization: Bearer <secret>'.");
        }
        if (keys.Find(presented) is not { } key)
        {
            LogRefused(context.Request.Method, context.Request.Path, "a secret that is not one of Keys__*");
            return Refusal.Unauthenticated("key_invalid", "The key sent is not one of this host's keys (Keys__<name>__Secret or __NextSecret).");
        }
        if (!key.AllowsRoute(route))
        {
            LogOutOfScope(key.Name, context.Request.Method, context.Request.Path, $"route {route}");
            return Scope(key, $"Key '{key.Name}' may not call this route: add '{route}' to Keys__{key.Name}__Routes.");
        }
        OperatorCaller.Set(context, key);
        LogAccepted(key.Name, context.Request.Method, context.Request.Path);
        return null;
    }

    /// <summary>
    /// The check of a route a stranger may call but a key opens further (health's detail, card-ext beyond public
    /// cards): no key is fine; a key in the query, or a wrong or out-of-scope Bearer, is refused as on a keyed route.
    /// </summary>
    public Refusal? Optional(HttpContext context, string route, IReadOnlyCollection<string>? ownQueryNames = null) =>
        RefuseKeyInQuery(context, ownQueryNames) ?? (ReadBearer(context.Request) is null ? null : Require(context, route, ownQueryNames));

    /// <summary>403 <c>key_scope</c> when the call's key does not reach the account; null when it does, or the call has no key.</summary>
    public Refusal? CheckAccount(HttpContext context, Account account)
    {
        if (OperatorCaller.KeyOf(context) is not { } key || key.AllowsAccount(account))
            return null;
        LogOutOfScope(key.Name, context.Request.Method, context.Request.Path, $"account {account.Name}");
        return Scope(key, $"Key '{key.Name}' may not act on account '{account.Name}': add it (or its appId) to Keys__{key.Name}__Accounts.");
    }

    /// <returns>The secret of <c>Authorization: Bearer &lt;secret&gt;</c>, or null without one.</returns>
    public static string? ReadBearer(HttpRequest request)
    {
        var header = request.Headers[HeaderNames.Authorization].ToString().Trim();
        if (!header.StartsWith(Scheme + " ", StringComparison.OrdinalIgnoreCase))
            return null;
        var secret = header[(Scheme.Length + 1)..].Trim();
        return secret.Length == 0 ? null : secret;
    }

    private Refusal? RefuseKeyInQuery(HttpContext context, IReadOnlyCollection<string>? ownQueryNames)
    {
        foreach (var (name, values) in context.Request.Query)
        {
            var ownName = ownQueryNames?.Contains(name, StringComparer.OrdinalIgnoreCase) == true;
            var keyName = !ownName && KeyQueryNames.Contains(name, StringComparer.OrdinalIgnoreCase);
            if (keyName || values.Any(v => v is { Length: >= KeyRing.MinimumSecretLength } && keys.Find(v) is not null))
            {
                // The path only, and not the key: the URL holds the secret.
                LogKeyInQuery(context.Request.Method, context.Request.Path);
                return Refusal.Invalid("key_in_query",
                    $"Keys are not read from the query string ('{name}'), because URLs are logged by proxies and hosts: send the key as 'Authorization: Bearer <secret>' "
                    + "and treat the one sent as exposed: rotate it with Keys__<name>__NextSecret.");
            }
        }
        return null;
    }

    private static Refusal Missing(string message) =>
        Refusal.Unauthenticated("key_missing", message);

    private static Refusal Scope(ApiKey key, string message) =>
        Refusal.NotAllowed("key_scope", message);

    [LoggerMessage(LogLevel.Information, "Key {KeyName} called {Method} {Path}")]
    private partial void LogAccepted(string keyName, string method, PathString path);

    [LoggerMessage(LogLevel.Warning, "Refused {Method} {Path}: {Reason}")]
    private partial void LogRefused(string method, PathString path, string reason);

    [LoggerMessage(LogLevel.Warning, "Refused key {KeyName} on {Method} {Path}: its scope does not include {Scope}")]
    private partial void LogOutOfScope(string keyName, string method, PathString path, string scope);

    [LoggerMessage(LogLevel.Warning, "Refused {Method} {Path}: a key was sent in the query string")]
    private partial void LogKeyInQuery(string method, PathString path);
}
