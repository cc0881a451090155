using System.Security.Cryptography;
using System.Text;

namespace WxShare.Functions.Tests.Infrastructure;

/// <summary>The facts file's recipe, built independently of WxShare's code: sort field names in ASCII order, key=value joined by &amp;, SHA-1 hex.</summary>
internal static class DocumentedSignature
{
    public static string Compute(string ticket, string nonce, long timestamp, string url)
    {
        var fields = new Dictionary<string, string>
        {
            ["url"] = url, ["timestamp"] = timestamp.ToString(), ["noncestr"] = nonce, ["jsapi_ticket"] = ticket,
        };
        var text = string.Join("&", fields.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Key + "=" + f.Value));
        return Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
