using WxShare.Signing;

namespace WxShare.Functions.Tests.Infrastructure;

internal static class Signatures
{
    /// <summary>Whether WeChat, holding <paramref name="ticket"/>, would accept this config (by <see cref="DocumentedSignature"/>, not WxShare's code).</summary>
    public static bool VerifiesWith(this JsSdkConfig config, string? ticket) =>
        ticket is not null && DocumentedSignature.Compute(ticket, config.NonceStr, config.Timestamp, config.Url) == config.Signature;
}
