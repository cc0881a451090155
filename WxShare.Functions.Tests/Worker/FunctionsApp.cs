using WxShare.Configuration;
using WxShare.Functions.Tests.FunctionsHost;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.Worker;

/// <summary>
/// The Functions app's real worker under the test host, against Azurite (a table of its own) and a WeChat sandbox
/// on loopback, on the real clock. Its app settings are the ones a deployment sets.
/// </summary>
public sealed class FunctionsApp : IAsyncDisposable
{
    public const string Schedule = "0 */5 * * * *";

    /// <summary>Keys__operator__*: every route of every account. The worker checks it itself (every function is anonymous to the host).</summary>
    public const string OperatorKey = "worker-operator-key-0123456789abcdefghijk";

    /// <summary>Keys__relay-only__*: the relay of every account, nothing else.</summary>
    public const string RelayOnlyKey = "worker-relay-only-key-0123456789abcdefghi";

    /// <summary>A request with the operator key as its Bearer.</summary>
    public static HttpRequestMessage Keyed(HttpMethod method, string pathAndQuery, string key = OperatorKey) =>
        new(method, new Uri(pathAndQuery, UriKind.Relative)) { Headers = { Authorization = TestKeys.Bearer(key) } };

    private FunctionsApp(WeChatSandboxServer sandbox, FunctionsWorkerHost host, IReadOnlyDictionary<string, string?> appSettings)
    {
        Sandbox = sandbox;
        Host = host;
        AppSettings = appSettings;
    }

    public WeChatSandboxServer Sandbox { get; }
    public FunctionsWorkerHost Host { get; }
    public IReadOnlyDictionary<string, string?> AppSettings { get; }

    /// <param name="configure">Adds or changes configuration (WeChat:AppId form) before it becomes app settings.</param>
    public static async Task<FunctionsApp> StartAsync(AzuriteFixture azurite, Action<Dictionary<string, string?>>? configure = null)
    {
        var sandbox = await WeChatSandboxServer.StartAsync();
        try
        {
            var configuration = TestSettings.For(azurite.ConnectionString, azurite.NewTableName(), sandbox.BaseAddress);
            TestKeys.AddOperator(configuration, "operator", OperatorKey);
            TestKeys.Add(configuration, "relay-only", RelayOnlyKey, routes: "relay", accounts: "*");
            configure?.Invoke(configuration);
            var settings = AsAppSettings(configuration);
            settings["AzureWebJobsStorage"] = azurite.ConnectionString;
            return new FunctionsApp(sandbox, await FunctionsWorkerHost.StartAsync(settings), settings);
        }
        catch
        {
            await sandbox.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Configuration keys (WeChat:AppId) as app settings (WeChat__AppId), with the timer's schedule, which the
    /// Functions host needs as an app setting of its own to resolve %RefreshSchedule%.
    /// </summary>
    public static Dictionary<string, string?> AsAppSettings(IReadOnlyDictionary<string, string?> configuration)
    {
        var settings = configuration.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);
        settings[RefreshOptions.ScheduleSetting] = Schedule;
        return settings;
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
