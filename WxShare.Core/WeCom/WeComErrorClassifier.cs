using WxShare.Errors;
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
}
