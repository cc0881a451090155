using WxShare.Http;
using Microsoft.AspNetCore.Http;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Signing;

namespace WxShare.Functions.Tests.Signing;

public sealed class PageUrlValidatorTests
{
    private readonly PageUrlValidator _validator = new();

    private PageUrlCheck Check(string queryString) => _validator.Check(QueryHelpersParse(queryString));

    private static IQueryCollection QueryHelpersParse(string queryString) =>
        new QueryCollection(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(queryString));

    [Theory]
    [InlineData("https://example.com/share?a=1&b=2", "https://example.com/share?a=1&b=2")]
    [InlineData("https://example.com/share?a=1#/route?x=1", "https://example.com/share?a=1")]
    [InlineData("http://m.example.com:8080/p?q=中文", "http://m.example.com:8080/p?q=中文")]
    [InlineData("https://sub.deep.example.com/", "https://sub.deep.example.com/")]
    [InlineData("https://EXAMPLE.com/Path", "https://EXAMPLE.com/Path")]
    [InlineData("https://例子.cn/页面", "https://例子.cn/页面")]
    [InlineData("https://xn--fsqu00a.cn/", "https://xn--fsqu00a.cn/")]
    [InlineData("https://example.com/?redirect=https%3A%2F%2Fexample.com%2F", "https://example.com/?redirect=https%3A%2F%2Fexample.com%2F")]
    public void Accepts_allowed_pages_and_signs_them_decoded_once_without_fragment(string page, string expectedSigned)
    {
        var check = Check(HttpRequests.ForPage(page));
        Assert.Null(check.Rejection);
        Assert.Equal(expectedSigned, check.Url);
    }

    [Fact]
    public void Tolerates_a_jquery_cache_buster() =>
        Assert.Null(Check(HttpRequests.ForPage("https://example.com/") + "&_=1700000000").Rejection);

    [Fact]
    public void Tolerates_the_appId_that_chooses_the_account() =>
        Assert.Null(Check(HttpRequests.ForPage("https://example.com/") + "&appId=wx0000000000000001").Rejection);

    [Theory]
    [InlineData("", 400, "url_missing")]
    [InlineData("?url=", 400, "url_missing")]
    [InlineData("?url=https%3A%2F%2Fexample.com%2F&url=https%3A%2F%2Fexample.com%2Fb", 400, "url_repeated")]
    [InlineData("?url=https://example.com/p?a=1&b=2", 400, "url_not_encoded")]
    [InlineData("?url=https%253A%252F%252Fexample.com%252F", 400, "url_encoded_twice")]
    [InlineData("?url=%2Fshare%3Fa%3D1", 400, "url_invalid")]
    [InlineData("?url=ftp%3A%2F%2Fexample.com%2F", 400, "url_invalid")]
    [InlineData("?url=javascript%3Aalert(1)", 400, "url_invalid")]
    [InlineData("?url=https%3A%2F%2Fexample.com%2Fa%20b", 400, "url_invalid")]
    public void Rejects_bad_urls_with_a_code_and_a_message_that_says_how_to_fix_it(string queryString, int status, string error)
    {
        var rejection = Check(queryString).Rejection;
        Assert.NotNull(rejection);
        Assert.Equal(status, ApiErrors.StatusOf(rejection.Kind));
        Assert.Equal(error, rejection.Error.Error);
        Assert.True(rejection.Error.Message.Length > 30, rejection.Error.Message);
    }

    [Fact]
    public void Names_the_spilled_parameter_when_the_page_url_was_not_encoded()
    {
        var rejection = Check("?url=https://example.com/p?a=1&b=2").Rejection!;
        Assert.Contains("'b'", rejection.Error.Message);
        Assert.Contains("encodeURIComponent", rejection.Error.Message);
    }

    [Fact]
    public void Limits_the_url_to_4096_characters_after_the_fragment_is_dropped()
    {
        var prefix = "https://example.com/?q=";
        var longest = prefix + new string('a', PageUrlValidator.MaxLength - prefix.Length);
        Assert.Null(Check(HttpRequests.ForPage(longest + "#" + new string('f', 500))).Rejection);
        Assert.Equal("url_too_long", Check(HttpRequests.ForPage(longest + "a")).Rejection?.Error.Error);
    }
}
