using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using WxShare.Platform;
using WxShare.WeChatSandbox;
using WxShare.WeChatSandbox.Platform;

namespace WxShare.Functions.Tests.Platform;

/// <summary>A push to the event URL, built by a test: the query WeChat sends and the envelope body.</summary>
internal sealed record PlatformPushRequest(string? Timestamp, string? Nonce, string? EncryptType, string? MsgSignature, byte[] Body)
{
    public Stream BodyStream => new MemoryStream(Body, writable: false);

    /// <summary>The push as WeChat POSTs it to a host: <paramref name="eventPath"/> with the query, the envelope as text/xml.</summary>
    public HttpRequestMessage ToHttpRequest(string eventPath) =>
        new(HttpMethod.Post, new Uri(QueryHelpers.AddQueryString(eventPath, new Dictionary<string, string?>
        {
            ["timestamp"] = Timestamp, ["nonce"] = Nonce, ["encrypt_type"] = EncryptType, ["msg_signature"] = MsgSignature,
        }), UriKind.Relative))
        {
            Content = new ByteArrayContent(Body) { Headers = { ContentType = new("text/xml") { CharSet = "utf-8" } } },
        };
}

/// <summary>Pushes as WeChat makes them for the sandbox's platform, and ones spoiled in exactly one way.</summary>
internal static class PlatformPushes
{
    public static readonly PlatformMessageCrypto SandboxCrypto =
        new(PlatformSandboxDefaults.Token, PlatformSandboxDefaults.EncodingAESKey, PlatformSandboxDefaults.ComponentAppId);

    /// <summary>The sandbox issues its next verify ticket (it has no event URL, so it sends nothing): that ticket's push, signed at <paramref name="at"/>.</summary>
    public static async Task<(string Ticket, PlatformPushRequest Push)> SandboxTicketPushAsync(WeChatSandboxServer sandbox, DateTimeOffset at)
    {
        await sandbox.PlatformPusher.PushVerifyTicketAsync(CancellationToken.None);
        var ticket = sandbox.Platform.LatestVerifyTicket()!;
        return (ticket, Signed(SandboxCrypto.Encrypt(TicketMessage(ticket, at)), at));
    }

    public static string TicketMessage(string ticket, DateTimeOffset createdAt, string componentAppId = PlatformSandboxDefaults.ComponentAppId) =>
        $"<xml><AppId><![CDATA[{componentAppId}]]></AppId><CreateTime>{createdAt.ToUnixTimeSeconds()}</CreateTime>"
        + $"<InfoType><![CDATA[component_verify_ticket]]></InfoType><ComponentVerifyTicket><![CDATA[{ticket}]]></ComponentVerifyTicket></xml>";

    /// <summary>A correctly signed push of <paramref name="encrypt"/> at <paramref name="at"/>.</summary>
    public static PlatformPushRequest Signed(string encrypt, DateTimeOffset at, PlatformMessageCrypto? signer = null)
    {
        var timestamp = at.ToUnixTimeSeconds().ToString();
        const string nonce = "1320562132";
        return new PlatformPushRequest(timestamp, nonce, "aes", (signer ?? SandboxCrypto).Signature(timestamp, nonce, encrypt), Envelope(encrypt));
    }

    public static byte[] Envelope(string encrypt) =>
        Encoding.UTF8.GetBytes($"<xml><AppId><![CDATA[{PlatformSandboxDefaults.ComponentAppId}]]></AppId><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>");

    /// <summary>AES-256-CBC over exactly these bytes with the key of <paramref name="encodingAesKey"/>, padding off: ciphertexts WeChat would never send.</summary>
    public static string RawEncrypt(byte[] plain, string encodingAesKey = PlatformSandboxDefaults.EncodingAESKey)
    {
        var key = Convert.FromBase64String(encodingAesKey + "=");
        using var aes = Aes.Create();
        aes.Key = key;
        return Convert.ToBase64String(aes.EncryptCbc(plain, key[..16], PaddingMode.None));
    }
}
