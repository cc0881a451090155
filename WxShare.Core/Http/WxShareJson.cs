using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;
using System.Text.Json.Serialization.Metadata;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace WxShare.Http;

/// <summary>The one JSON encoder setting of every answer, whichever source-generated context writes it.</summary>
public static class WxShareJson
{
    /// <summary>The encoder of <see cref="Options"/>, for a writer made outside the serializer (<see cref="Signing.SignedConfigResult{T}"/>).</summary>
    public static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>
    /// Answers are application/json, never embedded in HTML, so URLs, quotes and apostrophes are written as operators
    /// read them (no \u0026 or \u0027), and cardExt, itself JSON, stays readable as {\"code\":…}.
    /// </summary>
    public static JsonSerializerOptions Options(JsonIgnoreCondition ignore = JsonIgnoreCondition.Never) => new()
    {
        Encoder = Encoder,
        DefaultIgnoreCondition = ignore,
    };

    /// <summary>202 Accepted with a JSON body: taken in, and what was made of it.</summary>
    public static IResult Accepted<T>(T value, JsonTypeInfo<T> type) => TypedResults.Json(value, type, statusCode: StatusCodes.Status202Accepted);
}
