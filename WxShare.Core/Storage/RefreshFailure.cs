using WxShare.Errors;
using WxShare.WeChat;

namespace WxShare.Storage;

/// <summary>Why the last refresh failed; kept beside the credentials it left intact.</summary>
public sealed record RefreshFailure(ApiCall Call, int? ErrorCode, string Message, DateTimeOffset At);
