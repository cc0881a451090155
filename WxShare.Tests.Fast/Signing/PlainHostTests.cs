using WxShare.Signing;

namespace WxShare.Functions.Tests.Signing;

/// <summary>
/// The signing route reads a plain DNS host without building a Uri (<see cref="PageUrlValidator.TryReadPlainHost"/>):
/// whenever it answers, Uri must accept the URL and give the same IdnHost; whatever it declines goes through Uri.
/// </summary>
public sealed class PlainHostTests
{
    [Theory]
    [InlineData("https://example.com/share?a=1", "example.com")]
    [InlineData("https://EXAMPLE.com/Path", "example.com")]
    [InlineData("HTTP://M.Example.COM:8080/p?q=中文", "m.example.com")]
    [InlineData("http://localhost", "localhost")]
    [InlineData("http://localhost:7071?x=1", "localhost")]
    [InlineData("https://sub-1.deep.example.com/a/b#frag", "sub-1.deep.example.com")]
    [InlineData("https://a.b.c.d.e.f.example/", "a.b.c.d.e.f.example")]
    [InlineData("https://example.com:0/", "example.com")]
    [InlineData("https://example.com:65535/", "example.com")]
    [InlineData("https://9lives.example.com/", "9lives.example.com")]
    [InlineData("https://example.com/\\path with odd \"chars\" <>^`{|}", "example.com")]
    public void Reads_plain_hosts_as_Uri_does(string url, string host)
    {
        Assert.Equal(host, PageUrlValidator.TryReadPlainHost(url));
        Assert.True(Uri.TryCreate(url, UriKind.Absolute, out var uri));
        Assert.Equal(uri.IdnHost, host);
        Assert.Equal(uri.Host, host);
    }

    [Theory]
    [InlineData("https://127.0.0.1/")]          // an address, not a name
    [InlineData("http://127.1/")]               // Uri reads this as 127.0.0.1
    [InlineData("http://0x7f.1/")]
    [InlineData("https://[::1]/")]
    [InlineData("https://user:pw@example.com/")]
    [InlineData("https://example.com\\@evil.example/")]
    [InlineData("https://例子.cn/页面")]
    [InlineData("https://xn--fsqu00a.cn/")]
    [InlineData("https://example.com./")]       // the trailing dot
    [InlineData("https://.example.com/")]
    [InlineData("https://exa..mple.com/")]
    [InlineData("https://-example.com/")]
    [InlineData("https://example-.com/")]
    [InlineData("https://exa_mple.com/")]
    [InlineData("https://example.com:/")]
    [InlineData("https://example.com:65536/")]
    [InlineData("https://example.com:8o8o/")]
    [InlineData("https:///path")]
    [InlineData("https://")]
    [InlineData("ftp://example.com/")]
    [InlineData("https:example.com")]
    [InlineData("//example.com/")]
    [InlineData("https%3A%2F%2Fexample.com%2F")]
    public void Leaves_everything_else_to_Uri(string url) =>
        Assert.Null(PageUrlValidator.TryReadPlainHost(url));

    [Fact]
    public void A_label_of_63_characters_is_read_and_one_of_64_left_to_Uri()
    {
        var longest = "https://" + new string('a', 63) + ".example.com/";
        Assert.Equal(new Uri(longest).IdnHost, PageUrlValidator.TryReadPlainHost(longest));
        Assert.Null(PageUrlValidator.TryReadPlainHost("https://" + new string('a', 64) + ".example.com/"));
    }
}
