namespace WxShare.Telemetry;

/// <summary>
/// The names WeCom's endpoints carry in metrics, prefixed so that none reads as one of WeChat's (WeCom's gettoken is not
/// WeChat's token). From the request path only, never its query (which holds the Secret or the token).
/// </summary>
public static class WeComEndpoints
{
    public const string GetToken = "wecom_gettoken";
    /// <summary>The corp ticket (wx.config).</summary>
    public const string CorpTicket = "wecom_get_jsapi_ticket";
    /// <summary>/cgi-bin/ticket/get, which WxShare calls only with type=agent_config (wx.agentConfig).</summary>
    public const string AgentTicket = "wecom_agent_config_ticket";
    public const string Other = "wecom_other";

    private static readonly EndpointNames Names = new(Other,
        ("/cgi-bin/gettoken", GetToken),
        ("/cgi-bin/get_jsapi_ticket", CorpTicket),
        ("/cgi-bin/ticket/get", AgentTicket));

    public static string Of(Uri? requestUri) => Names.Of(requestUri);
}
