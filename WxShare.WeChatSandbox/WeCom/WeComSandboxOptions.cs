namespace WxShare.WeChatSandbox.WeCom;

/// <summary>A WeCom self-built app the sandbox accepts: corp, app and that app's Secret.</summary>
public sealed class SandboxWeComApp
{
    public required string CorpId { get; init; }

    public required string AgentId { get; init; }

    public required string Secret { get; init; }

    public override string ToString() => $"SandboxWeComApp {{ CorpId = {CorpId}, AgentId = {AgentId} }}";
}

/// <summary>The sandbox's WeCom apps, lifetimes and hourly ticket limits (docs 96909, 90454).</summary>
public sealed class WeComSandboxOptions
{
    public const string DefaultCorpId = "ww5a4d5b0c1e2f3a4b";

    /// <summary>Two apps of one corp, as the quick start and tests use them.</summary>
    public List<SandboxWeComApp> Apps { get; set; } =
    [
        new() { CorpId = DefaultCorpId, AgentId = "1000002", Secret = "wecom0app0secret0one0not0real0000000000000" },
        new() { CorpId = DefaultCorpId, AgentId = "1000003", Secret = "wecom0app0secret0two0not0real0000000000000" },
    ];

    public int TokenExpiresInSeconds { get; set; } = 7200;

    public int TicketExpiresInSeconds { get; set; } = 7200;

    /// <summary>get_jsapi_ticket calls per corp per hour.</summary>
    public int CorpTicketCallsPerHourPerCorp { get; set; } = 400;

    /// <summary>get_jsapi_ticket calls per app per hour, and (the budget the facts file suggests) agent ticket calls per app per hour.</summary>
    public int TicketCallsPerHourPerApp { get; set; } = 100;

    /// <summary>Reads Sandbox__WeCom__Apps__0__CorpId / __AgentId / __Secret, ...; the default apps when none are given.</summary>
    public static WeComSandboxOptions From(IConfiguration section)
    {
        var options = new WeComSandboxOptions();
        var apps = section.GetSection(nameof(Apps)).GetChildren()
            .Select(a => new SandboxWeComApp { CorpId = a[nameof(SandboxWeComApp.CorpId)] ?? "", AgentId = a[nameof(SandboxWeComApp.AgentId)] ?? "", Secret = a[nameof(SandboxWeComApp.Secret)] ?? "" })
            .ToList();
        if (apps.Count > 0)
            options.Apps = apps;
        options.TokenExpiresInSeconds = section.GetValue(nameof(TokenExpiresInSeconds), options.TokenExpiresInSeconds);
        options.TicketExpiresInSeconds = section.GetValue(nameof(TicketExpiresInSeconds), options.TicketExpiresInSeconds);
        options.CorpTicketCallsPerHourPerCorp = section.GetValue(nameof(CorpTicketCallsPerHourPerCorp), options.CorpTicketCallsPerHourPerCorp);
        options.TicketCallsPerHourPerApp = section.GetValue(nameof(TicketCallsPerHourPerApp), options.TicketCallsPerHourPerApp);
        return options;
    }
}
