using WxShare.WeChat;

namespace WxShare.Errors;

/// <summary>A WeChat, WeCom (or Open Platform) call that did not yield a credential. Never carries the secret or a token.</summary>
/// <param name="kind">How the error is handled; by default as WeChat means the code (WeCom passes its own classification).</param>
/// <param name="service">Whose call failed, as messages name it: <c>WeChat</c> or <c>WeCom</c>.</param>
public sealed class ApiCallException(ApiCall call, int? errorCode, string errorMessage, Exception? inner = null, ApiErrorKind? kind = null,
    string service = "WeChat")
    : Exception(Describe(service, call, errorCode, errorMessage), inner)
{
    public ApiCall Call { get; } = call;
    /// <summary>WeChat's errcode; null when WeChat gave no usable answer (HTTP failure, timeout, malformed body).</summary>
    public int? ErrorCode { get; } = errorCode;
    public string ErrorMessage { get; } = errorMessage;
    /// <summary>The service's request id of this call, from the errmsg's <c>rid:</c> suffix; null when it gave none.</summary>
    public string? Rid { get; } = ApiErrorText.Rid(errorMessage);
    public ApiErrorKind Kind { get; } = kind ?? WeChatErrorClassifier.Classify(call, errorCode);

    private static string Describe(string service, ApiCall call, int? code, string message) =>
        code is null ? $"{service} {call} call failed: {message}" : $"{service} {call} call failed with errcode {code}: {message}";
}
