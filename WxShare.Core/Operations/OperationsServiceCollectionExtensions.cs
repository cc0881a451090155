using Microsoft.Extensions.DependencyInjection;
using WxShare.Refresh;

namespace WxShare.Operations;

public static class OperationsServiceCollectionExtensions
{
    /// <summary>The operator routes both hosts serve: health, the token relay and its refresh, refresh-now, and WeChat's quota, rid and clear-quota diagnostics.</summary>
    public static IServiceCollection AddWxShareOperations(this IServiceCollection services)
    {
        services.AddTransient<RejectedTokenRefresher>();
        services.AddTransient<HealthEndpoint>();
        services.AddSingleton<HealthReads>();
        services.AddTransient<TokenRelayEndpoint>();
        services.AddTransient<TokenRelayRefreshEndpoint>();
        services.AddTransient<RefreshNowEndpoint>();
        // Singleton: it remembers when each account's quota was last read, to spare the row read on most ticks.
        services.AddSingleton<WeChatDiagnostics.WeChatQuotaService>();
        services.AddTransient<WeChatDiagnostics.RidLookupService>();
        services.AddTransient<WeChatDiagnostics.ClearQuotaService>();
        services.AddTransient<QuotaEndpoint>();
        services.AddTransient<RidLookupEndpoint>();
        services.AddTransient<ClearQuotaEndpoint>();
        return services;
    }
}
