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

    public static async Task<WxShareTestContext> StartAsync(
        AzuriteFixture azurite, Action<Dictionary<string, string?>>? configure = null, SandboxOptions? sandboxOptions = null)
    {
        var time = new FakeTimeProvider(Start);
        var sandbox = await WeChatSandboxServer.StartAsync(sandboxOptions, time);
        var tableName = azurite.NewTableName();
        var settings = TestSettings.For(azurite.ConnectionString, tableName, sandbox.BaseAddress);
        configure?.Invoke(settings);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
        services.AddWxShare(configuration);
        return new WxShareTestContext(time, sandbox, services.BuildServiceProvider(validateScopes: true), tableName);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
