using System.Text.Json.Serialization;

namespace WxShare.Operations;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(HealthReport))]
[JsonSerializable(typeof(PublicHealthReport))]
[JsonSerializable(typeof(RelayedToken))]
[JsonSerializable(typeof(RejectedTokenReport))]
[JsonSerializable(typeof(RefreshNowResult))]
internal sealed partial class OperationsJsonContext : JsonSerializerContext
{
    /// <summary>With the one encoder setting of every answer (<see cref="Http.WxShareJson"/>), camelCase as above.</summary>
    public static OperationsJsonContext Answers { get; } = new(WithCamelCase(Http.WxShareJson.Options()));

    private static System.Text.Json.JsonSerializerOptions WithCamelCase(System.Text.Json.JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase;
        return options;
    }
}
