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

    private static readonly EndpointNames Names = new(Other,
        ("/cgi-bin/token", Token),
        ("/cgi-bin/stable_token", StableToken),
        ("/cgi-bin/ticket/getticket", Ticket),
        ("/cgi-bin/getcallbackip", CallbackIp),
        ("/cgi-bin/openapi/quota/get", QuotaLookup),
        ("/cgi-bin/openapi/rid/get", RidLookup),
        ("/cgi-bin/clear_quota/v2", ClearQuota));

    public static string Of(Uri? requestUri) => Names.Of(requestUri);
}
