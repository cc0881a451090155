using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace WxShare.Functions.Tests.Infrastructure;

/// <summary>Requests as the Functions host hands them to a function with ASP.NET Core integration.</summary>
internal static class HttpRequests
{
    public static HttpRequest Get(IServiceProvider services, string queryString, string? origin = null, string method = "GET")
    {
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = method;
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("wxshare.example.net");
        context.Request.Path = "/api/jssdk/config";
        context.Request.QueryString = new QueryString(queryString);
        if (origin is not null)
            context.Request.Headers.Origin = origin;
        context.Response.Body = new MemoryStream();
        return context.Request;
    }

    public static string ForPage(string pageUrl) => "?url=" + Uri.EscapeDataString(pageUrl);

    public static (int Status, T Body) Unwrap<T>(IActionResult result)
    {
        var objectResult = Assert.IsAssignableFrom<ObjectResult>(result);
        return (objectResult.StatusCode ?? 200, Assert.IsType<T>(objectResult.Value));
    }
}
