using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WxShare.Configuration;
using WxShare.Http;
using WxShare.Refresh;
using WxShare.Storage;
using WxShare.Telemetry;

namespace WxShare.Platform;

internal static class PlatformServiceCollectionExtensions
{
    /// <summary>
    /// Third-party platforms: their settings (validated at start-up), the component client (its own HttpClient on
    /// WeChat's base URL, with resilience, call counting and no URI logging), the store and the event receiver.
    /// </summary>
    public static IServiceCollection AddPlatforms(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IValidateOptions<PlatformsOptions>, PlatformsOptionsValidator>();
        services.AddOptions<PlatformsOptions>().Configure(o => o.Load(configuration)).ValidateOnStart();
        services.AddSingleton<PlatformRegistry>();

        // No HttpClient logging: the request URIs carry component_access_token=.
        services.AddApiHttpClient<ComponentApiClient>("wechat-component", sp => sp.GetRequiredService<IOptions<WeChatOptions>>().Value.ApiBaseUrl);
        // After the resilience handler, so inside it: each retry counts.
        services.AddHttpClient<ComponentApiClient>()
            .AddHttpMessageHandler(sp => new ApiCallMetricsHandler(sp.GetRequiredService<WxShareMetrics>(), ComponentEndpoints.Of));

        services.AddSingleton<PlatformStore>();
        // Health's reads: bounded as the accounts' cold reads are, so an outage answers 503 within seconds.
        services.AddKeyedSingleton(CredentialTableFactory.ColdReads, (sp, _) =>
            new PlatformStore(sp.GetRequiredService<CredentialTableFactory>().CreateClientForColdReads()));
        services.AddSingleton<AuthorizerDirectory>();
        // Transient, as the refresher and the typed ComponentApiClient they hold are.
        services.AddTransient<ComponentTokenSource>();
        // For what the engine itself builds (AuthorizerIssuer, PendingExchanges): the source runs the engine, so it is
        // resolved on first use rather than in their constructors (a constructor cycle otherwise).
        services.AddTransient(sp => new Lazy<ComponentTokenSource>(sp.GetRequiredService<ComponentTokenSource>));
        services.AddTransient<PendingExchanges>();
        services.AddTransient<PlatformEventReceiver>();
        services.AddTransient<PlatformOnboarding>();
        services.AddTransient<PlatformEndpoints>();
        services.AddTransient<ICredentialIssuer, ComponentIssuer>();
        services.AddTransient<ICredentialIssuer, AuthorizerIssuer>();
        return services;
    }
}
