using WxShare.Errors;
using WxShare.Accounts;

namespace WxShare.WeChat;

public static class WeChatErrorClassifier
{
    public static ApiErrorKind Classify(ApiCall call, int? errorCode) => errorCode switch
    {
        null or -1 => ApiErrorKind.Transient,
        // On the token call 40001 means a wrong AppSecret; on any other call, a stale token.
        40001 when call == ApiCall.AccessToken => ApiErrorKind.Configuration,
        40001 or 40014 or 42001 => ApiErrorKind.TokenRejected,
        40013 or 40125 or 40164 or 40243 or 48001 or 89503 or 89506 or 89507 => ApiErrorKind.Configuration,
        45009 or 45011 => ApiErrorKind.RateLimited,
        _ => ApiErrorKind.Unexpected,
    };

    /// <summary>What an operator should do about a configuration error, in one sentence.</summary>
    public static string? Advice(int? errorCode, Account account) => errorCode switch
    {
        40001 or 40125 => $"Check {account.SettingName("AppSecret")}: WeChat says the AppSecret is wrong.",
        40013 => $"Check {account.SettingName("AppId")}: WeChat does not know this AppID.",
        40164 => "Add this server's outbound IP address to the account's IP whitelist in the WeChat admin panel.",
        40243 => "The AppSecret is frozen: unfreeze or reset it in the WeChat admin panel.",
        48001 => "The account is not authorised for this API (JS-SDK needs a verified account).",
        89503 or 89506 or 89507 => "An administrator must confirm this server's IP address in the WeChat admin panel.",
        45009 => "The daily quota is used up; it resets at midnight Beijing time. Is another service fetching tokens for this AppID?",
        _ => null,
    };
}
