using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace WxShare.Functions.Tests.Infrastructure;

/// <summary>Runs an endpoint's IResult against its request's context, as the Functions host does, and reads the answer.</summary>
internal static class ResultExecution
{
    public static async Task<(int Status, string Body, JsonElement Json)> ExecuteAsync(this IResult result, HttpRequest request)
    {
        var context = request.HttpContext;
        var body = (MemoryStream)context.Response.Body;
        await result.ExecuteAsync(context);
        var text = Encoding.UTF8.GetString(body.ToArray());
        return (context.Response.StatusCode, text, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public static HttpRequest Post(IServiceProvider services, string body, string? origin = null, string? remoteAddress = null)
    {
        var request = HttpRequests.Get(services, "", origin, "POST");
        var bytes = Encoding.UTF8.GetBytes(body);
        request.Body = new MemoryStream(bytes);
        request.ContentLength = bytes.Length;
        request.ContentType = "application/json";
        if (remoteAddress is not null)
            request.HttpContext.Connection.RemoteIpAddress = System.Net.IPAddress.Parse(remoteAddress);
        return request;
    }
}
