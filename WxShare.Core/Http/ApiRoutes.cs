using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using WxShare.Cards;
using WxShare.Diagnosis;
using WxShare.Operations;
using WxShare.Page;
using WxShare.Platform;
using WxShare.Signing;

namespace WxShare.Http;

/// <summary>
/// The route table: every HTTP route of WxShare, once. The standalone host maps it (a route group per key scope, with
/// the edge's filters), the Functions app's attribute-carrying methods are checked against it, the OpenAPI document
/// and docs/routes.md are written from it. A new route is one entry here plus its handler.
/// </summary>
public static class ApiRoutes
{
    // Each path is a constant, because the Functions app's HttpTrigger attributes need one.
    private static readonly string[] Get = [HttpMethods.Get];
    private static readonly string[] Post = [HttpMethods.Post];
    private static readonly TimeSpan PageRetryAfter = TimeSpan.FromSeconds(60);

    private static readonly QueryParameterDoc Url = new("url", "The page URL, percent-encoded once (encodeURIComponent(location.href.split('#')[0])).", Required: true);
    private static readonly QueryParameterDoc AppId = new("appId", "The account's AppID (a WeCom app's CorpId); needed only when several accounts allow the page's host.");
    private static readonly QueryParameterDoc AgentId = new("agentId", "A WeCom app's AgentId, when one corp has several apps on the page's domain.");
    private static readonly QueryParameterDoc OperatorAppId = new("appId", "The account's AppID (a WeCom app's CorpId); needed when several accounts are configured.");
    private static readonly QueryParameterDoc OperatorAgentId = new("agentId", "A WeCom app's AgentId; needed when several apps of the corp are configured.");

    public const string ConfigPath = "jssdk/config";
    public static readonly ApiRoute JsSdkConfig = new("JsSdkConfig", ConfigPath, Get, RouteKey.Anonymous, CorsPolicy.PageOrigins,
        (s, r) => s.GetRequiredService<JsSdkConfigEndpoint>().HandleAsync(r),
        new("The signed wx.config for a page (OPTIONS answers a CORS preflight).", [Url, AppId, AgentId], typeof(JsSdkConfig), 400, 403, 404, 405, 500, 503))
    { Counter = RouteCounter.Signing, StorageRetryAfter = PageRetryAfter };

    public const string ScriptPath = "wx-share.js";
    public static readonly ApiRoute Script = PageAsset("WxShareScript", ScriptPath, (page, r) => page.ServeScript(r), "wx-share.js, the page helper (ETag, 304 on If-None-Match).");

    public const string ModulePath = "wx-share.mjs";
    public static readonly ApiRoute Module = PageAsset("WxShareModule", ModulePath, (page, r) => page.ServeModule(r), "wx-share.js as an ES module.");

    public const string DemoPath = "demo";
    public static readonly ApiRoute Demo = PageAsset("Demo", DemoPath, (page, r) => page.ServeDemo(r), "The demo page.");

    public const string CardExtPath = "jssdk/card-ext";
    public static readonly ApiRoute CardExt = new("CardExt", CardExtPath, Get, RouteKey.Optional(KeyRoutes.Cards, "code"), CorsPolicy.PageOrigins,
        (s, r) => new(s.GetRequiredService<CardExtEndpoint>().HandleAsync(r, r.HttpContext.RequestAborted)),
        new("The cardExt JSON string for wx.addCard, signed with the card api_ticket.",
            [new("cardId", "The card's id.", Required: true), new("code", "The card code."), new("openId", "The user's OpenID."),
             new("fixedBeginTimestamp", "Unix seconds."), new("outerStr", "Free text for the card's statistics."), AppId],
            null, 400, 401, 403, 404, 405, 503))
    { Counter = RouteCounter.Signing, StorageRetryAfter = PageRetryAfter };

    public const string ChooseCardPath = "jssdk/choose-card";
    public static readonly ApiRoute ChooseCard = new("ChooseCard", ChooseCardPath, Get, RouteKey.Anonymous, CorsPolicy.PageOrigins,
        (s, r) => new(s.GetRequiredService<ChooseCardEndpoint>().HandleAsync(r, r.HttpContext.RequestAborted)),
        new("The signed fields of wx.chooseCard.",
            [new("shopId", "The store (location) id."), new("cardType", "The card type."), new("cardId", "The card's id."), AppId],
            null, 400, 403, 404, 405, 503))
    { Counter = RouteCounter.Signing, StorageRetryAfter = PageRetryAfter };

    public const string HealthPath = "health";
    public static readonly ApiRoute Health = new("Health", HealthPath, Get, RouteKey.Optional(KeyRoutes.Ops), CorsPolicy.None,
        (s, r) => new(s.GetRequiredService<HealthEndpoint>().HandleAsync(r, r.HttpContext.RequestAborted)),
        new("Per account, per third-party platform and overall: healthy, degraded or unhealthy (503), with credential times; never a credential value.", [], null, 503));

    public const string TokenPath = "wechat/token";
    public static readonly ApiRoute Token = new("TokenRelay", TokenPath, Get, RouteKey.Required(KeyRoutes.Relay), CorsPolicy.None,
        (s, r) => new(s.GetRequiredService<TokenRelayEndpoint>().HandleAsync(r, r.HttpContext.RequestAborted)),
        new("The stored access_token for another backend (relay on for the account; key with route relay).",
            [OperatorAppId, OperatorAgentId], null, 400, 401, 403, 404, 503));

    public const string TokenRefreshPath = "wechat/token/refresh";
    public static readonly ApiRoute TokenRefresh = new("TokenRelayRefresh", TokenRefreshPath, Post, RouteKey.Required(KeyRoutes.RelayRefresh), CorsPolicy.None,
        (s, r) => new(s.GetRequiredService<TokenRelayRefreshEndpoint>().HandleAsync(r, r.HttpContext.RequestAborted)),
        new("Replace a token WeChat rejected, only if it is still the stored one and WeChat confirms it dead (body: {\"accessToken\"}); "
                + "at most one a minute, and 15 forced refreshes a day.",
            [OperatorAppId, OperatorAgentId], null, 400, 401, 403, 404, 409, 429, 502, 503));

    // Not admin/…: the Functions host reserves routes that begin with "admin" for itself.
    public const string RefreshNowPath = "ops/refresh";
    public static readonly ApiRoute RefreshNow = new("RefreshNow", RefreshNowPath, Post, RouteKey.Required(KeyRoutes.Ops), CorsPolicy.None,
        (s, r) => new(s.GetRequiredService<RefreshNowEndpoint>().HandleAsync(r, r.HttpContext.RequestAborted)),
        new("Run one account's refresh now, under the timer's lease and back-off; at most once a minute and 30 times a day per account.",
            [OperatorAppId, OperatorAgentId], null, 400, 401, 403, 404, 409, 429, 502, 503));

    public const string QuotaPath = "ops/quota";
    public static readonly ApiRoute Quota = new("WeChatQuota", QuotaPath, Get, RouteKey.Required(KeyRoutes.Ops), CorsPolicy.None,
        (s, r) => new(s.GetRequiredService<QuotaEndpoint>().HandleAsync(r, r.HttpContext.RequestAborted)),
        new("WeChat's own count of today's quota (openapi/quota/get) for the token call and getticket of an official account: "
                + "dailyLimit, used, remain each, and when it resets (midnight Beijing time).",
            [OperatorAppId], typeof(QuotaReport), 400, 401, 403, 404, 502, 503));

    public const string RidPath = "ops/rid";
    public static readonly ApiRoute Rid = new("WeChatRid", RidPath, Get, RouteKey.Required(KeyRoutes.Ops), CorsPolicy.None,
        (s, r) => new(s.GetRequiredService<RidLookupEndpoint>().HandleAsync(r, r.HttpContext.RequestAborted)),
        new("What WeChat saw of a call by the rid its errmsg ended with (openapi/rid/get, 7 days): time, cost, client IP, "
                + "URL and bodies, every token, secret and ticket masked as ***.",
            [OperatorAppId, new(RidLookupEndpoint.RidParameter, "The rid, three groups of 8 hex digits (6650a1c2-3b4d5e6f-7a8b9c0d).", Required: true)],
            typeof(RidReport), 400, 401, 403, 404, 502, 503));

    public const string ClearQuotaPath = "ops/clear-quota";
    public static readonly ApiRoute ClearQuota = new("WeChatClearQuota", ClearQuotaPath, Post, RouteKey.Required(KeyRoutes.Ops), CorsPolicy.None,
        (s, r) => new(s.GetRequiredService<ClearQuotaEndpoint>().HandleAsync(r, r.HttpContext.RequestAborted)),
        new("Reset an official account's daily quotas with WeChat's clear_quota (body: {\"confirm\": true}); at most 10 a month, "
                + "counted before WeChat is called.",
            [OperatorAppId], typeof(ClearQuotaReport), 400, 401, 403, 404, 409, 429, 502, 503));

    public const string DiagnosePath = "jssdk/diagnose";
    public static readonly ApiRoute Diagnose = new("JsSdkDiagnose", DiagnosePath, Get, RouteKey.Required(KeyRoutes.Diagnose), CorsPolicy.None,
        (s, r) => new(s.GetRequiredService<JsSdkDiagnoseEndpoint>().HandleAsync(r, r.HttpContext.RequestAborted)),
        new("What the config route would sign for a page (for a WeCom app: wx.config with the corp ticket and wx.agentConfig "
                + "with the agent ticket), its mistakes, and which stored ticket made a given signature, naming a corp/agent ticket mix-up (key protected).",
            [Url, AppId, AgentId, new("signature", "The signature the page used."), new("timestamp", "The timestamp the page used (Unix seconds)."),
             new("nonceStr", "The nonceStr the page used."),
             new(JsSdkDiagnoseEndpoint.SignatureOfParameter, "Which call the signature, timestamp and nonceStr are from: config (default) or agentConfig (WeCom apps).")], typeof(JsSdkDiagnosis), 400, 401, 403));

    public const string ReportPath = "jssdk/report";
    public static readonly ApiRoute Report = new("JsSdkReport", ReportPath, Post, RouteKey.Optional(KeyRoutes.Diagnose), CorsPolicy.PageOriginsOnly,
        (s, r) => new(s.GetRequiredService<FieldReportEndpoint>().HandleAsync(r, r.HttpContext.RequestAborted)),
        new("A page's wx.error report (JSON body {errMsg, url, appId, timestamp, nonceStr, signature, userAgent}, and for a WeCom "
                + "app agentId and signatureOf: config or agentConfig, else read from errMsg); answered 202 {received, reportId}; the diagnosis goes to the log under reportId (and into the answer for a key with route diagnose).",
            [], null, 400, 403, 429))
    { Counter = RouteCounter.FieldReport };

    private static readonly QueryParameterDoc[] PlatformPush =
    [
        new("timestamp", "Epoch seconds, within 5 minutes of the server's clock.", Required: true), new("nonce", "WeChat's nonce.", Required: true),
        new("encrypt_type", "aes", Required: true), new("msg_signature", "SHA-1 of the sorted token, timestamp, nonce and Encrypt.", Required: true),
    ];

    public const string PlatformEventsPath = "platform/{name}/events";
    public static readonly ApiRoute PlatformEvents = new("PlatformEvents", PlatformEventsPath, Post, RouteKey.Anonymous, CorsPolicy.None,
        (s, r) => new(s.GetRequiredService<PlatformEndpoints>().ReceiveEventAsync(r, r.HttpContext.RequestAborted)),
        new("A third-party platform's 授权事件接收URL: WeChat's encrypted pushes (component_verify_ticket, authorized, updateauthorized, "
                + "unauthorized), authenticated by msg_signature; answers the plain text success.",
            PlatformPush, null, 400, 401, 404, 405, 413, 503));

    public const string PlatformAuthorizePath = "platform/{name}/authorize";
    public static readonly ApiRoute PlatformAuthorize = new("PlatformAuthorize", PlatformAuthorizePath, Get, RouteKey.Required(KeyRoutes.Ops), CorsPolicy.None,
        (s, r) => new(s.GetRequiredService<PlatformEndpoints>().AuthorizeAsync(r, r.HttpContext.RequestAborted)),
        new("The authorization URL for an official account's consent, from a fresh pre_auth_code: the PC componentloginpage, or the mobile "
                + "bindcomponent form for a phone's User-Agent; redirect_uri is …/authorized.",
            [], typeof(AuthorizationLinkAnswer), 400, 401, 403, 404, 502, 503));

    public const string PlatformAuthorizedPath = "platform/{name}/authorized";
    public static readonly ApiRoute PlatformAuthorized = new("PlatformAuthorized", PlatformAuthorizedPath, Get, RouteKey.Anonymous, CorsPolicy.None,
        (s, r) => new(s.GetRequiredService<PlatformEndpoints>().AuthorizedAsync(r, r.HttpContext.RequestAborted)),
        new("WeChat's redirect after the consent: exchanges auth_code (api_query_auth), stores the account, answers a short HTML page.",
            [new("auth_code", "The authorization code WeChat adds.", Required: true), new("expires_in", "Its life in seconds.")], null, 400, 404, 502, 503));

    public const string PlatformAuthorizersPath = "platform/{name}/authorizers";
    public static readonly ApiRoute PlatformAuthorizers = new("PlatformAuthorizers", PlatformAuthorizersPath, Get, RouteKey.Required(KeyRoutes.Ops), CorsPolicy.None,
        (s, r) => new(s.GetRequiredService<PlatformEndpoints>().ListAuthorizersAsync(r, r.HttpContext.RequestAborted)),
        new("The platform's authorizers with their status, permission sets and credential times, the verify ticket's age and the component "
                + "token's expiry; never a credential.",
            [], typeof(AuthorizersAnswer), 400, 401, 403, 404, 503));

    /// <summary>The page helper and the demo: no CORS grant of the edge's (the scripts grant any origin themselves), cached by ETag.</summary>
    private static ApiRoute PageAsset(string name, string path, Func<PageAssetEndpoint, HttpRequest, IResult> serve, string summary) =>
        new(name, path, Get, RouteKey.Anonymous, CorsPolicy.None,
            (s, r) => new(serve(s.GetRequiredService<PageAssetEndpoint>(), r)), new(summary, [], null))
        { NoStore = false };

    /// <summary>Every route, in the order the standalone host maps them (and the OpenAPI document lists them).</summary>
    public static readonly IReadOnlyList<ApiRoute> All =
        [JsSdkConfig, Script, Module, Demo, CardExt, ChooseCard, Health, Token, TokenRefresh, RefreshNow, Quota, Rid, ClearQuota, Diagnose, Report,
         PlatformEvents, PlatformAuthorize, PlatformAuthorized, PlatformAuthorizers];
}
