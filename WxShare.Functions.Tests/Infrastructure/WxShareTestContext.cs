using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.Infrastructure;

/// <summary>
/// WxShare's services as a host builds them (AddWxShare), on a fake clock, against Azurite and a WeChat sandbox on
/// loopback that shares the clock. Every log line is collected, so tests can prove that no secret is written.
/// </summary>
public sealed class WxShareTestContext : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);

    private WxShareTestContext(FakeTimeProvider time, WeChatSandboxServer sandbox, ServiceProvider services, string tableName)
    {
        Time = time;
        Sandbox = sandbox;
        Services = services;
        TableName = tableName;
    }

    public FakeTimeProvider Time { get; }
    public WeChatSandboxServer Sandbox { get; }
    public ServiceProvider Services { get; }
    public string TableName { get; }
    public FakeLogCollector Logs => Services.GetRequiredService<FakeLogCollector>();

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public static Task<WxShareTestContext> StartAsync(
        AzuriteFixture azurite, Action<Dictionary<string, string?>>? configure = null, SandboxOptions? sandboxOptions = null,
        Action<IServiceCollection>? replaceServices = null) =>
        StartAsync(azurite.ConnectionString, azurite.NewTableName(), configure, sandboxOptions, replaceServices);

    /// <summary>Against a storage of the test's own, such as an <see cref="AzuriteProcess"/> it stops.</summary>
    /// <summary>Keys__tests__*: every route of every account, for a test that calls a keyed route directly (<see cref="Keyed"/>).</summary>
    public const string OperatorKey = "tests-operator-key-0123456789abcdefghijkl";

    /// <summary>The request as a caller with <see cref="OperatorKey"/> sends it.</summary>
    public static Microsoft.AspNetCore.Http.HttpRequest Keyed(Microsoft.AspNetCore.Http.HttpRequest request)
    {
        request.Headers.Authorization = "Bearer " + OperatorKey;
        return request;
    }

    public static Task<WxShareTestContext> StartAsync(AzuriteProcess azurite, Action<Dictionary<string, string?>>? configure = null) =>
        StartAsync(azurite.ConnectionString, AzuriteFixture.UniqueTableName(), configure, null, null);

    private static async Task<WxShareTestContext> StartAsync(
        string storageConnection, string tableName, Action<Dictionary<string, string?>>? configure, SandboxOptions? sandboxOptions,
        Action<IServiceCollection>? replaceServices)
    {
        var time = new FakeTimeProvider(Start);
        var sandbox = await WeChatSandboxServer.StartAsync(sandboxOptions, time);
        var settings = TestSettings.For(storageConnection, tableName, sandbox.BaseAddress);
        TestKeys.AddOperator(settings, "tests", OperatorKey);
        configure?.Invoke(settings);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
        services.AddWxShare(configuration);
        replaceServices?.Invoke(services);
        return new WxShareTestContext(time, sandbox, services.BuildServiceProvider(validateScopes: true), tableName);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
