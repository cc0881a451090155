using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace WxShare.WeChatSandbox.Platform;

/// <summary>
/// How WeChat wraps a push to a platform (WXBizMsgCrypt, encrypt side only): written here on its own, not shared with
/// WxShare.Core, so that the sandbox checks WxShare's decryption instead of agreeing with it by construction.
/// </summary>
internal sealed class PushEncryptor(string token, string encodingAesKey, string componentAppId)
{
    private readonly byte[] _aesKey = Convert.FromBase64String(encodingAesKey + "=");

    /// <summary>The envelope body and the query WeChat sends with it (timestamp, nonce, signature, encrypt_type, msg_signature).</summary>
    public (string Body, string Query) Wrap(string message, long timestamp)
    {
        var encrypt = Encrypt(message);
        var nonce = RandomNumberGenerator.GetInt32(100_000_000, int.MaxValue).ToString();
        var ts = timestamp.ToString();
        var body = $"<xml><AppId><![CDATA[{componentAppId}]]></AppId><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>";
        var query = $"timestamp={ts}&nonce={nonce}&signature={Sha1Sorted(token, ts, nonce)}&encrypt_type=aes"
                    + $"&msg_signature={Sha1Sorted(token, ts, nonce, encrypt)}";
        return (body, query);
    }

    private string Encrypt(string message)
    {
        var text = Encoding.UTF8.GetBytes(message);
        var appId = Encoding.UTF8.GetBytes(componentAppId);
        var plain = new MemoryStream();
        plain.Write(RandomNumberGenerator.GetBytes(16));
        plain.Write(BitConverter.GetBytes(IPAddress.HostToNetworkOrder(text.Length)));
        plain.Write(text);
        plain.Write(appId);
        // PKCS#7 to 32-byte blocks, as Tencent's sample does.
        var pad = 32 - (int)(plain.Length % 32);
        for (var i = 0; i < pad; i++)
            plain.WriteByte((byte)pad);

        using var aes = Aes.Create();
        aes.Key = _aesKey;
        return Convert.ToBase64String(aes.EncryptCbc(plain.ToArray(), _aesKey[..16], PaddingMode.None));
    }

    private static string Sha1Sorted(params string[] values) =>
        Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(string.Concat(values.Order(StringComparer.Ordinal)))));
}
