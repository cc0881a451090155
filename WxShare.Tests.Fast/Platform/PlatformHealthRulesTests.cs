using Microsoft.Extensions.Options;
using WxShare.Configuration;
using WxShare.Errors;
using WxShare.Operations;
using WxShare.Platform;
using WxShare.Storage;
using WxShare.WeChat;
using WxShare.WeChatSandbox.Platform;

namespace WxShare.Tests.Fast.Platform;

/// <summary>
/// <see cref="PlatformHealth.Assess"/>'s status rules for the states the Azurite tests (PlatformHealthTests) do not reach
/// on their way: a valid component token that cannot be renewed, or whose last refresh failed, and a waiting authorization.
/// </summary>
public sealed class PlatformHealthRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private const string WhitelistErrmsg = "invalid ip 203.0.113.7 ipv6 ::ffff:203.0.113.7, not in whitelist rid: 6650a1c2-3b4d5e6f-7a8b9c0d";

    private static readonly ThirdPartyPlatform Saas = new(new PlatformSettings
    {
        Name = "saas", ComponentAppId = PlatformSandboxDefaults.ComponentAppId, ComponentAppSecret = PlatformSandboxDefaults.ComponentAppSecret,
        Token = PlatformSandboxDefaults.Token, EncodingAESKey = PlatformSandboxDefaults.EncodingAESKey, AllowedDomains = "wx.example.com",
    });

    private static readonly ApiErrorAdvisor Advisor = new(Options.Create(new DeploymentOptions()));

    [Fact]
    public void A_fresh_ticket_and_a_valid_token_are_healthy()
    {
        var health = Assess(ticketAge: TimeSpan.FromMinutes(5), tokenLeft: TimeSpan.FromMinutes(90));

        Assert.Equal(HealthStatus.Healthy, health.Status);
        Assert.Equal("The component token is valid for 90 min; the verify ticket is 5 min old.", health.Reason);
        Assert.Equal(300, health.VerifyTicket!.AgeSeconds);
        Assert.Equal(5400, health.ComponentToken!.RemainingSeconds);
    }

    [Fact]
    public void A_valid_token_with_a_ticket_past_12_hours_is_degraded_it_cannot_be_renewed()
    {
        var health = Assess(ticketAge: TimeSpan.FromHours(12), tokenLeft: TimeSpan.FromMinutes(30));

        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.StartsWith("The component token serves 30 min more, but cannot be renewed: the last component_verify_ticket", health.Reason);
        Assert.Contains("(61005)", health.Reason);
        Assert.Equal("The component token cannot be renewed: the verify ticket is older than 12 hours.", health.PublicReason);
    }

    [Fact]
    public void A_valid_token_whose_last_refresh_failed_is_degraded_with_the_advice_and_the_public_reason_has_no_errmsg_ip_or_rid()
    {
        var health = Assess(ticketAge: TimeSpan.FromMinutes(5), tokenLeft: TimeSpan.FromMinutes(30),
            failure: new RefreshFailure(ApiCall.ComponentToken, 61004, WhitelistErrmsg, Now.AddMinutes(-1)));

        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Contains("errcode 61004", health.Reason);
        Assert.Equal((61004, "6650a1c2-3b4d5e6f-7a8b9c0d"), (health.LastError!.Errcode, health.LastError.Rid));
        Assert.Equal("203.0.113.7", health.LastError.Advice.Ip);
        Assert.Equal("The component token is valid. The last component token refresh failed with errcode 61004.", health.PublicReason);
        foreach (var hidden in new[] { "203.0.113.7", "6650a1c2", "whitelist" })
            Assert.DoesNotContain(hidden, health.PublicReason);
    }

    [Fact]
    public void No_valid_token_is_unhealthy_only_while_accounts_depend_on_it()
    {
        var alone = Assess(ticketAge: null, tokenLeft: null);
        var served = Assess(ticketAge: null, tokenLeft: TimeSpan.FromMinutes(-1), authorizers: [Authorizer(1, AuthorizerStatus.Authorized)]);
        var withdrawnOnly = Assess(ticketAge: null, tokenLeft: null, authorizers: [Authorizer(1, AuthorizerStatus.Unauthorized)]);

        Assert.Equal(HealthStatus.Degraded, alone.Status);
        Assert.Equal(HealthStatus.Unhealthy, served.Status);
        Assert.Contains("the tokens of its 1 account(s) cannot be refreshed", served.Reason);
        Assert.Equal(HealthStatus.Degraded, withdrawnOnly.Status);
        Assert.Equal(new AuthorizerCounts(0, 1, 0, 0), withdrawnOnly.Authorizers);
    }

    [Fact]
    public void An_authorization_waiting_for_its_code_exchange_makes_a_healthy_platform_degraded()
    {
        var health = Assess(ticketAge: TimeSpan.FromMinutes(5), tokenLeft: TimeSpan.FromMinutes(90),
            authorizers: [Authorizer(1, AuthorizerStatus.Authorized), Authorizer(2, AuthorizerStatus.PendingExchange)]);

        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Equal(new AuthorizerCounts(1, 0, 1, 0), health.Authorizers);
        Assert.EndsWith("1 authorization(s) are not completed.", health.PublicReason);
    }

    private static PlatformHealth Assess(TimeSpan? ticketAge, TimeSpan? tokenLeft, RefreshFailure? failure = null,
        IReadOnlyList<AuthorizerRecord>? authorizers = null)
    {
        var component = new ComponentRecord(Saas.Name, ticketAge is { } age ? new VerifyTicket("ticket-value", Now - age, Now - age) : null);
        var token = tokenLeft is { } left ? new IssuedCredential("token-value", Now + left - TimeSpan.FromHours(2), Now + left) : null;
        var credentials = CredentialRecord.Empty(Saas.ComponentAccount.StorageKey) with { AccessToken = token, LastFailure = failure };
        var health = PlatformHealth.Assess(new PlatformState(Saas, component, credentials, authorizers ?? []), Now, Advisor);
        Assert.DoesNotContain("ticket-value", health.Reason + health.PublicReason);
        Assert.DoesNotContain("token-value", health.Reason + health.PublicReason);
        return health;
    }

    private static AuthorizerRecord Authorizer(int i, AuthorizerStatus status) =>
        new(Saas.Name, $"wxa{i:x15}", status, "refresh-token", [1], Now.AddDays(-1), null, Now.AddDays(-1));
}
