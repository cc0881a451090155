using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace WxShare.Functions.Tests.Infrastructure;

/// <summary>Answers read as JSON, and POSTs with a body, for the diagnose and report routes.</summary>
internal static class ResultExecution
{
    public static async Task<(int Status, string Body, JsonElement Json)> ExecuteAsync(this IResult result, HttpRequest request)
    {
        var answer = await HttpRequests.ExecuteAsync(result, request);
        return (answer.Status, answer.Body, answer.Body.Length == 0 ? default : JsonDocument.Parse(answer.Body).RootElement.Clone());
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
