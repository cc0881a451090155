namespace WxShare.Telemetry;

/// <summary>The names WeChat's endpoints carry in metrics: from the request path only, never its query (which holds secrets).</summary>
public static class WeChatEndpoints
{
    public const string Token = "token";
    public const string StableToken = "stable_token";
    public const string Ticket = "getticket";
    public const string CallbackIp = "getcallbackip";
    public const string QuotaLookup = "openapi_quota_get";
    public const string RidLookup = "openapi_rid_get";
    public const string ClearQuota = "clear_quota";
    public const string Other = "other";

    public static string Of(Uri? requestUri) => requestUri?.AbsolutePath.TrimEnd('/') switch
    {
        { } path when path.EndsWith("/cgi-bin/token", StringComparison.Ordinal) => Token,
        { } path when path.EndsWith("/cgi-bin/stable_token", StringComparison.Ordinal) => StableToken,
        { } path when path.EndsWith("/cgi-bin/ticket/getticket", StringComparison.Ordinal) => Ticket,
        { } path when path.EndsWith("/cgi-bin/getcallbackip", StringComparison.Ordinal) => CallbackIp,
        { } path when path.EndsWith("/cgi-bin/openapi/quota/get", StringComparison.Ordinal) => QuotaLookup,
        { } path when path.EndsWith("/cgi-bin/openapi/rid/get", StringComparison.Ordinal) => RidLookup,
        { } path when path.EndsWith("/cgi-bin/clear_quota/v2", StringComparison.Ordinal) => ClearQuota,
        _ => Other,
    };
}
