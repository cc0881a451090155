using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WxShare.Functions.Tests.Infrastructure;

/// <summary>
/// Another WxShare instance beside a test context: its own services (own refresh instance id, own caches), sharing
/// the context's table, WeChat sandbox and clock, as two hosts of one deployment share Table Storage.
/// </summary>
internal static class SecondInstance
{
    public static ServiceProvider Start(AzuriteFixture azurite, WxShareTestContext first, Action<Dictionary<string, string?>>? configure = null)
    {
        var settings = TestSettings.For(azurite.ConnectionString, first.TableName, first.Sandbox.BaseAddress);
        TestKeys.AddOperator(settings, "tests", WxShareTestContext.OperatorKey);
        configure?.Invoke(settings);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(first.Time);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
        services.AddWxShare(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services.BuildServiceProvider(validateScopes: true);
    }
}
