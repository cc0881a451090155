using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using WxShare.Accounts;
using WxShare.Configuration;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Http;
using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.Keys;

/// <summary>
/// Keys__&lt;name&gt;__* (issue 17, item 1): validated at start-up naming the setting and never the secret; a secret
/// only as a Bearer; a key in the query refused; routes and accounts scoped; NextSecret accepted for rotation.
/// </summary>
public sealed class KeyModelTests
{
    private const string MenusSecret = "menus-secret-0123456789abcdefghijklmnop";
    private const string MenusNext = "menus-next-secret-0123456789abcdefghijklm";
    private const string OpsSecret = "ops-secret-0123456789abcdefghijklmnopqrs";

    private static Dictionary<string, string?> Settings(Action<Dictionary<string, string?>>? change = null)
    {
        var settings = TestSettings.Offline();
        settings["Keys:menus:Secret"] = MenusSecret;
        settings["Keys:menus:NextSecret"] = MenusNext;
        settings["Keys:menus:Accounts"] = SandboxDefaults.AppId;
        settings["Keys:menus:Routes"] = "relay";
        settings["Keys:oncall:Secret"] = OpsSecret;
        settings["Keys:oncall:Accounts"] = "*";
        settings["Keys:oncall:Routes"] = "ops, diagnose";
        change?.Invoke(settings);
        return settings;
    }

    private static async Task<string> StartupFailureAsync(Action<Dictionary<string, string?>> change)
    {
        using var host = ServicesOnlyHost.Build(Settings(change));
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        return error.Message;
    }

    [Theory]
    [InlineData("Keys:menus:Secret", "too-short-secret", "Keys__menus__Secret")]
    [InlineData("Keys:menus:Secret", null, "Keys__menus__Secret")]
    [InlineData("Keys:menus:NextSecret", "0123456789 0123456789 0123456789 abc", "Keys__menus__NextSecret")]
    [InlineData("Keys:menus:Routes", "relay,admin", "Keys__menus__Routes")]
    [InlineData("Keys:menus:Routes", "", "Keys__menus__Routes")]
    [InlineData("Keys:menus:Accounts", "wxnotconfigured00001", "Keys__menus__Accounts")]
    [InlineData("Keys:menus:Accounts", null, "Keys__menus__Accounts")]
    [InlineData("Keys:menus:Secret", "@Microsoft.KeyVault(SecretUri=https://v.vault.azure.net/secrets/k/)", "Keys__menus__Secret")]
    public async Task A_bad_key_setting_stops_start_up_naming_the_setting_never_the_secret(string key, string? value, string named)
    {
        var message = await StartupFailureAsync(s => s[key] = value);
        Assert.Contains(named, message);
        Assert.DoesNotContain(MenusSecret, message);
        Assert.DoesNotContain(MenusNext, message);
        if (key.EndsWith("Secret") && value is { Length: > 0 })
            Assert.DoesNotContain(value, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_keys_with_one_secret_are_refused_by_name()
    {
        var message = await StartupFailureAsync(s => s["Keys:oncall:NextSecret"] = MenusSecret);
        Assert.Contains("'menus'", message);
        Assert.Contains("'oncall'", message);
        Assert.DoesNotContain(MenusSecret, message);
    }

    [Fact]
    public async Task Relay__Keys_still_set_stops_start_up_saying_what_replaces_it()
    {
        var message = await StartupFailureAsync(s => s["Relay:Keys"] = "menus=" + MenusSecret);
        Assert.Contains("Relay__Keys", message);
        Assert.Contains("Keys__<name>__Secret", message);
        Assert.Contains("Authorization: Bearer", message);
        Assert.DoesNotContain(MenusSecret, message);
    }

    [Fact]
    public async Task Valid_keys_start()
    {
        using var host = ServicesOnlyHost.Build(Settings());
        await host.StartAsync();
        await host.StopAsync();
    }

    private static (KeyCheck Check, FakeLogCollector Logs, AccountRegistry Accounts) Build(Action<Dictionary<string, string?>>? change = null)
    {
        var host = ServicesOnlyHost.Build(Settings(change));
        var logs = new FakeLogCollector();
        var check = new KeyCheck(host.Services.GetRequiredService<KeyRing>(), new FakeLogger<KeyCheck>(logs));
        return (check, logs, host.Services.GetRequiredService<AccountRegistry>());
    }

    private static HttpContext Request(string query = "", string? authorization = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = "/api/wechat/token";
        context.Request.QueryString = new QueryString(query);
        if (authorization is not null)
            context.Request.Headers.Authorization = authorization;
        return context;
    }

    [Fact]
    public void A_bearer_secret_is_accepted_and_named_in_the_log()
    {
        var (check, logs, _) = Build();
        var context = Request(authorization: "Bearer " + MenusSecret);
        Assert.Null(check.Require(context, KeyRoutes.Relay));
        Assert.Equal("menus", OperatorCaller.Of(context));
        Assert.Contains(logs.GetSnapshot(), r => r.Message.Contains("menus"));
        Assert.DoesNotContain(logs.GetSnapshot(), r => r.Message.Contains(MenusSecret));
    }

    [Fact]
    public void The_next_secret_is_accepted_as_the_same_key_during_rotation()
    {
        var (check, _, _) = Build();
        var context = Request(authorization: "bearer " + MenusNext);
        Assert.Null(check.Require(context, KeyRoutes.Relay));
        Assert.Equal("menus", OperatorCaller.Of(context));
    }

    [Theory]
    [InlineData(null, "key_missing")]
    [InlineData("Basic bWVudXM6c2VjcmV0", "key_missing")]
    [InlineData("Bearer ", "key_missing")]
    [InlineData("Bearer menus-secret-0123456789abcdefghijklmnoX", "key_invalid")]
    public void No_or_a_wrong_bearer_is_401(string? authorization, string error)
    {
        var (check, _, _) = Build();
        var refusal = check.Require(Request(authorization: authorization), KeyRoutes.Relay);
        Assert.Equal(401, refusal is null ? (int?)null : ApiErrors.StatusOf(refusal.Kind));
        Assert.Equal(error, refusal!.Error.Error);
    }

    [Theory]
    [InlineData("?appId=wx&code=" + MenusSecret)]
    [InlineData("?key=anything-at-all")]
    [InlineData("?code=an-azure-function-key")]
    [InlineData("?x-functions-key=abc")]
    [InlineData("?appId=wx&note=" + MenusSecret)]
    public void A_key_in_the_query_is_400_even_with_a_good_bearer_and_is_not_logged(string query)
    {
        var (check, logs, _) = Build();
        var refusal = check.Require(Request(query, "Bearer " + MenusSecret), KeyRoutes.Relay);
        Assert.Equal(400, refusal is null ? (int?)null : ApiErrors.StatusOf(refusal.Kind));
        Assert.Equal("key_in_query", refusal!.Error.Error);
        Assert.DoesNotContain(MenusSecret, refusal.Error.Message);
        Assert.All(logs.GetSnapshot(), r => Assert.DoesNotContain("?", r.Message));
        Assert.All(logs.GetSnapshot(), r => Assert.DoesNotContain(MenusSecret, r.Message));
    }

    [Fact]
    public void A_query_name_the_route_reads_itself_is_not_taken_for_a_key_but_a_secret_there_is()
    {
        var (check, _, _) = Build();
        Assert.Null(check.Optional(Request("?code=card-code-123"), KeyRoutes.Cards, ["code"]));
        Assert.Equal("key_in_query", check.Optional(Request("?code=" + OpsSecret), KeyRoutes.Cards, ["code"])?.Error.Error);
    }

    [Fact]
    public void A_key_without_the_route_is_403_naming_the_key_not_the_secret()
    {
        var (check, _, _) = Build();
        var refusal = check.Require(Request(authorization: "Bearer " + MenusSecret), KeyRoutes.Ops);
        Assert.Equal(403, refusal is null ? (int?)null : ApiErrors.StatusOf(refusal.Kind));
        Assert.Equal("key_scope", refusal!.Error.Error);
        Assert.Contains("'menus'", refusal.Error.Message);
        Assert.DoesNotContain(MenusSecret, refusal.Error.Message);
    }

    [Fact]
    public void A_key_scoped_to_one_account_is_403_on_another_and_passes_on_its_own()
    {
        var (check, _, accounts) = Build(s =>
        {
            s["Accounts:shop:AppId"] = "wx00000000000000b2";
            s["Accounts:shop:AppSecret"] = "shop-secret-0000000000000000000000";
            s["Accounts:shop:AllowedDomains"] = "shop.example.com";
        });
        var context = Request(authorization: "Bearer " + MenusSecret);
        Assert.Null(check.Require(context, KeyRoutes.Relay));
        Assert.Null(check.CheckAccount(context, accounts.FindByName(AccountsOptions.SingleAccountName)!));
        var refusal = check.CheckAccount(context, accounts.FindByName("shop")!);
        Assert.Equal(403, refusal is null ? (int?)null : ApiErrors.StatusOf(refusal.Kind));
        Assert.Equal("key_scope", refusal!.Error.Error);
        Assert.Contains("'menus'", refusal.Error.Message);

        var wildcard = Request(authorization: "Bearer " + OpsSecret);
        Assert.Null(check.Require(wildcard, KeyRoutes.Ops));
        Assert.Null(check.CheckAccount(wildcard, accounts.FindByName("shop")!));
    }

    [Fact]
    public void An_optional_key_route_passes_without_a_key_and_refuses_a_wrong_one()
    {
        var (check, _, _) = Build();
        Assert.Null(check.Optional(Request(), KeyRoutes.Ops));
        Assert.Equal("key_invalid", check.Optional(Request(authorization: "Bearer wrong-wrong-wrong-wrong-wrong-wrong"), KeyRoutes.Ops)?.Error.Error);
        Assert.Equal("key_scope", check.Optional(Request(authorization: "Bearer " + MenusSecret), KeyRoutes.Ops)?.Error.Error);
    }
}
