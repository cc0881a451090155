using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Host;
using WxShare.Signing;
using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.EndToEnd;

/// <summary>
/// The standalone host over HTTP with two accounts: the single one on example.com and 例子.cn, and "shop" on
/// shop.example.cn and (overlapping) promo.example.com, with card tickets.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class MultiAccountHostTests(AzuriteFixture azurite)
{
    private const string DefaultPage = "https://m.example.com/a?id=1";
    private const string ShopPage = "https://shop.example.cn/item/9?from=timeline";
    private const string OverlapPage = "https://promo.example.com/sale";
    private const string CardId = "pjZ8Yt1XGILfi-FUsewpnnolGgZk";
    private const string PublicCardId = "pjZ8YtPUBLIC-coupon_1";
    private const string CardsKey = "cards-key-0123456789abcdefghijklmnopqrstu";
    private const string RelayKey = "relay-key-0123456789abcdefghijklmnopqrstu";

    private static async Task<StandaloneHost> StartAsync(AzuriteFixture azurite)
    {
        var host = await StandaloneHost.StartAsync(azurite, settings: settings =>
        {
            TwoAccounts.Configure(settings);
            settings["Accounts:shop:AllowedDomains"] = $"{TwoAccounts.ShopDomain},promo.example.com";
            settings["Accounts:shop:PublicCardIds"] = PublicCardId;
            TestKeys.Add(settings, "shop-cards", CardsKey, routes: "cards", accounts: "shop");
            TestKeys.Add(settings, "relay", RelayKey, routes: "relay", accounts: "*");
        }, sandboxOptions: TwoAccounts.Sandbox());
        Assert.Equal(HttpStatusCode.OK, (await host.WaitForConfigAsync(DefaultPage)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.WaitForConfigAsync(ShopPage)).StatusCode);
        return host;
    }

    private static string Config(string page, string? appId = null) =>
        StandaloneHost.ConfigPath(page) + (appId is null ? "" : "&appId=" + Uri.EscapeDataString(appId));

    [Fact]
    public async Task Each_page_is_signed_by_its_own_accounts_ticket()
    {
        await using var host = await StartAsync(azurite);

        foreach (var (page, appId, query) in new[]
                 {
                     (DefaultPage, SandboxDefaults.AppId, Config(DefaultPage)),
                     (ShopPage, TwoAccounts.ShopAppId, Config(ShopPage)),
                     (OverlapPage, TwoAccounts.ShopAppId, Config(OverlapPage, TwoAccounts.ShopAppId)),
                     (OverlapPage, SandboxDefaults.AppId, Config(OverlapPage, SandboxDefaults.AppId)),
                 })
        {
            var config = (await host.Client.GetFromJsonAsync<JsSdkConfig>(query))!;
            Assert.Equal(appId, config.AppId);
            Assert.Equal(page, config.Url);
            Assert.True(config.VerifiesWith(host.Sandbox.State.CurrentTicket(appId)), $"{page} signed for {appId}");
        }
    }

    [Theory]
    [InlineData(OverlapPage, null, 400, "account_ambiguous")]
    [InlineData("https://evil.example.org/", null, 403, "domain_not_allowed")]
    [InlineData(ShopPage, SandboxDefaults.AppId, 403, "domain_not_allowed")]
    [InlineData(DefaultPage, "wx0000000000000bad", 404, "account_unknown")]
    public async Task Every_account_selection_error_is_json_with_its_status(string page, string? appId, int status, string error)
    {
        await using var host = await StartAsync(azurite);

        var response = await host.Client.GetAsync(Config(page, appId));

        await AssertErrorAsync(response, status, error);
    }

    [Fact]
    public async Task A_repeated_appId_is_refused()
    {
        await using var host = await StartAsync(azurite);
        var response = await host.Client.GetAsync(Config(DefaultPage, SandboxDefaults.AppId) + "&appId=" + TwoAccounts.ShopAppId);
        await AssertErrorAsync(response, 400, "appid_repeated");
    }

    [Theory]
    [InlineData("https://shop.example.cn", true)]
    [InlineData("https://www.example.com", true)]
    [InlineData("https://evil.example.org", false)]
    public async Task Cors_grants_an_origin_on_any_accounts_domains(string origin, bool granted)
    {
        await using var host = await StartAsync(azurite);
        using var request = new HttpRequestMessage(HttpMethod.Get, Config(ShopPage));
        request.Headers.Add("Origin", origin);

        var response = await host.Client.SendAsync(request);

        Assert.Equal(granted, response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) && values.Single() == origin);
    }

    [Fact]
    public async Task Card_ext_is_signed_with_the_wx_card_ticket_and_holds_what_wx_addCard_takes()
    {
        await using var host = await StartAsync(azurite);

        // A merchant's server, with a key that has route cards: a code for a user is its approval.
        var response = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get,
            $"/api/jssdk/card-ext?appId={TwoAccounts.ShopAppId}&cardId={CardId}&code=1434008071&openId=oABC-12_x&fixedBeginTimestamp=1800000000&outerStr=spring%20sale")
            { Headers = { Authorization = TestKeys.Bearer(CardsKey) } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(CardId, body.RootElement.GetProperty("cardId").GetString());
        using var cardExt = JsonDocument.Parse(body.RootElement.GetProperty("cardExt").GetString()!);
        var ext = cardExt.RootElement;
        Assert.Equal("1434008071", ext.GetProperty("code").GetString());
        Assert.Equal("oABC-12_x", ext.GetProperty("openid").GetString());
        Assert.Equal(1800000000, ext.GetProperty("fixed_begintimestamp").GetInt64());
        Assert.Equal("spring sale", ext.GetProperty("outer_str").GetString());
        var timestamp = ext.GetProperty("timestamp").GetString()!;
        Assert.InRange(long.Parse(timestamp), DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        var nonce = ext.GetProperty("nonce_str").GetString()!;
        var cardTicket = host.Sandbox.State.CurrentTicket(TwoAccounts.ShopAppId, WeChatSandboxState.CardTicketType)!;
        Assert.Equal(CardSignatures.Independent(cardTicket, timestamp, CardId, "1434008071", "oABC-12_x", nonce), ext.GetProperty("signature").GetString());
        // The classic mistake: signed with the jsapi_ticket instead.
        var jsapiTicket = host.Sandbox.State.CurrentTicket(TwoAccounts.ShopAppId)!;
        Assert.NotEqual(CardSignatures.Independent(jsapiTicket, timestamp, CardId, "1434008071", "oABC-12_x", nonce), ext.GetProperty("signature").GetString());
    }

    /// <summary>Issue 17: anonymous card-ext signed any cardId, code and openId, which WeChat reads as the merchant's approval.</summary>
    [Theory]
    [InlineData("&cardId=" + CardId, null, 401, "key_missing")]
    [InlineData("&cardId=" + PublicCardId + "&code=1434008071", null, 400, "card_code_needs_key")]
    [InlineData("&cardId=" + PublicCardId + "&openId=oABC-12_x", null, 400, "card_code_needs_key")]
    [InlineData("&cardId=" + CardId + "&code=1434008071", RelayKey, 403, "key_scope")]
    [InlineData("&cardId=" + CardId, "not-a-key-not-a-key-not-a-key-not-a-key", 401, "key_invalid")]
    public async Task Card_ext_signs_for_a_stranger_only_a_public_card_without_code_or_openId(string query, string? key, int status, string error)
    {
        await using var host = await StartAsync(azurite);
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/jssdk/card-ext?appId={TwoAccounts.ShopAppId}{query}");
        if (key is not null)
            request.Headers.Authorization = TestKeys.Bearer(key);

        await AssertErrorAsync(await host.Client.SendAsync(request), status, error);
    }

    [Fact]
    public async Task A_public_card_is_signed_for_anyone_without_code_or_openId_and_a_cards_key_reaches_only_its_accounts()
    {
        await using var host = await StartAsync(azurite);

        var response = await host.Client.GetAsync($"/api/jssdk/card-ext?appId={TwoAccounts.ShopAppId}&cardId={PublicCardId}");
        var otherAccount = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get,
            $"/api/jssdk/card-ext?appId={SandboxDefaults.AppId}&cardId={CardId}") { Headers = { Authorization = TestKeys.Bearer(CardsKey) } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        using var cardExt = JsonDocument.Parse(body.RootElement.GetProperty("cardExt").GetString()!);
        Assert.False(cardExt.RootElement.TryGetProperty("code", out _));
        Assert.False(cardExt.RootElement.TryGetProperty("openid", out _));
        var cardTicket = host.Sandbox.State.CurrentTicket(TwoAccounts.ShopAppId, WeChatSandboxState.CardTicketType)!;
        Assert.Equal(CardSignatures.Independent(cardTicket, cardExt.RootElement.GetProperty("timestamp").GetString()!, PublicCardId, "", "",
            cardExt.RootElement.GetProperty("nonce_str").GetString()!), cardExt.RootElement.GetProperty("signature").GetString());
        // The default account keeps no card ticket, but the key's scope is checked first: it never learns more.
        await AssertErrorAsync(otherAccount, 403, "key_scope");
    }

    [Fact]
    public async Task Choose_card_returns_the_fields_of_wx_chooseCard_with_a_verifiable_cardSign()
    {
        await using var host = await StartAsync(azurite);

        var body = await host.Client.GetFromJsonAsync<JsonElement>($"/api/jssdk/choose-card?appId={TwoAccounts.ShopAppId}&shopId=1234&cardType=GROUPON&cardId={CardId}");

        Assert.Equal(TwoAccounts.ShopAppId, body.GetProperty("appId").GetString());
        Assert.Equal("1234", body.GetProperty("shopId").GetString());
        Assert.Equal("GROUPON", body.GetProperty("cardType").GetString());
        Assert.Equal(CardId, body.GetProperty("cardId").GetString());
        Assert.Equal("SHA1", body.GetProperty("signType").GetString());
        var timestamp = body.GetProperty("timestamp").GetInt64().ToString();
        var nonce = body.GetProperty("nonceStr").GetString()!;
        Assert.Matches("^[A-Za-z0-9]{16}$", nonce);
        var cardTicket = host.Sandbox.State.CurrentTicket(TwoAccounts.ShopAppId, WeChatSandboxState.CardTicketType)!;
        Assert.Equal(CardSignatures.Independent(cardTicket, TwoAccounts.ShopAppId, "1234", timestamp, nonce, CardId, "GROUPON"),
            body.GetProperty("cardSign").GetString());

        // With nothing chosen, the empty inputs are echoed and sign as empty.
        var open = await host.Client.GetFromJsonAsync<JsonElement>($"/api/jssdk/choose-card?appId={TwoAccounts.ShopAppId}");
        Assert.Equal("", open.GetProperty("cardId").GetString());
        Assert.Equal(CardSignatures.Independent(cardTicket, TwoAccounts.ShopAppId, open.GetProperty("timestamp").GetInt64().ToString(), open.GetProperty("nonceStr").GetString()!),
            open.GetProperty("cardSign").GetString());
    }

    [Theory]
    [InlineData("/api/jssdk/card-ext?appId=" + TwoAccounts.ShopAppId, 400, "card_id_missing")]
    [InlineData("/api/jssdk/card-ext?appId=" + TwoAccounts.ShopAppId + "&cardId=a&cardId=b", 400, "card_id_repeated")]
    [InlineData("/api/jssdk/card-ext?appId=" + TwoAccounts.ShopAppId + "&cardId=p%20q", 400, "card_id_invalid")]
    [InlineData("/api/jssdk/card-ext?appId=" + TwoAccounts.ShopAppId + "&cardId=" + CardId + "&openId=a%26b", 400, "open_id_invalid")]
    [InlineData("/api/jssdk/card-ext?appId=" + TwoAccounts.ShopAppId + "&cardId=" + CardId + "&fixedBeginTimestamp=soon", 400, "fixed_begin_timestamp_invalid")]
    [InlineData("/api/jssdk/card-ext?appId=" + TwoAccounts.ShopAppId + "&cardId=" + CardId + "&card_id=x", 400, "parameter_unknown")]
    [InlineData("/api/jssdk/card-ext?cardId=" + CardId, 400, "account_ambiguous")]
    [InlineData("/api/jssdk/card-ext?appId=" + SandboxDefaults.AppId + "&cardId=" + CardId, 404, "card_ticket_disabled")]
    [InlineData("/api/jssdk/card-ext?appId=wx0000000000000bad&cardId=" + CardId, 404, "account_unknown")]
    [InlineData("/api/jssdk/choose-card?appId=" + TwoAccounts.ShopAppId + "&shopId=north", 400, "shop_id_invalid")]
    [InlineData("/api/jssdk/choose-card?appId=" + TwoAccounts.ShopAppId + "&cardType=groupon", 400, "card_type_invalid")]
    [InlineData("/api/jssdk/choose-card?appId=" + SandboxDefaults.AppId, 404, "card_ticket_disabled")]
    public async Task Card_routes_refuse_bad_input_with_json_errors(string path, int status, string error)
    {
        await using var host = await StartAsync(azurite);
        await AssertErrorAsync(await host.Client.GetAsync(path), status, error);
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, int status, string error)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(body);
        Assert.Equal(error, json.RootElement.GetProperty("error").GetString());
        Assert.True(json.RootElement.GetProperty("message").GetString()!.Length > 20, body);
        Assert.DoesNotContain("   at ", body);
        Assert.DoesNotContain(TwoAccounts.ShopSecret, body);
    }
}
