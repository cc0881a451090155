using System.Net;
using WxShare.Accounts;
using WxShare.Errors;
using WxShare.Signing;
using WxShare.WeChat;
using WxShare.WeCom;

namespace WxShare.Functions.Tests.Errors;

/// <summary>
/// Each errcode a person must act on, as WeChat/WeCom word it on the wire (../shared/wechat-wire-facts.md), turned into
/// WxShare's advice: the IP to whitelist and where, whether it is the deployment's NAT address, which setting to fix,
/// when a quota resets, and the rid.
/// </summary>
public sealed class ApiErrorAdviceTests
{
    private const string Rid = "6523a8b1-1f2e3d4c-5b6a7980";
    // 2026-12-01 02:00 UTC is 10:00 in Beijing: the daily quota resets at the next Beijing midnight, 2026-12-01 16:00 UTC.
    private static readonly DateTimeOffset At = new(2026, 12, 1, 2, 0, 30, TimeSpan.Zero);
    private static readonly Account Mp = new("default", true, AccountKind.Mp, "wx5a4d5b0c1e2f3a4b", null, "not-shown-secret-0000000000000000",
        new AllowedDomains(["example.com"]), TokenApi.Stable, false);
    private static readonly Account WeComApp = new("hr", false, AccountKind.WeCom, "ww0123456789abcdef", "1000002", "not-shown-secret-0000000000000000",
        new AllowedDomains(["work.example.cn"]), TokenApi.Classic, false);

    private static ApiErrorAdvice WeChat(int code, string errmsg, ApiCall call = ApiCall.AccessToken, string? nat = null) =>
        ApiErrorAdvice.For(ApiService.WeChat, Mp, call, code, errmsg, At, nat is null ? null : IPAddress.Parse(nat));

    [Fact]
    public void IP_not_whitelisted_names_the_IP_WeChat_saw_and_where_to_add_it()
    {
        var advice = WeChat(40164, $"invalid ip 203.0.113.9 ipv6 ::ffff:203.0.113.9, not in whitelist rid: {Rid}");

        Assert.Equal("203.0.113.9", advice.Ip);
        Assert.Equal(Rid, advice.Rid);
        Assert.Null(advice.IpIsDeploymentIp);
        Assert.Contains("Add 203.0.113.9 to the IP whitelist", advice.Fix);
        Assert.Contains("设置与开发 → 基本配置 → IP白名单", advice.Fix);
        Assert.DoesNotContain("NAT", advice.Text);
        Assert.EndsWith($"(rid {Rid})", advice.Text);
    }

    [Fact]
    public void IP_not_whitelisted_says_when_it_is_the_deployments_NAT_address()
    {
        var advice = WeChat(40164, $"invalid ip 203.0.113.9 ipv6 ::ffff:203.0.113.9, not in whitelist rid: {Rid}", nat: "203.0.113.9");

        Assert.True(advice.IpIsDeploymentIp);
        Assert.Contains("203.0.113.9 is this deployment's NAT address (Deployment__OutboundIp)", advice.Fix);
    }

    [Fact]
    public void IP_not_whitelisted_says_when_it_is_not_the_deployments_NAT_address()
    {
        var advice = WeChat(40164, $"invalid ip 198.51.100.4 ipv6 ::ffff:198.51.100.4, not in whitelist rid: {Rid}", nat: "203.0.113.9");

        Assert.False(advice.IpIsDeploymentIp);
        Assert.Equal("198.51.100.4", advice.Ip);
        Assert.Contains("198.51.100.4 is not this deployment's NAT address 203.0.113.9", advice.Fix);
        Assert.Contains("did not leave through the NAT gateway", advice.Fix);
    }

    [Theory]
    [InlineData("invalid ip 198.51.100.4, not in whitelist rid: 1-2-3")] // the form without the ipv6 part, seen once
    [InlineData("invalid ip ::ffff:198.51.100.4 ipv6 ::ffff:198.51.100.4, not in whitelist")] // a mapped form gives the IPv4
    public void IP_not_whitelisted_reads_the_other_forms_of_the_errmsg(string errmsg) =>
        Assert.Equal("198.51.100.4", WeChat(40164, errmsg).Ip);

    [Fact]
    public void IP_not_whitelisted_without_a_readable_IP_still_says_where_to_add_the_outbound_address()
    {
        var advice = WeChat(40164, "invalid ip, not in whitelist", nat: "203.0.113.9");

        Assert.Null(advice.Ip);
        Assert.Contains("this server's outbound IP address", advice.Fix);
        Assert.Contains("NAT address is 203.0.113.9", advice.Fix);
    }

    [Fact]
    public void WeCom_60020_names_the_IP_and_the_trusted_IP_setting_of_the_app()
    {
        var advice = ApiErrorAdvice.For(ApiService.WeCom, WeComApp, ApiCall.JsapiTicket, 60020,
            "not allow to access from your ip, hint: [1733018430_52_abc], from ip: 198.51.100.7, more info at https://open.work.weixin.qq.com/devtool/query?e=60020",
            At, IPAddress.Parse("198.51.100.7"));

        Assert.Equal("198.51.100.7", advice.Ip);
        Assert.True(advice.IpIsDeploymentIp);
        Assert.Contains("企业可信IP of app 1000002", advice.Fix);
        Assert.Null(advice.Rid);
    }

    [Fact]
    public void Platform_61004_names_the_IP_and_the_platforms_whitelist()
    {
        var advice = ApiErrorAdvice.For(ApiService.OpenPlatform, Mp, ApiCall.AccessToken, 61004,
            $"access clientip is not registered requestIP: 198.51.100.8 rid: {Rid}", At, null);

        Assert.Equal("198.51.100.8", advice.Ip);
        Assert.Contains("开发资料", advice.Fix);
        Assert.Equal(Rid, advice.Rid);
    }

    [Fact]
    public void A_call_waiting_for_the_administrator_says_to_confirm_it_in_the_admin_app()
    {
        var advice = WeChat(89503, $"waiting for admin confirm rid: {Rid}");

        Assert.Contains("confirms it", advice.Summary);
        Assert.Contains("WeChat admin app", advice.Fix);
        Assert.Null(advice.RetryAfter);
    }

    [Theory]
    [InlineData(89506, 24)]
    [InlineData(89507, 1)]
    public void A_rejected_IP_says_when_WeChat_accepts_it_again(int code, int hours)
    {
        var advice = WeChat(code, $"ip rejected by admin rid: {Rid}");

        Assert.Contains("rejected", advice.Summary);
        Assert.Equal(At.AddHours(hours), advice.RetryAfter);
        Assert.Contains(At.AddHours(hours).ToString("yyyy-MM-dd HH:mm:ss'Z'"), advice.Fix);
    }

    [Theory]
    [InlineData(40125)]
    [InlineData(40001)] // on the token call, WeChat's older word for a wrong AppSecret
    public void A_wrong_AppSecret_names_the_setting_to_fix(int code)
    {
        var advice = WeChat(code, "invalid appsecret rid: " + Rid);

        Assert.Contains("AppSecret is wrong", advice.Summary);
        Assert.StartsWith("Set WeChat__AppSecret", advice.Fix);
        Assert.DoesNotContain(Mp.AppSecret, advice.Text);
    }

    [Fact]
    public void A_wrong_AppID_names_the_setting_to_fix()
    {
        var advice = WeChat(40013, "invalid appid rid: " + Rid);

        Assert.Contains("does not know the AppID wx5a4d5b0c1e2f3a4b", advice.Summary);
        Assert.StartsWith("Set WeChat__AppId", advice.Fix);
    }

    [Fact]
    public void A_missing_permission_is_never_an_expired_token()
    {
        var advice = WeChat(48001, "api unauthorized rid: " + Rid, ApiCall.JsapiTicket);

        Assert.Contains("lacks the permission", advice.Summary);
        Assert.Contains("not an expired token", advice.Summary);
        Assert.Contains("verified service account", advice.Fix);
        // The handling agrees: a configuration error, not a refused token (which would fetch a new token and retry).
        Assert.Equal(ApiErrorKind.Configuration, WeChatErrorClassifier.Classify(ApiCall.JsapiTicket, 48001));
    }

    [Fact]
    public void The_daily_quota_resets_at_midnight_Beijing_time_given_in_UTC()
    {
        var advice = WeChat(45009, "reach max api daily quota limit rid: " + Rid, ApiCall.JsapiTicket);

        var reset = new DateTimeOffset(2026, 12, 1, 16, 0, 0, TimeSpan.Zero);
        Assert.Equal(reset, advice.RetryAfter);
        Assert.Contains("midnight Beijing time (2026-12-01 16:00:00Z)", advice.Fix);
        // After 16:00 UTC it is already the next day in Beijing.
        Assert.Equal(reset.AddDays(1), WxShare.WeChat.BeijingCalendar.NextMidnight(reset));
        Assert.Equal(reset.AddDays(1), WxShare.WeChat.BeijingCalendar.NextMidnight(new DateTimeOffset(2026, 12, 1, 23, 59, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void The_minute_quota_clears_at_the_next_minute()
    {
        var advice = WeChat(45011, "api minute-quota reach limit, must slower, retry next minute rid: " + Rid, ApiCall.JsapiTicket);

        Assert.Equal(new DateTimeOffset(2026, 12, 1, 2, 1, 0, TimeSpan.Zero), advice.RetryAfter);
        Assert.Contains("next minute", advice.Fix);
    }

    [Fact]
    public void WeCom_codes_mean_WeComs_settings()
    {
        var secret = ApiErrorAdvice.For(ApiService.WeCom, WeComApp, ApiCall.AccessToken, 40001, "invalid credential, hint: [x], from ip: 1.2.3.4", At, null);
        var corp = ApiErrorAdvice.For(ApiService.WeCom, WeComApp, ApiCall.AccessToken, 40013, "invalid corpid", At, null);
        var stale = ApiErrorAdvice.For(ApiService.WeCom, WeComApp, ApiCall.JsapiTicket, 40001, "invalid credential", At, null);

        Assert.StartsWith("Set Accounts__hr__AppSecret", secret.Fix);
        Assert.StartsWith("Set Accounts__hr__CorpId", corp.Fix);
        Assert.Contains("refused the access_token", stale.Summary);
    }

    [Theory]
    [InlineData("invalid credential, access_token is invalid or not latest, could get access_token by getStableAccessToken, more details at https://mmbizurl.cn/s/JtxxFh33r rid: 6523a8b1-1f2e3d4c-5b6a7980", "6523a8b1-1f2e3d4c-5b6a7980")]
    [InlineData("invalid appsecret, view more at http://t.cn/RAEkdVq hint: [Rk0Ab0f1e2]", null)]
    [InlineData("", null)]
    public void The_rid_is_read_from_the_errmsg(string errmsg, string? rid) => Assert.Equal(rid, ApiErrorText.Rid(errmsg));
}
