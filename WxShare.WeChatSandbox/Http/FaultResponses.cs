using WxShare.WeChatSandbox.Domain;
using WxShare.WeChatSandbox.WeCom;

namespace WxShare.WeChatSandbox.Http;

/// <summary>What a faulted call answers instead of the real thing.</summary>
internal static class FaultResponses
{
    private const string ServiceUnavailableHtml =
        "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n"
        + "<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

    /// <summary>The response replacing the real one, or null when the call should proceed normally.</summary>
    public static async Task<IResult?> ApplyAsync(SandboxFault? fault, SandboxEndpoint endpoint, CancellationToken cancellationToken)
    {
        switch (fault?.Kind)
        {
            case null or SandboxFaultKind.None:
                return null;
            case SandboxFaultKind.Delay:
                // Real time on purpose: under a fake TimeProvider a provider-driven delay would never end.
                await Task.Delay(fault.DelayMilliseconds, cancellationToken);
                return null;
            case SandboxFaultKind.Busy when IsWeCom(endpoint):
                return WeComResponses.Error(WeChatErrorCodes.SystemError);
            case SandboxFaultKind.Busy:
                return WeChatResponses.Json(new ErrorBody(WeChatErrorCodes.SystemError, WeChatErrorMessages.For(WeChatErrorCodes.SystemError)));
            case SandboxFaultKind.ServerError:
                return Results.Text(ServiceUnavailableHtml, "text/html", statusCode: StatusCodes.Status503ServiceUnavailable);
            case SandboxFaultKind.MalformedBody:
                return Results.Text(TruncatedBody(endpoint), SandboxJson.WeChatContentType);
            case SandboxFaultKind.ErrorCode:
                return IsWeCom(endpoint) ? WeComResponses.Error(fault.ErrorCode) : WeChatResponses.Error(fault.ErrorCode);
            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault.Kind, "Unknown fault kind.");
        }
    }

    private static bool IsWeCom(SandboxEndpoint endpoint) =>
        endpoint is SandboxEndpoint.WeComToken or SandboxEndpoint.WeComCorpTicket or SandboxEndpoint.WeComAgentTicket;

    private static string TruncatedBody(SandboxEndpoint endpoint) => endpoint == SandboxEndpoint.Ticket
        ? """{"errcode":0,"errmsg":"ok","ticket":"sM4AOVdWfPE4"""
        : """{"access_token":"abc""";
}
