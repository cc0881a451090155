using WxShare.Http;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Signing;

namespace WxShare.Functions.Tests.Worker;

/// <summary>The app's routes as a client calls them through the Functions host (host.json's "api" prefix).</summary>
internal static class WorkerRoutes
{
    /// <summary>Every function the app defines: a new one is added here and gets one call through the worker.</summary>
    public static readonly string[] Functions = ["JsSdkConfig", "RefreshCredentials", "WxShareScript", "WxShareModule", "Demo", "CardExt", "ChooseCard",
        "Health", "TokenRelay", "TokenRelayRefresh", "RefreshNow", "JsSdkDiagnose", "JsSdkReport", "WeChatQuota", "WeChatRid", "WeChatClearQuota"];

    public const string ConfigPath = "/api/" + ApiRoutes.ConfigPath;

    public static string Config(string pageUrl) => ConfigPath + HttpRequests.ForPage(pageUrl);
}
