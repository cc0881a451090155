using Microsoft.AspNetCore.Http;
using WxShare.Signing;

namespace WxShare.Functions.Tests.Signing;

/// <summary>
/// The config route reads its common query in one pass (<see cref="ConfigQuery.TryReadPlain"/>): whatever it reads
/// must equal what ASP.NET Core's own query collection gives, and everything unusual must be left to that collection.
/// </summary>
public sealed class ConfigQueryTests
{
    [Theory]
    [InlineData("?url=https%3A%2F%2Fexample.com%2Fshare%3Fid%3D1")]
    [InlineData("?url=https://example.com/share")]                          // not encoded, no query of its own
    [InlineData("?url=https%3A%2F%2Fexample.com%2Fa+b%2Bc%20d")]            // '+' is a space, %2B a plus
    [InlineData("?url=https%3A%2F%2Fexample.com%2F%E4%B8%AD%E6%96%87")]     // UTF-8
    [InlineData("?url=https%3A%2F%2Fexample.com%2F%ZZbad%")]                // a broken escape stays as it is
    [InlineData("?url=https%253A%252F%252Fexample.com")]                    // encoded twice: decoded once only
    [InlineData("?URL=https%3A%2F%2Fexample.com%2F&APPID=wx1&AgentId=1000002")]
    [InlineData("?url=https%3A%2F%2Fexample.com%2F&appId=wx5a4d5b0c1e2f3a4b&_=1700000000000")]
    [InlineData("?_=1&url=https%3A%2F%2Fexample.com%2F")]
    [InlineData("?url=")]
    [InlineData("?url")]
    [InlineData("?url=https%3A%2F%2Fexample.com%2F&")]
    [InlineData("?appId=wx1")]
    [InlineData("?")]
    [InlineData("")]
    public void Reads_the_common_query_as_the_query_collection_does(string queryString)
    {
        Assert.True(ConfigQuery.TryReadPlain(queryString, out var read));
        var expected = ConfigQuery.Of(Collection(queryString));
        Assert.Equal(expected.Url, read.Url);
        Assert.Equal(expected.AppId, read.AppId);
        Assert.Equal(expected.AgentId, read.AgentId);
        Assert.Empty(expected.Others);
        Assert.Empty(read.Others);
    }

    [Theory]
    [InlineData("?url=a&url=b")]                     // repeated: url_repeated
    [InlineData("?url=a&appId=x&appid=y")]           // repeated, in another case
    [InlineData("?url=https://example.com/share?id=1&from=timeline")] // the page's own query spilled out: url_not_encoded
    [InlineData("?u%72l=https%3A%2F%2Fexample.com%2F")] // an encoded name
    [InlineData("?url+=x")]
    [InlineData("?=x&url=a")]                        // an empty name
    [InlineData("?url=a&&url=b")]
    [InlineData("?url=a&_=1&_=2")]
    [InlineData("?url=a&key=secret")]                // refused by the edge (key_in_query) before this matters
    public void Leaves_every_other_query_to_the_collection(string queryString) =>
        Assert.False(ConfigQuery.TryReadPlain(queryString, out _));

    [Fact]
    public void The_requests_query_is_read_plainly_or_through_the_collection_with_the_same_result()
    {
        foreach (var queryString in new[] { "?url=https%3A%2F%2Fexample.com%2F&appId=wx1", "?url=https://example.com/?a=1&b=2" })
        {
            var request = new DefaultHttpContext().Request;
            request.QueryString = new QueryString(queryString);
            var of = ConfigQuery.Of(request);
            var expected = ConfigQuery.Of(Collection(queryString));
            Assert.Equal(expected.Url, of.Url);
            Assert.Equal(expected.AppId, of.AppId);
            Assert.Equal(expected.Others, of.Others);
        }
    }

    // The query collection exactly as a request gets it (QueryFeature).
    private static IQueryCollection Collection(string queryString)
    {
        var request = new DefaultHttpContext().Request;
        request.QueryString = queryString.Length == 0 ? QueryString.Empty : new QueryString(queryString);
        return request.Query;
    }
}
