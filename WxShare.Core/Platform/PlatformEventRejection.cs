namespace WxShare.Platform;

/// <summary>Why the event receiver refused a push. Each has a stable code (the JSON error) and an HTTP status.</summary>
public enum PlatformEventRejection
{
    /// <summary>No platform of that name is configured.</summary>
    UnknownPlatform,
    /// <summary>timestamp, nonce or msg_signature missing, or encrypt_type not <c>aes</c>.</summary>
    BadQuery,
    /// <summary>The body is over 64 KiB.</summary>
    BodyTooLarge,
    /// <summary>Not the XML WeChat sends (either layer), a DTD, or no Encrypt element.</summary>
    MalformedXml,
    /// <summary>msg_signature is not the SHA-1 of the sorted token, timestamp, nonce and Encrypt.</summary>
    BadSignature,
    /// <summary>The timestamp is more than 5 minutes from now.</summary>
    StaleTimestamp,
    /// <summary>Encrypt does not decrypt: not base64, not whole AES blocks, WeChat's 32-byte PKCS#7 padding wrong, or a length out of range.</summary>
    BadPadding,
    /// <summary>The message decrypts but names another receiver than the platform's component appid.</summary>
    WrongReceiver,
}

public static class PlatformEventRejections
{
    /// <summary>The code in the JSON error and the log, e.g. <c>bad_signature</c>.</summary>
    public static string Code(this PlatformEventRejection rejection) => rejection switch
    {
        PlatformEventRejection.UnknownPlatform => "unknown_platform",
        PlatformEventRejection.BadQuery => "bad_query",
        PlatformEventRejection.BodyTooLarge => "body_too_large",
        PlatformEventRejection.MalformedXml => "malformed_xml",
        PlatformEventRejection.BadSignature => "bad_signature",
        PlatformEventRejection.StaleTimestamp => "stale_timestamp",
        PlatformEventRejection.BadPadding => "bad_padding",
        PlatformEventRejection.WrongReceiver => "wrong_receiver",
        _ => throw new ArgumentOutOfRangeException(nameof(rejection), rejection, null),
    };

    /// <summary>401 when the push is not proven to be WeChat's (signature, replay); 404, 413, else 400.</summary>
    public static int StatusCode(this PlatformEventRejection rejection) => rejection switch
    {
        PlatformEventRejection.UnknownPlatform => 404,
        PlatformEventRejection.BodyTooLarge => 413,
        PlatformEventRejection.BadSignature or PlatformEventRejection.StaleTimestamp => 401,
        _ => 400,
    };

    /// <summary>One sentence for the JSON error body: what is wrong, never a value that came in.</summary>
    public static string Describe(this PlatformEventRejection rejection) => rejection switch
    {
        PlatformEventRejection.UnknownPlatform => "No third-party platform of this name is configured (Platforms__<name>__ComponentAppId).",
        PlatformEventRejection.BadQuery => "The query needs timestamp (epoch seconds), nonce, msg_signature and encrypt_type=aes.",
        PlatformEventRejection.BodyTooLarge => $"The body is larger than {PlatformEventReceiver.MaxBodyBytes} bytes.",
        PlatformEventRejection.MalformedXml => "The body is not the XML WeChat pushes (<xml><AppId/><Encrypt/></xml>, no DTD), or its decrypted message is not.",
        PlatformEventRejection.BadSignature => "msg_signature does not match: is Platforms__<name>__Token the console's 消息校验Token?",
        PlatformEventRejection.StaleTimestamp => "The timestamp is more than 5 minutes from this server's clock.",
        PlatformEventRejection.BadPadding => "Encrypt does not decrypt: is Platforms__<name>__EncodingAESKey the console's 消息加解密Key?",
        PlatformEventRejection.WrongReceiver => "The message is addressed to another component appid than Platforms__<name>__ComponentAppId.",
        _ => throw new ArgumentOutOfRangeException(nameof(rejection), rejection, null),
    };
}
