using System.Security.Cryptography;
using System.Text;

namespace WxShare.Signing;

/// <summary>WeChat's wx.config signature: SHA-1 over the four fields sorted by name, raw values joined as key=value with &amp;.</summary>
public static class JsSdkSignature
{
    private const string NonceAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static string Compute(string jsapiTicket, string nonceStr, long timestamp, string url) =>
        Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(StringToSign(jsapiTicket, nonceStr, timestamp, url))));

    /// <summary>The text whose SHA-1 is the signature (the diagnosis shows it with the ticket masked).</summary>
    // Already in ASCII order of the field names: jsapi_ticket < noncestr < timestamp < url.
    public static string StringToSign(string jsapiTicket, string nonceStr, long timestamp, string url) =>
        $"jsapi_ticket={jsapiTicket}&noncestr={nonceStr}&timestamp={timestamp}&url={url}";

    public static string NewNonce() => RandomNumberGenerator.GetString(NonceAlphabet, 16);
}
