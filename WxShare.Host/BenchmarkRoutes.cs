using WxShare.Http;
using WxShare.Signing;
using WxShare.Storage;

namespace WxShare.Host;

/// <summary>
/// Routes for bench/load.sh, mapped only when Benchmark__Enabled=true (off by default): a constant body of the
/// config's shape through the same JSON path, as the stack's own floor, and the count of Table Storage reads.
/// </summary>
public static class BenchmarkRoutes
{
    public const string Setting = "Benchmark:Enabled";
    public const string TrivialRoute = "/bench/trivial";
    public const string StorageReadsRoute = "/bench/storage-reads";

    private static readonly JsSdkConfig Constant = new("wx5a4d5b0c1e2f3a4b", 1796123551, "MltHrchtOzpkBOec",
        "267c0e07c0a1b6ac3d0d8c13aa3a7d70c6a0c1e4", "https://example.com/share?id=1");

    public static bool IsEnabled(IConfiguration configuration) => configuration.GetValue<bool>(Setting);

    public static void Map(WebApplication app)
    {
        app.MapGet(TrivialRoute, () => TypedResults.Json(Constant, WxShareJsonContext.Default.JsSdkConfig));
        app.MapGet(StorageReadsRoute, (StorageReadCounter counter) => TypedResults.Text(counter.Reads.ToString(), "text/plain"));
    }
}
