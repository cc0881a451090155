using System.Text.Json;
using System.Text.Json.Serialization;

// The floor bench/load.sh compares the signing route with: a bare Kestrel app answering a constant body of the
// config route's shape, through source-generated JSON, with none of WxShare's middleware, services or telemetry.
var builder = WebApplication.CreateSlimBuilder(args);
// No logging at all: the slim builder's console logger would print two lines per request.
builder.Logging.ClearProviders();
var app = builder.Build();
var constant = new SignedConfig("wx5a4d5b0c1e2f3a4b", 1796123551, "MltHrchtOzpkBOec",
    "267c0e07c0a1b6ac3d0d8c13aa3a7d70c6a0c1e4", "https://example.com/share?id=1");
app.MapGet("/", () => TypedResults.Json(constant, BareJsonContext.Default.SignedConfig));
app.Run();

internal sealed record SignedConfig(string AppId, long Timestamp, string NonceStr, string Signature, string Url);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SignedConfig))]
internal sealed partial class BareJsonContext : JsonSerializerContext;
