using System.Text.Json.Serialization;
using WxShare.Signing;

namespace WxShare.Diagnosis;

/// <summary>Source-generated JSON for the diagnose and report routes.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(JsSdkDiagnosis))]
[JsonSerializable(typeof(FieldReport))]
[JsonSerializable(typeof(ApiError))]
internal sealed partial class DiagnosisJsonContext : JsonSerializerContext;
