using System.Text.Json.Serialization;
using WxShare.Signing;

namespace WxShare.WeCom;

/// <summary>
/// What a WeCom page passes to wx.config (<c>beta: true</c>, appId = CorpID, signed with the corp ticket) and, under
/// <see cref="AgentConfig"/>, to wx.agentConfig (signed with the app's agent ticket). <see cref="Url"/> is the string signed.
/// </summary>
/// <remarks>The serializer writes a derived record's own properties before the inherited ones unless ordered: beta first,
/// agentConfig after wx.config's fields.</remarks>
public sealed record WeComJsSdkConfig(string AppId, long Timestamp, string NonceStr, string Signature, string Url,
    [property: JsonPropertyName("agentConfig"), JsonPropertyOrder(1)] WeComAgentConfig AgentConfig)
    : JsSdkConfig(AppId, Timestamp, NonceStr, Signature, Url)
{
    /// <summary>WeCom needs it in wx.config, or wx.invoke breaks (doc 90547).</summary>
    [JsonPropertyName("beta")]
    [JsonPropertyOrder(-1)]
    public bool Beta => true;
}

/// <summary>The fields of wx.agentConfig, named as WeCom names them.</summary>
public sealed record WeComAgentConfig(
    [property: JsonPropertyName("corpid")] string CorpId,
    [property: JsonPropertyName("agentid")] string AgentId,
    [property: JsonPropertyName("timestamp")] long Timestamp,
    [property: JsonPropertyName("nonceStr")] string NonceStr,
    [property: JsonPropertyName("signature")] string Signature);
