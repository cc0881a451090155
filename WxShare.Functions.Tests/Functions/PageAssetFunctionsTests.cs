using WxShare.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Page;

namespace WxShare.Functions.Tests.Functions;

/// <summary>The page helper and demo functions called directly, as the Functions host calls them.</summary>
public sealed class PageAssetFunctionsTests
{
    private static readonly IServiceProvider Services = new ServiceCollection().AddLogging().AddSingleton<PageAssetEndpoint>().BuildServiceProvider();
    private static readonly PageAssetFunctions Function = new(new HttpEdge(null!, null!, null!, null!));

    private static async Task<HttpResponse> CallAsync(Func<HttpRequest, Task<IResult>> function, string? ifNoneMatch = null)
    {
        var context = new DefaultHttpContext { RequestServices = Services };
        context.Request.Method = "GET";
        if (ifNoneMatch is not null)
            context.Request.Headers.IfNoneMatch = ifNoneMatch;
        context.Response.Body = new MemoryStream();
        await (await function(context.Request)).ExecuteAsync(context);
        return context.Response;
    }

    private static byte[] Body(HttpResponse response) => ((MemoryStream)response.Body).ToArray();

    public static TheoryData<string, string, string, string> Assets => new()
    {
        { nameof(PageAssetFunctions.Script), "wx-share.js", "text/javascript; charset=utf-8", "public, max-age=300" },
        { nameof(PageAssetFunctions.Module), "wx-share.mjs", "text/javascript; charset=utf-8", "public, max-age=300" },
        { nameof(PageAssetFunctions.Demo), "demo.html", "text/html; charset=utf-8", "no-cache" },
    };

    private static Func<HttpRequest, Task<IResult>> Named(string method) => method switch
    {
        nameof(PageAssetFunctions.Script) => Function.Script,
        nameof(PageAssetFunctions.Module) => Function.Module,
        _ => Function.Demo,
    };

    [Theory]
    [MemberData(nameof(Assets))]
    public async Task Serves_the_file_from_the_repository_with_its_type_caching_and_a_strong_etag(string method, string file, string contentType, string caching)
    {
        var response = await CallAsync(Named(method));

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(contentType, response.ContentType);
        Assert.Equal(caching, response.Headers.CacheControl.ToString());
        Assert.Equal("nosniff", response.Headers.XContentTypeOptions.ToString());
        Assert.Matches("^\"[0-9a-f]{32}\"$", response.Headers.ETag.ToString());
        Assert.Equal(File.ReadAllBytes(Path.Combine(RepositoryRoot.Path, "WxShare.Core", "Page", file)), Body(response));
    }

    [Theory]
    [MemberData(nameof(Assets))]
    public async Task A_matching_If_None_Match_gets_304_with_no_body(string method, string file, string contentType, string caching)
    {
        _ = (file, contentType);
        var etag = (await CallAsync(Named(method))).Headers.ETag.ToString();

        foreach (var ifNoneMatch in new[] { etag, "W/" + etag, "\"other\", " + etag, "*" })
        {
            var response = await CallAsync(Named(method), ifNoneMatch);
            Assert.Equal(304, response.StatusCode);
            Assert.Empty(Body(response));
            Assert.Equal(etag, response.Headers.ETag.ToString());
            Assert.Equal(caching, response.Headers.CacheControl.ToString());
        }
        Assert.Equal(200, (await CallAsync(Named(method), "\"stale\"")).StatusCode);
    }

    [Fact]
    public async Task The_scripts_may_be_loaded_from_any_origin_and_the_demo_may_not()
    {
        Assert.Equal("*", (await CallAsync(Function.Script)).Headers.AccessControlAllowOrigin.ToString());
        Assert.Equal("*", (await CallAsync(Function.Module)).Headers.AccessControlAllowOrigin.ToString());
        Assert.Empty((await CallAsync(Function.Demo)).Headers.AccessControlAllowOrigin.ToString());
    }

    [Fact]
    public async Task Each_file_has_its_own_etag()
    {
        var etags = new[] { Function.Script, Function.Module, Function.Demo };
        var values = new List<string>();
        foreach (var function in etags)
            values.Add((await CallAsync(function)).Headers.ETag.ToString());
        Assert.Equal(3, values.Distinct().Count());
    }
}
