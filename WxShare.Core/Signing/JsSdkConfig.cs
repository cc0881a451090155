using System.Text.Json.Serialization;

namespace WxShare.Signing;

/// <summary>
/// What a page passes to wx.config, with <see cref="Url"/> being exactly the string that was signed. A WeCom page's
/// (<see cref="WeCom.WeComJsSdkConfig"/>) is this and more.
/// </summary>
public record JsSdkConfig(
    [property: JsonPropertyName("appId")] string AppId,
    [property: JsonPropertyName("timestamp")] long Timestamp,
    [property: JsonPropertyName("nonceStr")] string NonceStr,
    [property: JsonPropertyName("signature")] string Signature,
    [property: JsonPropertyName("url")] string Url);
