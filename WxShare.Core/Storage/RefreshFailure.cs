using WxShare.Errors;

namespace WxShare.Storage;

/// <summary>Why the last refresh failed; kept beside the credentials it left intact.</summary>
/// <param name="Message">The service's errmsg as it came (operators may need its raw text), or WxShare's words when there was none.</param>
/// <param name="Rid">The service's request id of the failed call (errmsg's <c>rid:</c>), for a lookup with openapi/rid/get.</param>
public sealed record RefreshFailure(ApiCall Call, int? ErrorCode, string Message, DateTimeOffset At, string? Rid = null)
{
    public static RefreshFailure From(ApiCallException e, DateTimeOffset at) => new(e.Call, e.ErrorCode, e.ErrorMessage, at, e.Rid);
}
