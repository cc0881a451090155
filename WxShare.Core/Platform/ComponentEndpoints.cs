namespace WxShare.Platform;

/// <summary>The names the component endpoints carry in metrics: the last path segment (never the query, which holds the token).</summary>
public static class ComponentEndpoints
{
    private const string Prefix = "/cgi-bin/component/";

    private static readonly HashSet<string> Names = new(StringComparer.Ordinal)
    {
        "api_component_token", "api_create_preauthcode", "api_query_auth", "api_authorizer_token", "api_get_authorizer_list",
        "api_start_push_ticket", "api_get_authorizer_info",
    };

    public static string Of(Uri? requestUri)
    {
        var path = requestUri?.AbsolutePath ?? "";
        var at = path.IndexOf(Prefix, StringComparison.Ordinal);
        var name = at < 0 ? "" : path[(at + Prefix.Length)..].TrimEnd('/');
        return Names.Contains(name) ? name : Telemetry.WeChatEndpoints.Other;
    }
}
