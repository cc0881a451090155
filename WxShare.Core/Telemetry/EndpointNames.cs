namespace WxShare.Telemetry;

/// <summary>
/// One service's table of endpoint names for metrics: the first entry whose path ends the request's path names it, else
/// <c>other</c>. Reads the path only, never the query (which holds secrets).
/// </summary>
public sealed class EndpointNames(string other, params (string PathEnd, string Name)[] endpoints)
{
    public string Of(Uri? requestUri)
    {
        if (requestUri?.AbsolutePath.TrimEnd('/') is not { } path)
            return other;
        foreach (var (pathEnd, name) in endpoints)
            if (path.EndsWith(pathEnd, StringComparison.Ordinal))
                return name;
        return other;
    }
}
