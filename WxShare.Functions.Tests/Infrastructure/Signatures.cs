using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using WxShare.Signing;

namespace WxShare.Functions.Tests.Infrastructure;

internal static class Signatures
{
    /// <summary>Whether WeChat, holding <paramref name="ticket"/>, would accept this config (checked by <see cref="IndependentSignature"/>, not by WxShare's code).</summary>
    public static bool VerifiesWith(this JsSdkConfig config, string? ticket) =>
        ticket is not null && IndependentSignature(ticket, config.NonceStr, config.Timestamp, config.Url) == config.Signature;

    /// <summary>The documented recipe, written independently of WxShare: fields sorted by name, key=value joined by &amp;, SHA-1 hex.</summary>
    public static string IndependentSignature(string ticket, string nonce, long timestamp, string url)
    {
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["url"] = url, ["noncestr"] = nonce, ["timestamp"] = timestamp.ToString(CultureInfo.InvariantCulture), ["jsapi_ticket"] = ticket,
        };
        var text = string.Join("&", fields.Select(f => $"{f.Key}={f.Value}"));
        return Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();
    }
}
