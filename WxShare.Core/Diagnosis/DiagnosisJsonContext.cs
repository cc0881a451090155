using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using WxShare.Signing;

namespace WxShare.Diagnosis;

/// <summary>Source-generated JSON for the diagnose and report routes.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(JsSdkDiagnosis))]
[JsonSerializable(typeof(FieldReport))]
[JsonSerializable(typeof(ApiError))]
internal sealed partial class DiagnosisJsonContext : JsonSerializerContext
{
    /// <summary>
    /// URLs and messages as operators read them (&amp;, quotes and apostrophes unescaped): these answers are
    /// application/json, never embedded in HTML.
    /// </summary>
    public static DiagnosisJsonContext Readable { get; } = new(new JsonSerializerOptions
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    });
}
