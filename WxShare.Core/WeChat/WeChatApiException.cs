namespace WxShare.WeChat;

/// <summary>A WeChat call that did not yield a credential. Never carries the secret or a token.</summary>
/// <param name="kind">How the error is handled; by default as WeChat means the code (WeCom passes its own classification).</param>
public sealed class WeChatApiException(WeChatCall call, int? errorCode, string errorMessage, Exception? inner = null, WeChatErrorKind? kind = null)
    : Exception(Describe(call, errorCode, errorMessage), inner)
{
    public WeChatCall Call { get; } = call;
    /// <summary>WeChat's errcode; null when WeChat gave no usable answer (HTTP failure, timeout, malformed body).</summary>
    public int? ErrorCode { get; } = errorCode;
    public string ErrorMessage { get; } = errorMessage;
    public WeChatErrorKind Kind { get; } = kind ?? WeChatErrorClassifier.Classify(call, errorCode);

    private static string Describe(WeChatCall call, int? code, string message) =>
        code is null ? $"WeChat {call} call failed: {message}" : $"WeChat {call} call failed with errcode {code}: {message}";
}
