using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WxShare.Accounts;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Platform;
using WxShare.Refresh;
using WxShare.Storage;
using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.Platform;

/// <summary>
/// Issue 20 item 4 over HTTP on the standalone host: every route that serves an official account serves an Open
/// Platform authorizer the same way (card routes, diagnose and report, relay, refresh-now), keys scoped to an
/// authorizer's appId reach it and no other, and an authorizer that withdrew is refused by each of them by name, its
/// credentials gone from the table.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PlatformRoutesTests(AzuriteFixture azurite)
{
    private const string PlatformDomain = "pages.saas.test";
    private const string First = "wxa1b2c3d4e5f60011";
    private const string Second = "wxa1b2c3d4e5f60012";
    private const string CardId = "pFS7Fjg8kV1IdDz01r4SQwMkuCKc";
    private static readonly string Page = $"https://{PlatformDomain}/shop/index.html?id=7";
    /// <summary>Keys whose Accounts name one authorizer by its appId, with every route that takes an account.</summary>
    private static readonly string FirstKey = TestKeys.Secret('f');
    private static readonly string SecondKey = TestKeys.Secret('s');
    /// <summary>The same routes for every account.</summary>
    private static readonly string AnyAccountKey = TestKeys.Secret('a');

    [Fact]
    public async Task Card_routes_sign_with_each_authorizers_wx_card_ticket_and_relay_hands_its_token_to_a_key_scoped_to_it()
    {
        await using var bed = await TwoAuthorizersAsync(cardsAndRelay: true);
        var http = bed.Host.Client;
        var firstCardTicket = bed.Sandbox.State.CurrentTicket(First, WeChatSandboxState.CardTicketType)!;
        var secondCardTicket = bed.Sandbox.State.CurrentTicket(Second, WeChatSandboxState.CardTicketType)!;
        Assert.NotEqual(firstCardTicket, secondCardTicket);

        // card-ext for a code: a server's call with a key that reaches the authorizer.
        var cardExt = await JsonAsync(http, $"/api/jssdk/card-ext?appId={First}&cardId={CardId}&code=1434008071", FirstKey);
        using (var ext = JsonDocument.Parse(cardExt.GetProperty("cardExt").GetString()!))
        {
            var e = ext.RootElement;
            Assert.Equal(CardSignatures.Independent(firstCardTicket, e.GetProperty("timestamp").GetString()!, CardId, "1434008071", e.GetProperty("nonce_str").GetString()!),
                e.GetProperty("signature").GetString());
        }
        // choose-card, anonymous as for any account: each authorizer with its own card ticket and appId.
        foreach (var (appId, cardTicket) in new[] { (First, firstCardTicket), (Second, secondCardTicket) })
        {
            var chosen = await JsonAsync(http, $"/api/jssdk/choose-card?appId={appId}&cardId={CardId}");
            Assert.Equal(appId, chosen.GetProperty("appId").GetString());
            Assert.Equal(CardSignatures.Independent(cardTicket, appId, chosen.GetProperty("timestamp").GetInt64().ToString(), chosen.GetProperty("nonceStr").GetString()!, CardId),
                chosen.GetProperty("cardSign").GetString());
        }

        // The relay: each key reads its authorizer's token, the one WeChat (the sandbox) holds valid for that account.
        var firstToken = (await JsonAsync(http, $"/api/wechat/token?appId={First}", FirstKey)).GetProperty("accessToken").GetString()!;
        var secondToken = (await JsonAsync(http, $"/api/wechat/token?appId={Second}", SecondKey)).GetProperty("accessToken").GetString()!;
        Assert.True(bed.Sandbox.State.IsAccessTokenValid(First, firstToken), "The relay did not hand out the authorizer's own token.");
        Assert.True(bed.Sandbox.State.IsAccessTokenValid(Second, secondToken), "The relay did not hand out the second authorizer's own token.");
        Assert.NotEqual(firstToken, secondToken);

        // A key scoped to one authorizer reaches no other, on any route that takes an account.
        foreach (var (method, path) in new[]
                 {
                     (HttpMethod.Get, $"/api/wechat/token?appId={Second}"),
                     (HttpMethod.Get, $"/api/jssdk/card-ext?appId={Second}&cardId={CardId}"),
                     (HttpMethod.Post, $"/api/ops/refresh?appId={Second}"),
                     (HttpMethod.Get, $"/api/jssdk/diagnose?url={Uri.EscapeDataString(Page)}&appId={Second}"),
                 })
        {
            var (status, body) = await SendAsync(http, method, path, FirstKey);
            Assert.True(status == HttpStatusCode.Forbidden && Error(body) == "key_scope", $"{method} {path}: {(int)status} {body}");
            Assert.DoesNotContain(secondToken, body);
        }

        // Refresh-now for an authorizer runs its refresh like any account's.
        var refreshed = await JsonAsync(http, $"/api/ops/refresh?appId={First}", FirstKey, HttpMethod.Post);
        Assert.Equal(First, refreshed.GetProperty("appId").GetString());
        Assert.Equal("refreshed", refreshed.GetProperty("result").GetString());
        Assert.Equal(First, (await JsonAsync(http, $"/api/ops/quota?appId={First}", FirstKey)).GetProperty("appId").GetString());
        // clear_quota/v2 takes the account's AppSecret, which a platform never holds: refused before a month's budget is spent.
        var (clearStatus, cleared) = await SendAsync(http, HttpMethod.Post, $"/api/ops/clear-quota?appId={First}", FirstKey, JsonContent.Create(new { confirm = true }));
        Assert.Equal((HttpStatusCode.BadRequest, "clear_quota_needs_appsecret"), (clearStatus, Error(cleared)));
        var row = await bed.Host.App.Services.GetRequiredService<CredentialStore>()
            .GetAsync(Account.StorageKeyOf(AccountKind.Mp, First, null, PlatformTestSettings.Name), CancellationToken.None);
        Assert.Null(row.ClearQuotaMonth);
    }

    [Fact]
    public async Task Without_Cards_or_Relay_the_card_routes_and_the_relay_name_the_platform_setting_to_change()
    {
        await using var bed = await TwoAuthorizersAsync(cardsAndRelay: false);
        var http = bed.Host.Client;

        var (status, body) = await SendAsync(http, HttpMethod.Get, $"/api/jssdk/choose-card?appId={First}", key: null);
        Assert.Equal((HttpStatusCode.NotFound, "card_ticket_disabled"), (status, Error(body)));
        Assert.Contains("Platforms__saas__Cards=true", body);
        (status, body) = await SendAsync(http, HttpMethod.Get, $"/api/jssdk/card-ext?appId={First}&cardId={CardId}", FirstKey);
        Assert.Equal((HttpStatusCode.NotFound, "card_ticket_disabled"), (status, Error(body)));
        (status, body) = await SendAsync(http, HttpMethod.Get, $"/api/wechat/token?appId={First}", FirstKey);
        Assert.Equal((HttpStatusCode.Forbidden, "relay_disabled"), (status, Error(body)));
        Assert.Contains("Platforms__saas__Relay=true", body);
    }

    [Fact]
    public async Task Diagnose_checks_an_authorizers_page_against_its_own_ticket_and_tells_a_signature_made_with_another_authorizers_ticket()
    {
        await using var bed = await TwoAuthorizersAsync(cardsAndRelay: false);
        var http = bed.Host.Client;
        var config = await JsonAsync(http, $"/api/jssdk/config?url={Uri.EscapeDataString(Page)}&appId={First}");
        var signed = $"&timestamp={config.GetProperty("timestamp").GetInt64()}&nonceStr={config.GetProperty("nonceStr").GetString()}"
                     + $"&signature={config.GetProperty("signature").GetString()}";
        var diagnose = $"/api/jssdk/diagnose?url={Uri.EscapeDataString(Page)}";

        var own = await JsonAsync(http, $"{diagnose}&appId={First}{signed}", AnyAccountKey);
        Assert.Equal(First, own.GetProperty("account").GetProperty("appId").GetString());
        Assert.Equal("current", own.GetProperty("signature").GetProperty("match").GetString());

        // The page gave wx.config the second authorizer's appId, but signed with the first one's ticket.
        var mixed = await JsonAsync(http, $"{diagnose}&appId={Second}{signed}", AnyAccountKey);
        Assert.Equal(Second, mixed.GetProperty("account").GetProperty("appId").GetString());
        Assert.Equal("other_account", mixed.GetProperty("signature").GetProperty("match").GetString());
        Assert.Equal(First, mixed.GetProperty("signature").GetProperty("otherAccountAppId").GetString());
        Assert.Contains(mixed.GetProperty("findings").EnumerateArray(), f => f.GetProperty("code").GetString() == "signed_for_other_account");

        // A key that reaches only the second authorizer is not told of the first.
        var (status, scoped) = await SendAsync(http, HttpMethod.Get, $"{diagnose}&appId={Second}{signed}", SecondKey);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("none", JsonDocument.Parse(scoped).RootElement.GetProperty("signature").GetProperty("match").GetString());
        Assert.DoesNotContain(First, scoped);

        // The report route's diagnosis is the same (here for an operator's key, which gets it in the answer).
        using var report = new HttpRequestMessage(HttpMethod.Post, "/api/jssdk/report")
        {
            Content = JsonContent.Create(new
            {
                errMsg = "config:invalid signature", url = Page, appId = Second, timestamp = config.GetProperty("timestamp").GetInt64(),
                nonceStr = config.GetProperty("nonceStr").GetString(), signature = config.GetProperty("signature").GetString(),
            }),
        };
        report.Headers.Authorization = TestKeys.Bearer(AnyAccountKey);
        using var reported = await http.SendAsync(report);
        var receipt = await reported.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.Accepted, reported.StatusCode);
        Assert.Equal("other_account", receipt.GetProperty("diagnosis").GetProperty("signature").GetProperty("match").GetString());
    }

    [Fact]
    public async Task An_authorizer_that_withdrew_is_refused_by_every_route_by_name_and_its_credentials_are_gone_from_the_table()
    {
        await using var bed = await TwoAuthorizersAsync(cardsAndRelay: true);
        var http = bed.Host.Client;
        var heldToken = (await JsonAsync(http, $"/api/wechat/token?appId={First}", FirstKey)).GetProperty("accessToken").GetString()!;
        var heldTicket = bed.Sandbox.State.CurrentTicket(First)!;

        // The account withdraws on WeChat's side: WeChat pushes unauthorized to the event route.
        using (var sandbox = new HttpClient { BaseAddress = bed.Sandbox.BaseAddress })
            (await sandbox.PostAsync($"sandbox/platform/unauthorize?appid={First}", null)).EnsureSuccessStatusCode();
        var today = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd");

        foreach (var (method, path, key) in new[]
                 {
                     (HttpMethod.Get, $"/api/jssdk/config?url={Uri.EscapeDataString(Page)}&appId={First}", null),
                     (HttpMethod.Get, $"/api/jssdk/choose-card?appId={First}", null),
                     (HttpMethod.Get, $"/api/jssdk/card-ext?appId={First}&cardId={CardId}", FirstKey),
                     (HttpMethod.Get, $"/api/wechat/token?appId={First}", FirstKey),
                     (HttpMethod.Post, $"/api/wechat/token/refresh?appId={First}", FirstKey),
                     (HttpMethod.Post, $"/api/ops/refresh?appId={First}", FirstKey),
                     (HttpMethod.Get, $"/api/ops/quota?appId={First}", FirstKey),
                 })
        {
            var (status, body) = await SendAsync(http, method, path, key,
                method == HttpMethod.Post ? JsonContent.Create(new { accessToken = heldToken }) : null);
            Assert.True(status == HttpStatusCode.Forbidden && Error(body) == "account_unauthorized", $"{method} {path}: {(int)status} {body}");
            Assert.Contains($"withdrew its authorization of platform saas on {today}", body);
            Assert.Contains("/api/platform/saas/authorize", body);
            Assert.DoesNotContain(heldToken, body);
        }

        // The diagnosis explains it, for diagnose and for a page's report.
        var diagnosis = await JsonAsync(http, $"/api/jssdk/diagnose?url={Uri.EscapeDataString(Page)}&appId={First}", FirstKey);
        var finding = Assert.Single(diagnosis.GetProperty("findings").EnumerateArray(), f => f.GetProperty("code").GetString() == "account_unauthorized");
        Assert.Contains($"on {today}", finding.GetProperty("message").GetString());

        // Nothing of the account is left to serve, on this instance or any other that reads the table.
        var row = await bed.Host.App.Services.GetRequiredService<CredentialStore>()
            .GetAsync(Account.StorageKeyOf(AccountKind.Mp, First, null, PlatformTestSettings.Name), CancellationToken.None);
        Assert.True(row is { AccessToken: null, JsapiTicket: null, CardTicket: null, PreviousJsapiTicket: null },
            "The withdrawn authorizer's credentials are still stored.");
        Assert.NotNull(heldTicket);

        // The other authorizer is untouched, and is now the one account of the platform's domains.
        Assert.Equal(Second, (await JsonAsync(http, $"/api/jssdk/config?url={Uri.EscapeDataString(Page)}")).GetProperty("appId").GetString());
        Assert.Equal(Second, (await JsonAsync(http, $"/api/wechat/token?appId={Second}", SecondKey)).GetProperty("appId").GetString());
    }

    /// <summary>The platform <c>saas</c> on <see cref="PlatformDomain"/> with two authorizers, refreshed: tokens and tickets stored.</summary>
    private async Task<PlatformTestBed> TwoAuthorizersAsync(bool cardsAndRelay)
    {
        const string Routes = "relay,relay-refresh,diagnose,cards,ops";
        var bed = await PlatformTestBed.StartAsync(azurite, s =>
        {
            s["Platforms:saas:AllowedDomains"] = PlatformDomain;
            if (cardsAndRelay)
            {
                s["Platforms:saas:Cards"] = "true";
                s["Platforms:saas:Relay"] = "true";
            }
            TestKeys.Add(s, "first", FirstKey, routes: Routes, accounts: First);
            TestKeys.Add(s, "second", SecondKey, routes: Routes, accounts: Second);
            TestKeys.Add(s, "any", AnyAccountKey, routes: Routes, accounts: "*");
        });
        // The sandbox gives up on a push after WeChat's 5 s, which a loaded test machine can exceed (the host's first
        // requests): what counts is that the event route stored it, so wait for that.
        await bed.Sandbox.PlatformPusher.PushVerifyTicketAsync(CancellationToken.None);
        var component = bed.Host.App.Services.GetRequiredService<PlatformRegistry>().Find(PlatformTestSettings.Name)!.ComponentAccount;
        var store = bed.Host.App.Services.GetRequiredService<CredentialStore>();
        await UntilAsync(async () => (await store.GetAsync(component.StorageKey, CancellationToken.None)).AccessToken is not null, "the component token");
        var accounts = bed.Host.App.Services.GetRequiredService<AccountRegistry>();
        foreach (var appId in new[] { First, Second })
        {
            Assert.Equal(HttpStatusCode.Redirect, (await bed.AuthorizeAsync(appId)).Status);
            await UntilAsync(() => Task.FromResult(accounts.WithAppId(appId).Count > 0), $"the authorization of {appId}");
        }
        var refreshed = await bed.Host.App.Services.GetRequiredService<CredentialRefresher>().RefreshAllAsync(CancellationToken.None);
        Assert.Equal(RefreshResult.Refreshed, refreshed[$"saas/{First}"]);
        Assert.Equal(RefreshResult.Refreshed, refreshed[$"saas/{Second}"]);
        return bed;
    }

    private static async Task UntilAsync(Func<Task<bool>> done, string what)
    {
        for (var waited = 0; !await done(); waited++)
        {
            Assert.True(waited < 300, $"The event route did not store {what} within 30 s.");
            await Task.Delay(100);
        }
    }

    private static async Task<JsonElement> JsonAsync(HttpClient http, string path, string? key = null, HttpMethod? method = null)
    {
        var (status, body) = await SendAsync(http, method ?? HttpMethod.Get, path, key);
        Assert.True(status == HttpStatusCode.OK, $"{path}: {(int)status} {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient http, HttpMethod method, string path, string? key,
        HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (key is not null)
            request.Headers.Authorization = TestKeys.Bearer(key);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string? Error(string body) =>
        JsonDocument.Parse(body).RootElement.TryGetProperty("error", out var error) ? error.GetString() : null;
}
