using Microsoft.Extensions.DependencyInjection;
using WxShare.Refresh;

namespace WxShare.Operations;

public static class OperationsServiceCollectionExtensions
{
    /// <summary>The operator routes both hosts serve: health, the token relay and its refresh, refresh-now.</summary>
    public static IServiceCollection AddWxShareOperations(this IServiceCollection services)
    {
        services.AddSingleton<TokenRelay>();
        services.AddTransient<RejectedTokenRefresher>();
        services.AddTransient<HealthEndpoint>();
        services.AddTransient<TokenRelayEndpoint>();
        services.AddTransient<TokenRelayRefreshEndpoint>();
        services.AddTransient<RefreshNowEndpoint>();
        return services;
    }
}
