namespace WxShare.Accounts;

/// <summary>Which WeChat call fetches an official account's access_token.</summary>
public enum TokenApi
{
    /// <summary>POST /cgi-bin/stable_token: the same token while valid, so other services using it are not broken.</summary>
    Stable,
    /// <summary>GET /cgi-bin/token: each fetch invalidates the previous token five minutes later.</summary>
    Classic,
}
