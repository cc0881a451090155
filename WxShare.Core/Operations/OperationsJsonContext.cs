using System.Text.Json.Serialization;

namespace WxShare.Operations;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(HealthReport))]
[JsonSerializable(typeof(RelayedToken))]
[JsonSerializable(typeof(RejectedTokenReport))]
[JsonSerializable(typeof(RefreshNowResult))]
internal sealed partial class OperationsJsonContext : JsonSerializerContext;
