using WxShare.Errors;

namespace WxShare.WeChat;

public static class WeChatErrorClassifier
{
    public static ApiErrorKind Classify(ApiCall call, int? errorCode) => errorCode switch
    {
        null or -1 => ApiErrorKind.Transient,
        // On the token call 40001 means a wrong AppSecret; on any other call, a stale token.
        40001 when call == ApiCall.AccessToken => ApiErrorKind.Configuration,
        40001 or 40014 or 42001 => ApiErrorKind.TokenRejected,
        // 48001 is a missing permission, never an expired token: no new token is fetched for it.
        40013 or 40125 or 40164 or 40243 or 48001 or 61004 or 89503 or 89506 or 89507 => ApiErrorKind.Configuration,
        45009 or 45011 => ApiErrorKind.RateLimited,
        _ => ApiErrorKind.Unexpected,
    };
}
