using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WxShare.Http;

namespace WxShare.WeCom;

internal static class WeComServiceCollectionExtensions
{
    /// <summary>WeCom's settings, client (its own HttpClient, with resilience and no URI logging), hourly ticket budget and credential issuer.</summary>
    public static IServiceCollection AddWeCom(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IValidateOptions<WeComOptions>, WeComOptionsValidator>();
        services.AddOptions<WeComOptions>().Bind(configuration.GetSection(WeComOptions.Section)).ValidateOnStart();

        // No HttpClient logging: the request URIs carry corpsecret= and access_token=.
        services.AddApiHttpClient<WeComApiClient>("wecom", sp => sp.GetRequiredService<IOptions<WeComOptions>>().Value.ApiBaseUrl);

        services.AddSingleton<WeComTicketBudget>();
        services.AddTransient<Refresh.ICredentialIssuer, WeComAppIssuer>();
        return services;
    }
}
