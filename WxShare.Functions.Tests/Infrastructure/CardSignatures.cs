using System.Security.Cryptography;
using System.Text;

namespace WxShare.Functions.Tests.Infrastructure;

/// <summary>The documented card signature, written independently of WxShare's: sort the values, join, SHA-1, hex.</summary>
internal static class CardSignatures
{
    public static string Independent(params string[] values)
    {
        var sorted = values.ToList();
        sorted.Sort(string.CompareOrdinal);
        var joined = new StringBuilder();
        foreach (var value in sorted)
            joined.Append(value);
        using var sha1 = SHA1.Create();
        return BitConverter.ToString(sha1.ComputeHash(Encoding.UTF8.GetBytes(joined.ToString()))).Replace("-", "").ToLowerInvariant();
    }
}
