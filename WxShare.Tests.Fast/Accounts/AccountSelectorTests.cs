using WxShare.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using WxShare.Accounts;
using WxShare.Configuration;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Signing;

namespace WxShare.Functions.Tests.Accounts;

/// <summary>Which account signs a page: named by appId, or found by the page's host; every refusal with its code.</summary>
public sealed class AccountSelectorTests
{
    private const string Shop = "wx00000000000005h0";
    private const string News = "wx000000000000ne05";

    // The single account on example.com and 例子.cn, shop on shop.cn, news on news.cn and (overlapping) shop.cn.
    private static AccountSelector Selector() => new(Registry(new Dictionary<string, string?>
    {
        ["Accounts:shop:AppId"] = Shop,
        ["Accounts:shop:AppSecret"] = "shop-secret",
        ["Accounts:shop:AllowedDomains"] = "shop.cn",
        ["Accounts:news:AppId"] = News,
        ["Accounts:news:AppSecret"] = "news-secret",
        ["Accounts:news:AllowedDomains"] = "news.cn,shop.cn",
    }));

    internal static AccountRegistry Registry(Dictionary<string, string?> extra)
    {
        var settings = TestSettings.Offline();
        foreach (var (key, value) in extra)
            settings[key] = value;
        var options = new AccountsOptions();
        options.Load(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return new AccountRegistry(Options.Create(options));
    }

    private static AccountSelection Select(string page, string? appId = null)
    {
        var query = new Dictionary<string, Microsoft.Extensions.Primitives.StringValues> { ["url"] = page };
        if (appId is not null)
            query["appId"] = appId;
        return Selector().Select(new QueryCollection(query), AccountUse.Page(new Uri(page)));
    }

    [Theory]
    [InlineData("https://m.example.com/p", null, "default")]
    [InlineData("https://例子.cn/页面", null, "default")]
    [InlineData("https://www.news.cn/a", null, "news")]
    [InlineData("https://shop.cn/a", Shop, "shop")]
    [InlineData("https://shop.cn/a", News, "news")]
    [InlineData("https://example.com/", WxShare.WeChatSandbox.SandboxDefaults.AppId, "default")]
    public void Chooses_the_named_account_or_the_one_whose_domains_hold_the_host(string page, string? appId, string expected)
    {
        var selection = Select(page, appId);
        Assert.Null(selection.Rejection);
        Assert.Equal(expected, selection.Account!.Name);
    }

    [Theory]
    [InlineData("https://shop.cn/a", null, 400, "account_ambiguous")]
    [InlineData("https://evil.com/", null, 403, "domain_not_allowed")]
    [InlineData("https://evilexample.com/", null, 403, "domain_not_allowed")]
    [InlineData("https://example.com.evil.com/", null, 403, "domain_not_allowed")]
    [InlineData("https://127.0.0.1/", null, 403, "domain_not_allowed")]
    [InlineData("https://news.cn/", Shop, 403, "domain_not_allowed")]
    [InlineData("https://shop.cn/", "wx0000000000000bad", 404, "account_unknown")]
    public void Refuses_with_a_code_and_a_message_that_says_what_to_do(string page, string? appId, int status, string error)
    {
        var rejection = Select(page, appId).Rejection;
        Assert.NotNull(rejection);
        Assert.Equal(status, ApiErrors.StatusOf(rejection.Kind));
        Assert.Equal(error, rejection.Error.Error);
        Assert.True(rejection.Error.Message.Length > 40, rejection.Error.Message);
    }

    [Fact]
    public void The_ambiguity_message_says_to_pass_appId_and_never_names_the_accounts()
    {
        var refusal = Select("https://shop.cn/a").Rejection!;
        Assert.Equal("account_ambiguous", refusal.Error.Error);
        Assert.Contains("pass 'appId'", refusal.Error.Message);
        // Issue 17: an anonymous caller learns what to pass, not which accounts exist.
        Assert.DoesNotContain(Shop, refusal.Error.Message);
        Assert.DoesNotContain(News, refusal.Error.Message);
    }

    /// <summary>Issue 17: config errors listed every account's appId and domains to any caller.</summary>
    [Theory]
    [InlineData("https://elsewhere.example.org/")]
    [InlineData("https://shop.cn/", "wx000000000000dead")]
    public void Refusals_of_the_config_route_never_list_other_accounts_or_their_domains(string page, string? appId = null)
    {
        var message = Select(page, appId).Rejection!.Error.Message;
        Assert.DoesNotContain(Shop, message);
        Assert.DoesNotContain(News, message);
        Assert.DoesNotContain("news.cn", message);
    }

    [Fact]
    public void A_domain_refusal_for_a_named_account_names_that_accounts_setting()
    {
        var message = Select("https://news.cn/", Shop).Rejection!.Error.Message;
        Assert.Contains("Accounts__shop__AllowedDomains", message);
    }

    [Fact]
    public void The_registry_finds_accounts_by_appId_with_their_kind_and_storage_key()
    {
        var registry = Registry(new() { ["Accounts:shop:AppId"] = Shop, ["Accounts:shop:AppSecret"] = "shop0secret0xyz", ["Accounts:shop:AllowedDomains"] = "shop.cn" });
        var shop = Assert.Single(registry.WithAppId(Shop));
        Assert.Equal(("shop", AccountKind.Mp, Shop, TokenApi.Stable, false), (shop.Name, shop.Kind, shop.StorageKey, shop.TokenApi, shop.CardTicket));
        Assert.Empty(registry.WithAppId("wx-nobody"));
        Assert.True(registry.AnyAllows("shop.cn") && registry.AnyAllows("m.example.com") && !registry.AnyAllows("evil.com"));
        Assert.DoesNotContain("shop0secret0xyz", shop.ToString());
    }
}
