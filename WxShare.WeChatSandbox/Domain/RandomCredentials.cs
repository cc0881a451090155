using System.Security.Cryptography;

namespace WxShare.WeChatSandbox.Domain;

/// <summary>Random strings shaped like WeChat's tokens, tickets and request ids.</summary>
internal static class RandomCredentials
{
    private const string TokenAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

    public static string AccessToken() => RandomNumberGenerator.GetString(TokenAlphabet, 136);

    public static string Ticket() => RandomNumberGenerator.GetString(TokenAlphabet, 86);

    /// <summary>Like the "rid" WeChat appends to errmsg, e.g. <c>6650a1c2-3b4d5e6f-7a8b9c0d</c>.</summary>
    public static string RequestId() =>
        $"{RandomNumberGenerator.GetHexString(8, lowercase: true)}-{RandomNumberGenerator.GetHexString(8, lowercase: true)}-{RandomNumberGenerator.GetHexString(8, lowercase: true)}";
}
