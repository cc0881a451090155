using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WxShare.Configuration;

namespace WxShare.Http;

public static class KeyExtensions
{
    /// <summary>The keys of Keys__*, validated at start-up, and the check both hosts run.</summary>
    public static IServiceCollection AddKeys(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IValidateOptions<KeysOptions>, KeysOptionsValidator>();
        services.AddOptions<KeysOptions>().Configure(o => o.Load(configuration)).ValidateOnStart();
        services.AddSingleton<KeyRing>();
        services.AddSingleton<KeyCheck>();
        return services;
    }

    /// <summary>The route answers only to a key whose Routes include <paramref name="route"/>.</summary>
    public static TBuilder RequireKey<TBuilder>(this TBuilder endpoint, string route) where TBuilder : IEndpointConventionBuilder =>
        endpoint.AddEndpointFilter<TBuilder>(async (invocation, next) =>
        {
            var context = invocation.HttpContext;
            var refusal = context.RequestServices.GetRequiredService<KeyCheck>().Require(context, route);
            if (refusal is null)
                return await next(invocation);
            context.Response.Headers.CacheControl = "no-store";
            return ErrorResults.Json(refusal.StatusCode, refusal.Error);
        });
}
