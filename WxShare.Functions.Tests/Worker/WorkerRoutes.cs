using WxShare.Http;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Platform;
using WxShare.Signing;

namespace WxShare.Functions.Tests.Worker;

/// <summary>The app's routes as a client calls them through the Functions host (host.json's "api" prefix).</summary>
internal static class WorkerRoutes
{
    /// <summary>
    /// Every function the app defines: one per row of the route table (RouteTableTests checks each attribute against
    /// its row) and the timer. A route added to the table without its function fails the boot test.
    /// </summary>
    public static readonly string[] Functions = [.. ApiRoutes.All.Select(r => r.Name), "RefreshCredentials"];

    public const string ConfigPath = "/api/" + ApiRoutes.ConfigPath;

    public static string Config(string pageUrl) => ConfigPath + HttpRequests.ForPage(pageUrl);

    /// <summary>A platform route's path for one platform: the table's template with its {name} filled in.</summary>
    public static string Platform(ApiRoute route, string platformName) =>
        route.FullPath.Replace("{" + PlatformEndpoints.NameRouteValue + "}", Uri.EscapeDataString(platformName), StringComparison.Ordinal);
}
