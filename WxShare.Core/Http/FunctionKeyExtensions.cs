using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WxShare.Configuration;

namespace WxShare.Http;

public static class FunctionKeyExtensions
{
    /// <summary>The standalone host's keys (Relay__Keys), validated at start-up, and the filter that checks them.</summary>
    public static IServiceCollection AddFunctionKeys(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IValidateOptions<RelayOptions>, RelayOptionsValidator>();
        services.AddOptions<RelayOptions>().Bind(configuration.GetSection(RelayOptions.Section)).ValidateOnStart();
        services.AddSingleton<AccessKeys>();
        services.AddSingleton<FunctionKeyFilter>();
        return services;
    }
}
