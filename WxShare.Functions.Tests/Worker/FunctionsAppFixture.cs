using WxShare.Functions.Tests.Infrastructure;

namespace WxShare.Functions.Tests.Worker;

/// <summary>
/// One worker for a whole test class (xunit class fixture): started by the first test that asks, stopped after the
/// last. A start that fails is not retried, so every test of the class reports the same failure at once.
/// </summary>
public class FunctionsAppFixture : IAsyncLifetime
{
    private readonly Lock _gate = new();
    private Task<FunctionsApp>? _app;

    /// <summary>The class's worker; Azurite comes from the test's collection fixture, hence the parameter.</summary>
    public Task<FunctionsApp> AppAsync(AzuriteFixture azurite)
    {
        lock (_gate)
            return _app ??= StartAsync(azurite);
    }

    protected virtual Task<FunctionsApp> StartAsync(AzuriteFixture azurite) => FunctionsApp.StartAsync(azurite);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_app is { IsCompletedSuccessfully: true })
            await _app.Result.DisposeAsync();
    }
}
