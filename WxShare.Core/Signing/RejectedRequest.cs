namespace WxShare.Signing;

public sealed record RejectedRequest(int StatusCode, ApiError Error)
{
    public static RejectedRequest BadRequest(string error, string message) => new(400, new ApiError(error, message));
    public static RejectedRequest Forbidden(string error, string message) => new(403, new ApiError(error, message));
}
