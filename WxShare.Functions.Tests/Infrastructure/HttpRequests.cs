using System.Text.Json;
using Microsoft.AspNetCore.Http;

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

    /// <summary>Executes the result as the host would, and reads back what a client receives.</summary>
    public static async Task<HttpAnswer> ExecuteAsync(IResult result, HttpRequest request)
    {
        var response = request.HttpContext.Response;
        await result.ExecuteAsync(request.HttpContext);
        response.Body.Position = 0;
        return new HttpAnswer(response.StatusCode, response.ContentType, await new StreamReader(response.Body).ReadToEndAsync(), response);
    }

    public static (int Status, T Body) Unwrap<T>(HttpAnswer answer)
    {
        Assert.StartsWith("application/json", answer.ContentType);
        return (answer.Status, JsonSerializer.Deserialize<T>(answer.Body)!);
    }
}

internal sealed record HttpAnswer(int Status, string? ContentType, string Body, HttpResponse Response);
