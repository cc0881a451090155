using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using WxShare.WeChat;
using WxShare.WeCom;

namespace WxShare.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The meter, and the counting handler on the WeChat and WeCom clients. Call after the clients' resilience handlers are added.</summary>
    internal static IServiceCollection AddWxShareMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddSingleton<WxShareMetrics>();
        // Added after the resilience handlers, so inside them: each retry counts, as it does against WeChat's quota and WeCom's limits.
        services.AddHttpClient<WeChatApiClient>()
            .AddHttpMessageHandler(sp => new ApiCallMetricsHandler(sp.GetRequiredService<WxShareMetrics>(), WeChatEndpoints.Of));
        services.AddHttpClient<WeComApiClient>()
            .AddHttpMessageHandler(sp => new ApiCallMetricsHandler(sp.GetRequiredService<WxShareMetrics>(), WeComEndpoints.Of));
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
