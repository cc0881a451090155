namespace WxShare.Http;

/// <summary>The scopes a key's <c>Keys__&lt;name&gt;__Routes</c> may grant; each key-protected route needs one.</summary>
public static class KeyRoutes
{
    /// <summary>GET /api/wechat/token: read an account's access_token.</summary>
    public const string Relay = "relay";
    /// <summary>POST /api/wechat/token/refresh: report a rejected token.</summary>
    public const string RelayRefresh = "relay-refresh";
    /// <summary>GET /api/jssdk/diagnose, and the diagnosis of field reports.</summary>
    public const string Diagnose = "diagnose";
    /// <summary>The operator routes: refresh now, quota, rid lookup, clear quota, the detailed health.</summary>
    public const string Ops = "ops";
    /// <summary>Card-ext signing of a card not on the account's PublicCardIds, or with a code or openId.</summary>
    public const string Cards = "cards";

    public const string Any = "*";

    public static readonly IReadOnlyList<string> All = [Relay, RelayRefresh, Diagnose, Ops, Cards];
}
