using WxShare.Cards;
using WxShare.Diagnosis;
using WxShare.Http;
using WxShare.Operations;
using WxShare.Page;
using WxShare.Signing;

namespace WxShare.Host.OpenApi;

/// <summary>One route's documentation: the routes take their inputs from the query themselves, so the API explorer sees none.</summary>
internal sealed record RouteDoc(string Summary, QueryParameterDoc[] Query, Type? Ok, params int[] ErrorStatuses);

internal sealed record QueryParameterDoc(string Name, string Description, bool Required = false);

/// <summary>What the OpenAPI document says of each route, by its path below the host. A route missing here fails the OpenAPI test.</summary>
internal static class RouteDocs
{
    private static readonly QueryParameterDoc Url = new("url", "The page URL, percent-encoded once (encodeURIComponent(location.href.split('#')[0])).", Required: true);
    private static readonly QueryParameterDoc AppId = new("appId", "The account's AppID (a WeCom app's CorpId); needed only when several accounts allow the page's host.");
    private static readonly QueryParameterDoc AgentId = new("agentId", "A WeCom app's AgentId, when one corp has several apps on the page's domain.");

    private static readonly QueryParameterDoc OperatorAppId = new("appId", "The account's AppID (a WeCom app's CorpId); needed when several accounts are configured.");
    private static readonly QueryParameterDoc OperatorAgentId = new("agentId", "A WeCom app's AgentId; needed when several apps of the corp are configured.");
    private static readonly QueryParameterDoc Code = new("code", "A key of Relay__Keys (or a function key in Azure), if not sent as the x-functions-key header.");

    public static readonly IReadOnlyDictionary<string, RouteDoc> ByPath = new Dictionary<string, RouteDoc>(StringComparer.OrdinalIgnoreCase)
    {
        ["api/" + JsSdkConfigEndpoint.Route] = new("The signed wx.config for a page (OPTIONS answers a CORS preflight).",
            [Url, AppId, AgentId],
            typeof(JsSdkConfig), 400, 403, 404, 405, 500, 503),
        ["api/" + CardExtEndpoint.Route] = new("The cardExt JSON string for wx.addCard, signed with the card api_ticket.",
            [new("cardId", "The card's id.", Required: true), new("code", "The card code."), new("openId", "The user's OpenID."),
             new("fixedBeginTimestamp", "Unix seconds."), new("outerStr", "Free text for the card's statistics."), AppId],
            null, 400, 404, 405, 503),
        ["api/" + ChooseCardEndpoint.Route] = new("The signed fields of wx.chooseCard.",
            [new("shopId", "The store (location) id."), new("cardType", "The card type."), new("cardId", "The card's id."), AppId],
            null, 400, 404, 405, 503),
        ["api/" + HealthEndpoint.Route] = new("Per account and overall: healthy, degraded or unhealthy (503), with credential times; never a credential value.",
            [], null, 503),
        ["api/" + TokenRelayEndpoint.Route] = new("The stored access_token for another backend (relay on for the account; key: x-functions-key or code).",
            [OperatorAppId, OperatorAgentId, Code], null, 400, 401, 403, 404, 503),
        ["api/" + TokenRelayRefreshEndpoint.Route] = new("Replace a token WeChat rejected, only if it is still the stored one (body: {\"accessToken\"}); at most one a minute.",
            [OperatorAppId, OperatorAgentId, Code], null, 400, 401, 403, 404, 409, 429, 503),
        ["api/" + RefreshNowEndpoint.Route] = new("Run one account's refresh now, under the timer's lease and back-off.",
            [OperatorAppId, OperatorAgentId, Code], null, 400, 401, 404, 409, 429, 502, 503),
        ["api/" + QuotaEndpoint.Route] = new("WeChat's own count of today's quota (openapi/quota/get) for the token call and getticket of an official account: "
                + "dailyLimit, used, remain each, and when it resets (midnight Beijing time).",
            [OperatorAppId, Code], typeof(QuotaReport), 400, 401, 404, 502, 503),
        ["api/" + RidLookupEndpoint.Route] = new("What WeChat saw of a call by the rid its errmsg ended with (openapi/rid/get, 7 days): time, cost, client IP, "
                + "URL and bodies, every token, secret and ticket masked as ***.",
            [OperatorAppId, new(RidLookupEndpoint.RidParameter, "The rid, three groups of 8 hex digits (6650a1c2-3b4d5e6f-7a8b9c0d).", Required: true), Code],
            typeof(RidReport), 400, 401, 404, 502, 503),
        ["api/" + ClearQuotaEndpoint.Route] = new("Reset an official account's daily quotas with WeChat's clear_quota (body: {\"confirm\": true}); at most 10 a month, "
                + "counted before WeChat is called.",
            [OperatorAppId, Code], typeof(ClearQuotaReport), 400, 401, 404, 409, 429, 502, 503),
        ["api/" + JsSdkDiagnoseEndpoint.Route] = new("What the config route would sign for a page (for a WeCom app: wx.config with the corp ticket and wx.agentConfig "
                + "with the agent ticket), its mistakes, and which stored ticket made a given signature, naming a corp/agent ticket mix-up (key protected).",
            [Url, AppId, AgentId, new("signature", "The signature the page used."), new("timestamp", "The timestamp the page used (Unix seconds)."),
             new("nonceStr", "The nonceStr the page used."),
             new(JsSdkDiagnoseEndpoint.SignatureOfParameter, "Which call the signature, timestamp and nonceStr are from: config (default) or agentConfig (WeCom apps)."),
             Code], typeof(JsSdkDiagnosis), 400, 401),
        ["api/" + FieldReportEndpoint.Route] = new("A page's wx.error report (JSON body {errMsg, url, appId, timestamp, nonceStr, signature, userAgent}, and for a WeCom "
                + "app agentId and signatureOf: config or agentConfig, else read from errMsg); answered 202 with the diagnosis.",
            [], null, 400, 403, 429),
        ["api/" + PageAssetEndpoint.ScriptRoute] = new("wx-share.js, the page helper (ETag, 304 on If-None-Match).", [], null),
        ["api/" + PageAssetEndpoint.ModuleRoute] = new("wx-share.js as an ES module.", [], null),
        ["api/" + PageAssetEndpoint.DemoRoute] = new("The demo page.", [], null),
    };

    /// <summary>The JSON body of every error.</summary>
    public static readonly Type Error = typeof(ApiError);
}
