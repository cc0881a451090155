using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WxShare.Configuration;

namespace WxShare.Diagnosis;

internal static class DiagnosisServiceCollectionExtensions
{
    /// <summary>The diagnose and report routes, and the report route's limits (validated at start-up).</summary>
    public static IServiceCollection AddJsSdkDiagnosis(this IServiceCollection services, IConfiguration configuration)
    {
        WxShareServiceCollectionExtensions.AddValidatedOptions<FieldReportOptions, FieldReportOptionsValidator>(services, configuration, FieldReportOptions.Section);
        services.AddSingleton<JsSdkDiagnostician>();
        services.AddSingleton<JsSdkDiagnosisService>();
        services.AddSingleton<FieldReportRateLimiter>();
        services.AddSingleton<JsSdkDiagnoseEndpoint>();
        services.AddSingleton<FieldReportEndpoint>();
        return services;
    }
}
