namespace WxShare.WeChatSandbox.Platform;

internal static class PlatformSandboxRegistration
{
    /// <summary>The platform side's state (sharing the WeChat backend, so authorizer tokens work with getticket), its pusher and push timer.</summary>
    public static IServiceCollection AddPlatformSandbox(this IServiceCollection services, PlatformSandboxOptions options, TimeProvider timeProvider)
    {
        services.AddSingleton(sp => new PlatformSandboxState(options, sp.GetRequiredService<WeChatSandboxState>().Backend, timeProvider));
        services.AddSingleton(sp => new PlatformEventPusher(sp.GetRequiredService<PlatformSandboxState>(), timeProvider));
        services.AddHostedService(sp => new PlatformTicketPushService(
            sp.GetRequiredService<PlatformEventPusher>(), sp.GetRequiredService<PlatformSandboxState>(), timeProvider));
        return services;
    }

    public static void MapPlatformSandbox(this IEndpointRouteBuilder routes)
    {
        routes.MapPlatformApi();
        routes.MapPlatformSandboxAdmin();
    }
}
