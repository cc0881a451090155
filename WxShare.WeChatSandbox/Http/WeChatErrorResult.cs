using System.Text.Json;
using WxShare.WeChatSandbox.Domain;

namespace WxShare.WeChatSandbox.Http;

/// <summary>
/// A WeChat error answer: HTTP 200, <c>{"errcode","errmsg"}</c> with a fresh rid in errmsg (kept in the rid log by the
/// wire rules), a <c>LogicRet</c> header, and labelled <c>text/plain</c> when answering a GET (as WeChat labels some of
/// its answers: clients must parse the body whatever the content type says) or WeChat's JSON type otherwise.
/// </summary>
internal sealed class WeChatErrorResult(int errcode) : IResult
{
    public const string PlainTextContentType = "text/plain";

    public int ErrorCode => errcode;

    public Task ExecuteAsync(HttpContext context)
    {
        var message = WeChatErrorMessages.WithRequestId(errcode, SandboxCall.CallerIp(context), SandboxCall.Of(context).NewRid());
        var body = JsonSerializer.SerializeToUtf8Bytes(new ErrorBody(errcode, message), SandboxJson.WeChat);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = HttpMethods.IsGet(context.Request.Method) ? PlainTextContentType : SandboxJson.WeChatContentType;
        response.Headers["LogicRet"] = errcode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }
}
