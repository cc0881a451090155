using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using WxShare.Http;
using WxShare.Signing;
using WxShare.WeCom;

namespace WxShare.Functions.Tests.Signing;

/// <summary>The config route's own JSON writer answers the bytes TypedResults.Json answered, with their Content-Length.</summary>
public sealed class SignedConfigResultTests
{
    // '&', quotes, '<', an apostrophe, '+', Chinese, an emoji and a control character: every escaping decision of the encoder.
    private const string Url = "https://m.example.com/分享/a'b?id=1&from=\"timeline\"&q=<x>+y😀\u0001";

    [Fact]
    public async Task The_config_body_equals_TypedResults_Json_and_carries_its_length()
    {
        var config = new JsSdkConfig("wx5a4d5b0c1e2f3a4b", 1_700_000_000, "AbCdEfGh12345678", new string('a', 40), Url);

        var (expected, expectedType, expectedLength, _) = await Execute(TypedResults.Json(config, WxShareJsonContext.Answers.JsSdkConfig));
        var (actual, actualType, actualLength, _) = await Execute(new SignedConfigResult<JsSdkConfig>(config, WxShareJsonContext.Default.JsSdkConfig));

        Assert.Equal(expected, actual);
        Assert.Contains("&from=", Encoding.UTF8.GetString(actual)); // readable, as every answer: not \u0026
        Assert.Equal(expectedType, actualType);
        Assert.Equal("application/json; charset=utf-8", actualType);
        Assert.Null(expectedLength); // TypedResults.Json streams: chunked on the wire
        Assert.Equal(actual.Length, actualLength); // one write of headers and body, no chunk framing
        Assert.Equal(200, (await Execute(new SignedConfigResult<JsSdkConfig>(config, WxShareJsonContext.Default.JsSdkConfig), statusBefore: 418)).Status);
    }

    [Fact]
    public async Task The_WeCom_body_equals_TypedResults_Json_and_the_writer_serves_the_next_request()
    {
        var config = new WeComJsSdkConfig("ww1234567890abcdef", 1_700_000_000, "AbCdEfGh12345678", new string('b', 40), Url,
            new WeComAgentConfig("ww1234567890abcdef", "1000002", 1_700_000_000, "ZyXwVu9876543210", new string('c', 40)));

        var (expected, _, _, _) = await Execute(TypedResults.Json(config, WxShareJsonContext.Answers.WeComJsSdkConfig));
        for (var request = 0; request < 3; request++) // the per-thread writer, reused, must not carry anything over
            Assert.Equal(expected, (await Execute(new SignedConfigResult<WeComJsSdkConfig>(config, WxShareJsonContext.Default.WeComJsSdkConfig))).Body);
    }

    [Fact]
    public async Task A_body_longer_than_the_kept_buffer_is_written_whole_and_the_next_one_still_right()
    {
        var longUrl = "https://m.example.com/" + new string('x', 30_000);
        var big = new JsSdkConfig("wx5a4d5b0c1e2f3a4b", 1_700_000_000, "AbCdEfGh12345678", new string('a', 40), longUrl);
        var small = new JsSdkConfig("wx5a4d5b0c1e2f3a4b", 1_700_000_000, "AbCdEfGh12345678", new string('a', 40), Url);
        foreach (var config in new[] { big, small, big })
        {
            var (expected, _, _, _) = await Execute(TypedResults.Json(config, WxShareJsonContext.Answers.JsSdkConfig));
            var (actual, _, length, _) = await Execute(new SignedConfigResult<JsSdkConfig>(config, WxShareJsonContext.Default.JsSdkConfig));
            Assert.Equal(expected, actual);
            Assert.Equal(actual.Length, length);
        }
    }

    private static async Task<(byte[] Body, string? ContentType, long? ContentLength, int Status)> Execute(IResult result, int statusBefore = 200)
    {
        using var services = new ServiceCollection().AddLogging().BuildServiceProvider();
        var body = new MemoryStream();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Response.Body = body;
        context.Response.StatusCode = statusBefore;
        await result.ExecuteAsync(context);
        await context.Response.BodyWriter.CompleteAsync();
        return (body.ToArray(), context.Response.ContentType, context.Response.ContentLength, context.Response.StatusCode);
    }
}
