using System.Net;
using WxShare.WeChatSandbox.Domain;

namespace WxShare.WeChatSandbox.Http;

/// <summary>
/// Per-request facts the wire rules and the answers share: the caller's address, the account the call was for, and
/// the rid an error answer was given (null when none was).
/// </summary>
internal sealed class SandboxCall
{
    public string? AppId { get; set; }

    public string? Rid { get; private set; }

    /// <summary>A fresh rid for this call's error answer.</summary>
    public string NewRid() => Rid = RandomCredentials.RequestId();

    /// <summary>The call of this request; a request the wire rules did not see (an admin path) gets a throwaway one.</summary>
    public static SandboxCall Of(HttpContext context)
    {
        if (context.Features.Get<SandboxCall>() is { } call)
            return call;
        call = new SandboxCall();
        context.Features.Set(call);
        return call;
    }

    /// <summary>The caller's address as WeChat reports it: an IPv4-mapped IPv6 address in its IPv4 form.</summary>
    public static string CallerIp(HttpContext context) => context.Connection.RemoteIpAddress switch
    {
        null => "0.0.0.0",
        { IsIPv4MappedToIPv6: true } mapped => mapped.MapToIPv4().ToString(),
        IPAddress address => address.ToString(),
    };
}
