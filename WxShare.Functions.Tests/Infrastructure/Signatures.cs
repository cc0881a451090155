using WxShare.Signing;

namespace WxShare.Functions.Tests.Infrastructure;

internal static class Signatures
{
    /// <summary>Whether WeChat, holding <paramref name="ticket"/>, would accept this config.</summary>
    public static bool VerifiesWith(this JsSdkConfig config, string? ticket) =>
        ticket is not null && JsSdkSignature.Compute(ticket, config.NonceStr, config.Timestamp, config.Url) == config.Signature;
}
