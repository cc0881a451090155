namespace WxShare.Diagnosis;

/// <summary>What a page signed, or was about to: the page URL, and optionally the wx.config values it used, as given (unparsed).</summary>
public sealed record DiagnosisInput(string Url, string? AppId = null, string? Signature = null, string? Timestamp = null, string? NonceStr = null);
