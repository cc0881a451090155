using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using WxShare.WeChat;

namespace WxShare.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The meter, and the counting handler on the WeChat client. Call after the client's resilience handler is added.</summary>
    internal static IServiceCollection AddWxShareMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddSingleton<WxShareMetrics>();
        services.AddTransient<WeChatCallMetricsHandler>();
        // Added after the resilience handler, so inside it: each retry counts, as it does against WeChat's quota.
        services.AddHttpClient<WeChatApiClient>().AddHttpMessageHandler<WeChatCallMetricsHandler>();
        return services;
    }

    /// <summary>
    /// Exports the WxShare meter with OpenTelemetry: over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set (the exporter
    /// reads the other OTEL_* settings itself). Each host adds its own exporters to the builder returned.
    /// </summary>
    public static OpenTelemetryBuilder AddWxShareOpenTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var builder = services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(WxShareMetrics.MeterName));
        if (!string.IsNullOrWhiteSpace(configuration[OtlpEndpointSetting]))
            builder.UseOtlpExporter();
        return builder;
    }
}
