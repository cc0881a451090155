using WxShare.Http;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using WxShare.Operations;

namespace WxShare.Functions.Tests.Infrastructure;

/// <summary>What an operator route answered once its IResult ran against a response, as the host would run it.</summary>
internal sealed record OperatorAnswer(int Status, string Body, IHeaderDictionary Headers)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
    public string? Error => Json.TryGetProperty("error", out var e) ? e.GetString() : null;
}

/// <summary>Calls the function classes of the operator routes directly, with requests as the Functions host hands them over.</summary>
internal static class OperatorCalls
{
    public static HttpRequest Request(IServiceProvider services, string method, string path, string queryString = "", string? jsonBody = null)
    {
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = method;
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("wxshare.example.net");
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(queryString);
        if (jsonBody is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(jsonBody);
            context.Request.ContentType = "application/json";
            context.Request.ContentLength = bytes.Length;
            context.Request.Body = new MemoryStream(bytes);
        }
        context.Response.Body = new MemoryStream();
        // A keyed call, as an operator's: with the test context's key whenever the services know it.
        if (services.GetService<KeyRing>()?.Find(WxShareTestContext.OperatorKey) is not null)
            WxShareTestContext.Keyed(context.Request);
        return context.Request;
    }

    public static async Task<OperatorAnswer> RunAsync(HttpRequest request, Func<HttpRequest, Task<IResult>> function)
    {
        var result = await function(request);
        var context = request.HttpContext;
        await result.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        var body = await new StreamReader(context.Response.Body).ReadToEndAsync();
        return new OperatorAnswer(context.Response.StatusCode, body, context.Response.Headers);
    }

    public static string RejectedTokenBody(string token) => JsonSerializer.Serialize(new { accessToken = token });

    public static Task<OperatorAnswer> HealthAsync(IServiceProvider services) =>
        RunAsync(Request(services, "GET", "/api/health"), new HealthFunction(services.GetRequiredService<HttpEdge>()).Run);

    public static Task<OperatorAnswer> GetTokenAsync(IServiceProvider services, string query = "") =>
        RunAsync(Request(services, "GET", "/api/wechat/token", query), new TokenRelayFunction(services.GetRequiredService<HttpEdge>()).Run);

    public static Task<OperatorAnswer> ReportRejectedAsync(IServiceProvider services, string query, string? body) =>
        RunAsync(Request(services, "POST", "/api/wechat/token/refresh", query, body),
            new TokenRelayRefreshFunction(services.GetRequiredService<HttpEdge>()).Run);

    public static Task<OperatorAnswer> RefreshNowAsync(IServiceProvider services, string query = "") =>
        RunAsync(Request(services, "POST", "/api/ops/refresh", query), new RefreshNowFunction(services.GetRequiredService<HttpEdge>()).Run);

    public static Task<OperatorAnswer> QuotaAsync(IServiceProvider services, string query = "") =>
        RunAsync(Request(services, "GET", "/api/ops/quota", query), new WeChatQuotaFunction(services.GetRequiredService<HttpEdge>()).Run);

    public static Task<OperatorAnswer> RidAsync(IServiceProvider services, string query) =>
        RunAsync(Request(services, "GET", "/api/ops/rid", query), new WeChatRidFunction(services.GetRequiredService<HttpEdge>()).Run);

    public const string Confirmed = """{"confirm": true}""";

    public static Task<OperatorAnswer> ClearQuotaAsync(IServiceProvider services, string query = "", string? body = Confirmed) =>
        RunAsync(Request(services, "POST", "/api/ops/clear-quota", query, body),
            new WeChatClearQuotaFunction(services.GetRequiredService<HttpEdge>()).Run);
}
