using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;

namespace WxShare.Functions.Tests.FunctionsHost;

/// <summary>
/// Where the host routes requests for one HTTP-triggered function: its binding's route (or the function's name)
/// under host.json's route prefix, for the binding's methods (all, when it names none).
/// </summary>
internal sealed class HttpFunctionRoute
{
    private readonly TemplateMatcher _matcher;
    private readonly string[]? _methods;

    private HttpFunctionRoute(ReportedFunction function, string template, string[]? methods)
    {
        Function = function;
        Template = template;
        _methods = methods;
        _matcher = new TemplateMatcher(TemplateParser.Parse(template), new RouteValueDictionary());
    }

    public ReportedFunction Function { get; }
    public string Template { get; }
    public string TriggerName => Function.Trigger.GetProperty("name").GetString()!;

    public static HttpFunctionRoute? For(ReportedFunction function, string routePrefix)
    {
        if (!function.IsTriggeredBy("httpTrigger"))
            return null;
        var trigger = function.Trigger;
        var route = trigger.TryGetProperty("route", out var r) && r.GetString() is { Length: > 0 } given ? given : function.Name;
        var methods = trigger.TryGetProperty("methods", out var m) && m.ValueKind == JsonValueKind.Array
            ? m.EnumerateArray().Select(x => x.GetString()!).ToArray()
            : null;
        var template = string.IsNullOrEmpty(routePrefix) ? route : $"{routePrefix}/{route}";
        return new HttpFunctionRoute(function, template, methods);
    }

    /// <summary>Whether this function takes the request; if so, the route's values ({name} → "saas"), which the host binds as trigger metadata.</summary>
    public bool TryMatch(HttpMethod method, string path, out RouteValueDictionary routeValues)
    {
        routeValues = new RouteValueDictionary();
        return (_methods is null || _methods.Contains(method.Method, StringComparer.OrdinalIgnoreCase))
               && _matcher.TryMatch(path, routeValues);
    }

    /// <summary>host.json's extensions.http.routePrefix, "api" when it sets none, as the host and the worker read it.</summary>
    public static string RoutePrefix(string appDirectory)
    {
        var hostJson = Path.Combine(appDirectory, "host.json");
        if (!File.Exists(hostJson))
            return "api";
        using var document = JsonDocument.Parse(File.ReadAllText(hostJson), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return document.RootElement.TryGetProperty("extensions", out var extensions)
               && extensions.TryGetProperty("http", out var http)
               && http.TryGetProperty("routePrefix", out var prefix)
            ? prefix.GetString() ?? ""
            : "api";
    }

    public override string ToString() => $"{(_methods is null ? "any method" : string.Join(",", _methods))} /{Template} → {Function.Name}";
}
