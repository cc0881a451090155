using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WxShare.Functions.Tests.Infrastructure;

namespace WxShare.Functions.Tests.Functions;

/// <summary>The Functions app's own service wiring, as its Program builds it, in-process (Worker/ runs the real worker process).</summary>
public sealed class FunctionsAppTests
{
    [Fact]
    public void The_functions_app_resolves_every_function_from_its_own_services()
    {
        using var host = WxShareFunctionsApp.Build([], config => config.AddInMemoryCollection(TestSettings.Offline()));

        Assert.NotNull(ActivatorUtilities.CreateInstance<JsSdkConfigFunction>(host.Services));
        Assert.NotNull(ActivatorUtilities.CreateInstance<RefreshCredentialsFunction>(host.Services));
        Assert.NotNull(ActivatorUtilities.CreateInstance<PageAssetFunctions>(host.Services));
        Assert.NotNull(ActivatorUtilities.CreateInstance<CardExtFunction>(host.Services));
        Assert.NotNull(ActivatorUtilities.CreateInstance<ChooseCardFunction>(host.Services));
    }
}
