using WxShare.WeChatSandbox.Http;
using WxShare.WeChatSandbox.Platform;
using WxShare.WeChatSandbox.WeCom;

namespace WxShare.WeChatSandbox;

/// <summary>Builds the sandbox web app; shared by the standalone Program and <see cref="WeChatSandboxServer"/>.</summary>
internal static class SandboxApplication
{
    public static WebApplication Build(WebApplicationBuilder builder, SandboxOptions options, TimeProvider timeProvider)
    {
        // Request logging would print the token call's query string, which carries the AppSecret.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton(new WeChatSandboxState(options, timeProvider));
        builder.Services.AddSingleton(new WeComSandboxState(options.WeCom, timeProvider));
        builder.Services.AddPlatformSandbox(options.Platform, timeProvider);

        var app = builder.Build();
        app.UseWeChatWireRules();
        app.MapWeChatApi();
        app.MapOpenApiDiagnostics();
        app.MapSandboxAdmin();
        app.MapWeComApi();
        app.MapWeComSandboxAdmin();
        app.MapPlatformSandbox();
        return app;
    }

    /// <summary>
    /// The options for the standalone sandbox: its accounts from Sandbox:Accounts:&lt;n&gt;:AppId / :AppSecret (any
    /// names, or a list), else one account from Sandbox:AppId / Sandbox:AppSecret; other settings from the Sandbox section.
    /// </summary>
    public static SandboxOptions OptionsFrom(IConfiguration configuration)
    {
        var section = configuration.GetSection("Sandbox");
        var defaults = new SandboxOptions();
        List<SandboxAccount> accounts = [.. section.GetSection(nameof(SandboxOptions.Accounts)).GetChildren().Select(account => new SandboxAccount
        {
            AppId = account["AppId"] ?? throw new InvalidOperationException($"Sandbox__Accounts__{account.Key}__AppId is not set."),
            AppSecret = account["AppSecret"] ?? throw new InvalidOperationException($"Sandbox__Accounts__{account.Key}__AppSecret is not set."),
        })];
        if (accounts.Count == 0)
            accounts.Add(new SandboxAccount
            {
                AppId = section["AppId"] ?? SandboxDefaults.AppId,
                AppSecret = section["AppSecret"] ?? SandboxDefaults.AppSecret,
            });
        return new SandboxOptions
        {
            Accounts = accounts,
            TokenExpiresInSeconds = section.GetValue(nameof(SandboxOptions.TokenExpiresInSeconds), defaults.TokenExpiresInSeconds),
            TicketExpiresInSeconds = section.GetValue(nameof(SandboxOptions.TicketExpiresInSeconds), defaults.TicketExpiresInSeconds),
            PreviousTokenGracePeriod = section.GetValue(nameof(SandboxOptions.PreviousTokenGracePeriod), defaults.PreviousTokenGracePeriod),
            TokenDailyQuota = section.GetValue(nameof(SandboxOptions.TokenDailyQuota), defaults.TokenDailyQuota),
            StableTokenDailyQuota = section.GetValue(nameof(SandboxOptions.StableTokenDailyQuota), defaults.StableTokenDailyQuota),
            TicketDailyQuota = section.GetValue(nameof(SandboxOptions.TicketDailyQuota), defaults.TicketDailyQuota),
            WeCom = WeComSandboxOptions.From(section.GetSection(nameof(SandboxOptions.WeCom))),
            Platform = PlatformSandboxOptions.From(section.GetSection(nameof(SandboxOptions.Platform))),
        };
    }
}
