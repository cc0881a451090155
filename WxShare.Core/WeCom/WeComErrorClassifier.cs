using WxShare.Errors;
using WxShare.Accounts;
using WxShare.WeChat;

namespace WxShare.WeCom;

/// <summary>WeCom's errcodes (doc 90313), mapped onto the handling WeChat's errors get.</summary>
public static class WeComErrorClassifier
{
    public const int TrustedIpRequired = 60020;

    public static ApiErrorKind Classify(ApiCall call, int? errorCode) => errorCode switch
    {
        null or -1 => ApiErrorKind.Transient,
        // On gettoken 40001 means a wrong secret; on a ticket call, a token WeCom no longer accepts.
        40001 when call == ApiCall.AccessToken => ApiErrorKind.Configuration,
        40001 or 40014 or 42001 => ApiErrorKind.TokenRejected,
        40013 or 40091 or 48002 or TrustedIpRequired => ApiErrorKind.Configuration,
        45009 => ApiErrorKind.RateLimited,
        _ => ApiErrorKind.Unexpected,
    };

    /// <summary>What an operator should do, in a sentence or two; null when the next tick simply retries.</summary>
    public static string? Advice(int? errorCode, Account account) => errorCode switch
    {
        40001 or 40091 => $"Check {account.SettingName("AppSecret")}: WeCom refuses it as the Secret of app {account.AgentId} of corp {account.AppId}"
                          + (errorCode == 40091 ? " (it may be another corp's Secret)." : "."),
        40013 => $"Check {account.SettingName("CorpId")}: WeCom does not know this CorpID.",
        48002 => $"App {account.AgentId} has no permission for this API: grant it in the WeCom admin console (应用管理 → the app → API permissions).",
        TrustedIpRequired => $"WeCom refuses calls from this server's IP address: add its outbound IP to the trusted IPs (企业可信IP) of app {account.AgentId} "
                             + "in the WeCom admin console (a trusted domain must be set first; it applies in about a minute). On Azure, give the "
                             + "refresher a static outbound IP (VNet integration with a NAT gateway).",
        45009 => "WeCom's call limit is reached. Is another service fetching tokens or tickets for this corp?",
        _ => null,
    };
}
