using System.Text.Json.Serialization;
using WxShare.Signing;

namespace WxShare.Operations;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(HealthReport))]
[JsonSerializable(typeof(RelayedToken))]
[JsonSerializable(typeof(RejectedTokenReport))]
[JsonSerializable(typeof(RefreshNowResult))]
internal sealed partial class OperationsJsonContext : JsonSerializerContext;
