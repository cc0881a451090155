using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using WxShare.Configuration;

namespace WxShare.WeCom;

internal static class WeComServiceCollectionExtensions
{
    /// <summary>WeCom's settings, client (its own HttpClient, resilience and no URI logging), hourly ticket budget and refresher.</summary>
    public static IServiceCollection AddWeCom(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IValidateOptions<WeComOptions>, WeComOptionsValidator>();
        services.AddOptions<WeComOptions>().Bind(configuration.GetSection(WeComOptions.Section)).ValidateOnStart();

        services.AddHttpClient<WeComApiClient>((sp, http) =>
            {
                http.BaseAddress = new Uri(sp.GetRequiredService<IOptions<WeComOptions>>().Value.ApiBaseUrl.TrimEnd('/') + "/");
                http.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline times each attempt
            })
            // Request URIs carry corpsecret= and access_token=: no HttpClient logging at all.
            .RemoveAllLoggers()
            .AddResilienceHandler("wecom", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<WeChatOptions>>().Value;
                pipeline
                    .AddRetry(new HttpRetryStrategyOptions
                    {
                        // WeComTicketBudget counts every call as this many attempts.
                        MaxRetryAttempts = WeComApiClient.MaxAttemptsPerCall - 1,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        Delay = TimeSpan.FromMilliseconds(options.RetryDelayMilliseconds),
                    })
                    .AddTimeout(TimeSpan.FromSeconds(options.RequestTimeoutSeconds));
            });

        services.AddSingleton<WeComTicketBudget>();
        services.AddTransient<WeComCredentialRefresher>();
        return services;
    }
}
