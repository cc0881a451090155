namespace WxShare.Diagnosis;

/// <summary>What a page signed, or was about to: the page URL, and optionally the wx.config values it used, as given (unparsed).</summary>
/// <param name="AgentId">A WeCom app's AgentId, as the config route takes it.</param>
/// <param name="SignatureOf">The call <paramref name="Signature"/> (with its timestamp and nonceStr) was made for.</param>
public sealed record DiagnosisInput(string Url, string? AppId = null, string? Signature = null, string? Timestamp = null, string? NonceStr = null,
    string? AgentId = null, SignedCall SignatureOf = SignedCall.Config);
