using System.Text.Json.Serialization;

namespace WxShare.Signing;

/// <summary>The JSON body of every error WxShare returns to a page; an unexpected error also names its correlation id.</summary>
public sealed record ApiError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("correlationId"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CorrelationId = null);
