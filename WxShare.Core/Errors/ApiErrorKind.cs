namespace WxShare.Errors;

public enum ApiErrorKind
{
    /// <summary>Busy, HTTP failure, timeout, malformed body: the next tick may succeed.</summary>
    Transient,
    /// <summary>The access_token was refused (40001/40014/42001 from a call other than the token call).</summary>
    TokenRejected,
    /// <summary>Wrong appid/secret, IP not whitelisted, frozen secret, API not authorised: an operator must act.</summary>
    Configuration,
    /// <summary>Daily quota (45009) or per-minute limit (45011).</summary>
    RateLimited,
    /// <summary>Anything else, including errors that mean a bug in WxShare (40097).</summary>
    Unexpected,
}
