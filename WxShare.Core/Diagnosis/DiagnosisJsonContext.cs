using System.Text.Json.Serialization;
using WxShare.Signing;

namespace WxShare.Diagnosis;

/// <summary>Source-generated JSON for the diagnose and report routes.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(JsSdkDiagnosis))]
[JsonSerializable(typeof(FieldReport))]
[JsonSerializable(typeof(FieldReportReceipt))]
internal sealed partial class DiagnosisJsonContext : JsonSerializerContext
{
    /// <summary>With the one encoder setting of every answer (<see cref="Http.WxShareJson"/>).</summary>
    public static DiagnosisJsonContext Readable { get; } = new(Http.WxShareJson.Options(JsonIgnoreCondition.WhenWritingNull));
}
