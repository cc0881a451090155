using System.Text.Json.Serialization;
using WxShare.Signing;
using WxShare.WeCom;

namespace WxShare.Http;

/// <summary>Source-generated JSON for every body WxShare answers with: no reflection on the request path.</summary>
[JsonSerializable(typeof(JsSdkConfig))]
[JsonSerializable(typeof(WeComJsSdkConfig))]
[JsonSerializable(typeof(ApiError))]
public sealed partial class WxShareJsonContext : JsonSerializerContext
{
    /// <summary>With the one encoder setting of every answer (<see cref="WxShareJson"/>).</summary>
    public static WxShareJsonContext Answers { get; } = new(WxShareJson.Options());
}
