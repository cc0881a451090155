using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WxShare.Configuration;

namespace WxShare.Http;

public static class KeyExtensions
{
    /// <summary>The keys of Keys__*, validated at start-up, and the check the edge runs on both hosts.</summary>
    public static IServiceCollection AddKeys(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IValidateOptions<KeysOptions>>(new KeysOptionsValidator(configuration));
        services.AddOptions<KeysOptions>().Configure(o => o.Load(configuration)).ValidateOnStart();
        services.AddSingleton<KeyRing>();
        services.AddSingleton<KeyCheck>();
        return services;
    }
}

public static class RequestUrlLogging
{
    /// <summary>The category whose "Request starting … URL" lines print the query string.</summary>
    public const string Category = "Microsoft.AspNetCore.Hosting.Diagnostics";

    /// <summary>
    /// Both hosts turn it off: a URL may hold a key a client should not have sent there. Off entirely, not just above
    /// Warning: while the category is enabled at any level, hosting opens a log scope for every request
    /// (docs/performance.md). Start-up failures still surface (BadSettingsExit prints them).
    /// </summary>
    public static ILoggingBuilder DropRequestUrlLogs(this ILoggingBuilder logging) => logging.AddFilter(Category, LogLevel.None);
}
