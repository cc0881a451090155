using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Host;
using WxShare.Signing;
using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.EndToEnd;

[Collection(AzuriteCollection.Name)]
public sealed class StandaloneHostTests(AzuriteFixture azurite)
{
    private const string Page = "https://m.example.com/article/2026?from=singlemessage&isappinstalled=0";

    [Fact]
    public async Task Refreshes_at_start_up_and_serves_configs_that_verify_against_WeChats_ticket()
    {
        await using var host = await StandaloneHost.StartAsync(azurite);

        var response = await host.WaitForConfigAsync(Page + "#share");

        await response.AssertSignedConfigAsync(Page, host.Sandbox.State);
        Assert.Equal(new SandboxCallCounts(Token: 0, StableToken: 1, Ticket: 1), host.Sandbox.State.Calls);
    }

    [Fact]
    public async Task On_the_wire_a_signed_config_is_one_length_framed_answer_and_the_connection_serves_the_next()
    {
        // Bytes as a browser's socket receives them (HttpClient would hide the framing): two requests on one keep-alive
        // connection, each answered with Content-Length, no chunking, no-store, and a body that verifies.
        await using var host = await StandaloneHost.StartAsync(azurite);
        Assert.Equal(HttpStatusCode.OK, (await host.WaitForConfigAsync(Page)).StatusCode);
        var ticket = host.Sandbox.State.CurrentTicket(SandboxDefaults.AppId);
        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(host.Client.BaseAddress!.Host, host.Client.BaseAddress.Port);
        var stream = socket.GetStream();
        var received = new List<byte>();
        for (var request = 0; request < 2; request++)
        {
            var page = $"{Page}&n={request}";
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(
                $"GET {StandaloneHost.ConfigPath(page)} HTTP/1.1\r\nHost: {host.Client.BaseAddress.Authority}\r\n\r\n"));
            var (head, body) = await ReadAnswerAsync(stream, received);
            Assert.StartsWith("HTTP/1.1 200 OK\r\n", head);
            Assert.DoesNotContain("Transfer-Encoding", head, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("\r\nContent-Type: application/json; charset=utf-8\r\n", head);
            Assert.Contains("\r\nCache-Control: no-store\r\n", head);
            var config = JsonSerializer.Deserialize<JsSdkConfig>(body)!;
            Assert.Equal(page, config.Url);
            Assert.True(config.VerifiesWith(ticket));
        }
        Assert.Empty(received); // nothing after the second body: no chunk terminator, no stray bytes
    }

    /// <summary>One answer read off the socket by its Content-Length; what arrived beyond it stays in <paramref name="pending"/>.</summary>
    private static async Task<(string Head, byte[] Body)> ReadAnswerAsync(System.Net.Sockets.NetworkStream stream, List<byte> pending)
    {
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        int headEnd;
        while ((headEnd = IndexOf(pending, "\r\n\r\n"u8)) < 0)
            await ReadMoreAsync();
        var head = System.Text.Encoding.ASCII.GetString(pending.GetRange(0, headEnd + 4).ToArray());
        var lengthLine = head.Split("\r\n").Single(l => l.StartsWith("Content-Length: ", StringComparison.OrdinalIgnoreCase));
        var length = int.Parse(lengthLine["Content-Length: ".Length..]);
        while (pending.Count < headEnd + 4 + length)
            await ReadMoreAsync();
        var body = pending.GetRange(headEnd + 4, length).ToArray();
        pending.RemoveRange(0, headEnd + 4 + length);
        // A moment for anything the server might still send after the announced length (it must send nothing).
        await Task.Delay(100);
        while (stream.DataAvailable)
            await ReadMoreAsync();
        return (head, body);

        // A closed connection reads 0 bytes at once: fail then, instead of reading 0 bytes until the timeout.
        async Task ReadMoreAsync()
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0)
                throw new InvalidDataException("The server closed the connection inside an answer.");
            pending.AddRange(buffer.AsSpan(0, read).ToArray());
        }
    }

    private static int IndexOf(List<byte> bytes, ReadOnlySpan<byte> value) =>
        System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes).IndexOf(value);

    [Fact]
    public async Task A_thousand_signing_requests_cause_zero_WeChat_calls()
    {
        await using var host = await StandaloneHost.StartAsync(azurite);
        Assert.Equal(HttpStatusCode.OK, (await host.WaitForConfigAsync(Page)).StatusCode);
        host.Sandbox.State.ResetCalls();
        var ticket = host.Sandbox.State.CurrentTicket(SandboxDefaults.AppId);

        var verified = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, 1000), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var page = $"{Page}&n={i}";
            var config = await host.Client.GetFromJsonAsync<JsSdkConfig>(StandaloneHost.ConfigPath(page), ct);
            if (config!.Url == page && config.VerifiesWith(ticket))
                Interlocked.Increment(ref verified);
        });

        Assert.Equal(1000, verified);
        Assert.Equal(new SandboxCallCounts(0, 0, 0), host.Sandbox.State.Calls);
    }

    [Fact]
    public async Task Errors_over_http_are_json_with_status_codes_and_no_stack_trace()
    {
        await using var host = await StandaloneHost.StartAsync(azurite);
        await host.WaitForConfigAsync(Page);

        var badRequest = await host.Client.GetAsync(WxShareHost.ConfigRoute + "?url=not-a-url");
        var forbidden = await host.Client.GetAsync(StandaloneHost.ConfigPath("https://evil.example.org/"));

        foreach (var (response, status, code) in new[] { (badRequest, 400, "url_invalid"), (forbidden, 403, "domain_not_allowed") })
        {
            Assert.Equal(status, (int)response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            var body = await response.Content.ReadAsStringAsync();
            using var json = JsonDocument.Parse(body);
            Assert.Equal(code, json.RootElement.GetProperty("error").GetString());
            Assert.False(string.IsNullOrWhiteSpace(json.RootElement.GetProperty("message").GetString()));
            Assert.DoesNotContain("   at ", body);
        }
    }

    [Fact]
    public async Task Unexpected_exceptions_in_and_outside_the_endpoint_are_json_500s_with_a_correlation_id()
    {
        const string outside = "/throws-outside-the-endpoint";
        await using var host = await StandaloneHost.StartAsync(azurite, mapMore: app =>
        {
            app.Use((context, next) =>
            {
                if (context.Request.Headers.ContainsKey("X-Break-Query"))
                    context.Features.Set<IQueryFeature>(new BrokenQueryFeature());
                return next(context);
            });
            app.MapGet(outside, IResult () => throw new InvalidOperationException(BrokenQueryFeature.Message));
        });
        await host.WaitForConfigAsync(Page);
        // A repeated cache buster is read through the query collection (ConfigQuery), which throws here.
        using var inside = new HttpRequestMessage(HttpMethod.Get, StandaloneHost.ConfigPath(Page) + "&_=1&_=2") { Headers = { { "X-Break-Query", "1" } } };

        foreach (var response in new[] { await host.Client.SendAsync(inside), await host.Client.GetAsync(outside) })
        {
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            var body = await response.Content.ReadAsStringAsync();
            var error = JsonSerializer.Deserialize<ApiError>(body)!;
            Assert.Equal("internal_error", error.Error);
            Assert.False(string.IsNullOrEmpty(error.CorrelationId));
            Assert.DoesNotContain("   at ", body);
            Assert.DoesNotContain(BrokenQueryFeature.Message, body);
        }
    }

    [Fact]
    public async Task Cors_preflight_works_over_http()
    {
        await using var host = await StandaloneHost.StartAsync(azurite);
        using var preflight = new HttpRequestMessage(HttpMethod.Options, StandaloneHost.ConfigPath(Page));
        preflight.Headers.Add("Origin", "https://www.example.com");
        preflight.Headers.Add("Access-Control-Request-Method", "GET");

        var response = await host.Client.SendAsync(preflight);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("https://www.example.com", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task While_WeChat_fails_it_answers_503_with_retry_after()
    {
        await using var host = await StandaloneHost.StartAsync(azurite, sandbox => sandbox.SetFault(new SandboxFault(SandboxFaultKind.Busy)));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (host.Sandbox.State.Calls.Total == 0 && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        await Task.Delay(6000); // past the few seconds for which "no ticket" is cached

        var response = await host.Client.GetAsync(StandaloneHost.ConfigPath(Page));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(60), response.Headers.RetryAfter?.Delta);
        var error = await response.Content.ReadFromJsonAsync<ApiError>();
        Assert.Equal("ticket_unavailable", error!.Error);
        Assert.Contains("-1", error.Message);
    }

    [Fact]
    public async Task Health_reports_the_process_not_WeChat()
    {
        await using var host = await StandaloneHost.StartAsync(azurite, sandbox => sandbox.SetFault(new SandboxFault(SandboxFaultKind.ServerError)));
        var response = await host.Client.GetAsync(WxShareHost.HealthRoute);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/api/wx-share.js", "text/javascript", "public, max-age=300")]
    [InlineData("/api/wx-share.mjs", "text/javascript", "public, max-age=300")]
    [InlineData(WxShareHost.DemoRoute, "text/html", "no-cache")]
    public async Task Serves_the_page_helper_and_demo_with_an_etag_and_answers_a_revisit_304(string path, string mediaType, string caching)
    {
        await using var host = await StandaloneHost.StartAsync(azurite);

        var first = await host.Client.GetAsync(path);
        using var revisit = new HttpRequestMessage(HttpMethod.Get, path);
        revisit.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        var second = await host.Client.SendAsync(revisit);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(mediaType, first.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", first.Content.Headers.ContentType?.CharSet);
        Assert.Equal(caching, first.Headers.CacheControl?.ToString());
        Assert.False(first.Headers.ETag!.IsWeak);
        Assert.Contains("WxShare", await first.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
    }
}
