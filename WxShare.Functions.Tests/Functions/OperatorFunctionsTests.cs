using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WxShare.Functions.Tests.Infrastructure;

namespace WxShare.Functions.Tests.Functions;

/// <summary>The operator functions as the Functions host sees them: every one AuthorizationLevel.Anonymous (the edge checks Keys__*), routes as on the standalone host.</summary>
public sealed class OperatorFunctionsTests
{
    public static TheoryData<Type, AuthorizationLevel, string, string> Functions() => new()
    {
        { typeof(HealthFunction), AuthorizationLevel.Anonymous, "get", "health" },
        { typeof(TokenRelayFunction), AuthorizationLevel.Anonymous, "get", "wechat/token" },
        { typeof(TokenRelayRefreshFunction), AuthorizationLevel.Anonymous, "post", "wechat/token/refresh" },
        { typeof(RefreshNowFunction), AuthorizationLevel.Anonymous, "post", "ops/refresh" },
    };

    [Theory]
    [MemberData(nameof(Functions))]
    public void Each_operator_function_has_its_route_method_and_key_level(Type function, AuthorizationLevel level, string method, string route)
    {
        var trigger = function.GetMethod("Run")!.GetParameters()
            .Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).Single(a => a is not null)!;

        Assert.Equal(level, trigger.AuthLevel);
        Assert.Equal([method], trigger.Methods ?? []);
        Assert.Equal(route, trigger.Route);
        Assert.False(route.StartsWith("admin", StringComparison.OrdinalIgnoreCase), "The Functions host reserves routes beginning with admin.");
        Assert.Equal("/api/" + route, WxShare.Host.WxShareHost.Api(route));
    }

    [Fact]
    public void The_functions_app_resolves_the_operator_functions_from_its_own_services()
    {
        using var host = WxShareFunctionsApp.Build([], config => config.AddInMemoryCollection(TestSettings.Offline()));

        foreach (var function in new[] { typeof(HealthFunction), typeof(TokenRelayFunction), typeof(TokenRelayRefreshFunction), typeof(RefreshNowFunction) })
            Assert.NotNull(ActivatorUtilities.CreateInstance(host.Services, function));
    }
}
