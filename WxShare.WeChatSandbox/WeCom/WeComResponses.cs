using System.Globalization;
using System.Text;
using WxShare.WeChatSandbox.Http;

namespace WxShare.WeChatSandbox.WeCom;

/// <summary>
/// WeCom's answers: HTTP 200, <c>errcode</c>/<c>errmsg</c> first (success included), <c>application/json; charset=UTF-8</c>,
/// and the same code and message again in the <c>Error-Code</c> / <c>Error-Msg</c> headers.
/// </summary>
internal static class WeComResponses
{
    public const string ContentType = "application/json; charset=UTF-8";

    public static IResult Issued(WeComIssued issued) =>
        new WeComResult(0, _ => "ok", message =>
            $$"""{"errcode":0,"errmsg":"{{message}}","{{issued.Field}}":"{{issued.Value}}","expires_in":{{issued.ExpiresIn}}}""");

    public static IResult Error(int errcode) =>
        new WeComResult(errcode, context => WeComErrorCodes.MessageFor(errcode, WeComSandboxState.Of(context).Now, SandboxCall.CallerIp(context)),
            message => System.Text.Json.JsonSerializer.Serialize(new ErrorBody(errcode, message), SandboxJson.WeChat));

    private sealed class WeComResult(int errcode, Func<HttpContext, string> messageOf, Func<string, string> bodyOf) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            var message = messageOf(context);
            var body = Encoding.UTF8.GetBytes(bodyOf(message));
            var response = context.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = ContentType;
            response.Headers["Error-Code"] = errcode.ToString(CultureInfo.InvariantCulture);
            response.Headers["Error-Msg"] = message;
            response.ContentLength = body.Length;
            return response.Body.WriteAsync(body, context.RequestAborted).AsTask();
        }
    }
}
