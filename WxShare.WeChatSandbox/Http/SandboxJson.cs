using System.Text.Json;
using System.Text.Json.Serialization;

namespace WxShare.WeChatSandbox.Http;

internal static class SandboxJson
{
    /// <summary>The content type api.weixin.qq.com really sends (note: "encoding", not "charset").</summary>
    public const string WeChatContentType = "application/json; encoding=utf-8";

    /// <summary>WeChat's wire format: snake_case fields.</summary>
    public static readonly JsonSerializerOptions WeChat = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The admin endpoints: camelCase fields, enums as strings.</summary>
    public static readonly JsonSerializerOptions Admin = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
}
