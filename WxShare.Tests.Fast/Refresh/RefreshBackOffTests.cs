using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WxShare.Accounts;
using WxShare.Configuration;
using WxShare.Errors;
using WxShare.Refresh;
using WxShare.Signing;
using WxShare.WeCom;

namespace WxShare.Functions.Tests.Refresh;

/// <summary>
/// The back-off after a failed call (<see cref="RefreshPolicy.RetryNotBefore"/>): the configured 30 minutes, or the
/// instant the error names when that is later and it bars the whole run, so that no retry comes before WeChat's reset.
/// </summary>
public sealed class RefreshBackOffTests
{
    // 10:00 in Beijing: the daily quota resets at the next Beijing midnight, 16:00 UTC.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 2, 0, 30, TimeSpan.Zero));
    private static readonly DateTimeOffset BeijingMidnight = new(2026, 12, 1, 16, 0, 0, TimeSpan.Zero);
    private static readonly Account Mp = new("default", true, AccountKind.Mp, "wx5a4d5b0c1e2f3a4b", null, "not-shown-secret-0000000000000000",
        new AllowedDomains(["example.com"]), TokenApi.Classic, false);
    private static readonly Account WeComApp = new("hr", false, AccountKind.WeCom, "ww0123456789abcdef", "1000002", "not-shown-secret-0000000000000000",
        new AllowedDomains(["work.example.cn"]), TokenApi.Classic, false);
    private readonly RefreshPolicy _policy = new(Options.Create(new RefreshOptions()), new CredentialIssuers([]));

    private DateTimeOffset? BackOff(int code, ApiCall call, Account? account = null, ApiErrorKind? kind = null) =>
        _policy.RetryNotBefore(account ?? Mp, new ApiCallException(call, code, $"errmsg of {code}", kind: kind), _time.GetUtcNow());

    [Fact]
    public void The_token_calls_daily_quota_waits_for_WeChats_reset_at_Beijing_midnight_not_30_minutes()
    {
        Assert.Equal(BeijingMidnight, BackOff(45009, ApiCall.AccessToken));
        Assert.Equal(BeijingMidnight, BackOff(45009, ApiCall.ComponentToken));
    }

    [Fact]
    public void Shortly_before_the_reset_the_30_minutes_are_the_later_of_the_two()
    {
        _time.SetUtcNow(BeijingMidnight.AddMinutes(-10));
        Assert.Equal(_time.GetUtcNow().AddMinutes(30), BackOff(45009, ApiCall.AccessToken));
    }

    [Theory]
    [InlineData(89506, 24)]
    [InlineData(89507, 1)]
    public void An_administrators_rejection_of_the_IP_waits_until_WeChat_accepts_it_again(int code, int hours)
    {
        // Refused on every call until then, the ticket calls included.
        Assert.Equal(_time.GetUtcNow().AddHours(hours), BackOff(code, ApiCall.AccessToken));
        Assert.Equal(_time.GetUtcNow().AddHours(hours), BackOff(code, ApiCall.JsapiTicket));
    }

    [Fact]
    public void The_token_calls_minute_limit_waits_for_the_next_minute_where_it_waited_for_nothing()
    {
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 2, 1, 0, TimeSpan.Zero), BackOff(45011, ApiCall.AccessToken));
    }

    [Fact]
    public void A_tickets_quota_keeps_the_30_minutes_so_that_the_relayed_token_is_still_renewed()
    {
        Assert.Equal(_time.GetUtcNow().AddMinutes(30), BackOff(45009, ApiCall.JsapiTicket));
        Assert.Null(BackOff(45011, ApiCall.CardTicket));
    }

    [Fact]
    public void Errors_that_name_no_instant_keep_the_rule_as_it_was()
    {
        Assert.Equal(_time.GetUtcNow().AddMinutes(30), BackOff(40164, ApiCall.AccessToken));
        Assert.Null(BackOff(-1, ApiCall.AccessToken));
        Assert.Equal(_time.GetUtcNow().AddMinutes(30), BackOff(45009, ApiCall.AccessToken, WeComApp, WeComErrorClassifier.Classify(ApiCall.AccessToken, 45009)));
    }
}
