using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Connections.Features;

namespace WxShare.WeChatSandbox.Http;

/// <summary>
/// What api.weixin.qq.com's front end does before any API sees a call, applied to every path but the sandbox's own
/// /sandbox admin: it drops a keep-alive connection left idle too long (when switched on), answers a POST without a
/// Content-Length 412 with an HTML page, and keeps each error answer's rid with the call it answered.
/// Runs before the endpoints, from the request's headers: Kestrel has not decoded a chunked body yet.
/// </summary>
internal static class WireRules
{
    public const string PreconditionFailedHtml =
        "<html>\r\n<head><title>412 Precondition Failed</title></head>\r\n<body>\r\n"
        + "<center><h1>412 Precondition Failed</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

    private const int MaxRecordedBodyBytes = 64 * 1024;
    private static readonly object LastAnsweredKey = new();

    public static IApplicationBuilder UseWeChatWireRules(this IApplicationBuilder app) => app.Use(ApplyAsync);

    private static async Task ApplyAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Path.StartsWithSegments("/sandbox"))
        {
            await next(context);
            return;
        }

        var state = context.RequestServices.GetRequiredService<WeChatSandboxState>();
        var connection = context.Features.Get<IConnectionItemsFeature>()?.Items;
        if (WasIdleTooLong(connection, state.IdleConnectionDropAfter))
        {
            state.CountDroppedConnection();
            context.Abort();
            return;
        }

        try
        {
            if (HttpMethods.IsPost(context.Request.Method) && !HasLength(context.Request))
                await PreconditionFailedAsync(context.Response);
            else
                await AnswerAndRecordAsync(context, next, state);
        }
        finally
        {
            if (connection is not null)
                connection[LastAnsweredKey] = Stopwatch.GetTimestamp();
        }
    }

    /// <summary>Whether the request arrives on a reused connection that sat idle longer than the drop switch allows.</summary>
    private static bool WasIdleTooLong(IDictionary<object, object?>? connection, TimeSpan? dropAfter) =>
        dropAfter is { } after
        && connection?.TryGetValue(LastAnsweredKey, out var last) == true
        && Stopwatch.GetElapsedTime((long)last!) > after;

    // WeChat wants the length up front: a chunked body (Transfer-Encoding) has none, whatever else the headers say.
    private static bool HasLength(HttpRequest request) =>
        request.Headers.ContentLength is not null && !request.Headers.ContainsKey("Transfer-Encoding");

    private static Task PreconditionFailedAsync(HttpResponse response)
    {
        var body = Encoding.ASCII.GetBytes(PreconditionFailedHtml);
        response.StatusCode = StatusCodes.Status412PreconditionFailed;
        response.ContentType = "text/html";
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body).AsTask();
    }

    /// <summary>Runs the endpoint on a buffered response, then, when it answered with a rid, logs the call under it.</summary>
    private static async Task AnswerAndRecordAsync(HttpContext context, RequestDelegate next, WeChatSandboxState state)
    {
        var call = SandboxCall.Of(context);
        var invokedAt = state.Now;
        var started = Stopwatch.GetTimestamp();
        context.Request.EnableBuffering();
        var network = context.Response.Body;
        using var answer = new MemoryStream();
        context.Response.Body = answer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = network;
        }

        if (call.Rid is { } rid)
        {
            var request = context.Request;
            state.Rids.Add(new SandboxRidRecord(
                rid,
                call.AppId,
                invokedAt,
                (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                SandboxCall.CallerIp(context),
                $"{request.Path}{request.QueryString}",
                await RequestBodyAsync(request),
                Encoding.UTF8.GetString(answer.GetBuffer(), 0, (int)answer.Length)));
        }

        // The answer leaves with a length, as WeChat's do.
        if (!context.Response.HasStarted)
            context.Response.ContentLength ??= answer.Length;
        answer.Position = 0;
        await answer.CopyToAsync(network, context.RequestAborted);
    }

    private static async Task<string> RequestBodyAsync(HttpRequest request)
    {
        if (request.ContentLength is not > 0)
            return "";
        if (request.ContentLength > MaxRecordedBodyBytes)
            return $"({request.ContentLength} bytes, not kept)";
        request.Body.Position = 0;
        using var reader = new StreamReader(request.Body, Encoding.UTF8, leaveOpen: true);
        return await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
    }
}
