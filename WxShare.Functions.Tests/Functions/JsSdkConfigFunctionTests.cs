using WxShare.Http;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Functions.Tests.Refresh;
using WxShare.Signing;
using WxShare.Storage;
using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.Functions;

[Collection(AzuriteCollection.Name)]
public sealed class JsSdkConfigFunctionTests(AzuriteFixture azurite)
{
    private const string Page = "https://m.example.com/share/活动?id=42&from=timeline";

    private static async Task<(HttpAnswer Result, Microsoft.AspNetCore.Http.HttpResponse Response)> CallAsync(
        WxShareTestContext context, string queryString, string? origin = null, string method = "GET")
    {
        var request = HttpRequests.Get(context.Services, queryString, origin, method);
        var function = new JsSdkConfigFunction(context.Get<HttpEdge>());
        var answer = await HttpRequests.ExecuteAsync(await function.Run(request), request);
        return (answer, answer.Response);
    }

    private static async Task<WxShareTestContext> RefreshedAsync(AzuriteFixture azurite)
    {
        var context = await WxShareTestContext.StartAsync(azurite);
        await context.TickAsync();
        return context;
    }

    [Fact]
    public async Task Returns_a_config_signed_with_the_stored_ticket()
    {
        await using var context = await RefreshedAsync(azurite);
        var (result, response) = await CallAsync(context, HttpRequests.ForPage(Page + "#/detail"));

        var (status, config) = HttpRequests.Unwrap<JsSdkConfig>(result);
        Assert.Equal(200, status);
        Assert.Equal(SandboxDefaults.AppId, config.AppId);
        Assert.Equal(Page, config.Url);
        Assert.Equal(WxShareTestContext.Start.ToUnixTimeSeconds(), config.Timestamp);
        Assert.Matches("^[A-Za-z0-9]{16}$", config.NonceStr);
        var ticket = context.Sandbox.State.CurrentTicket(SandboxDefaults.AppId)!;
        Assert.Equal(JsSdkSignature.Compute(ticket, config.NonceStr, config.Timestamp, Page), config.Signature);
        Assert.Equal("no-store", response.Headers.CacheControl.ToString());
    }

    [Fact]
    public async Task Each_request_gets_its_own_nonce()
    {
        await using var context = await RefreshedAsync(azurite);
        var first = HttpRequests.Unwrap<JsSdkConfig>((await CallAsync(context, HttpRequests.ForPage(Page))).Result).Body;
        var second = HttpRequests.Unwrap<JsSdkConfig>((await CallAsync(context, HttpRequests.ForPage(Page))).Result).Body;
        Assert.NotEqual(first.NonceStr, second.NonceStr);
        Assert.NotEqual(first.Signature, second.Signature);
    }

    [Theory]
    [InlineData("", 400, "url_missing")]
    [InlineData("?url=https://example.com/p?a=1&b=2", 400, "url_not_encoded")]
    [InlineData("?url=https%253A%252F%252Fexample.com%252F", 400, "url_encoded_twice")]
    [InlineData("?url=not-a-url", 400, "url_invalid")]
    [InlineData("?url=https%3A%2F%2Fevil.example.org%2F", 403, "domain_not_allowed")]
    public async Task Bad_input_gets_a_json_error_and_no_signature(string queryString, int expectedStatus, string expectedError)
    {
        await using var context = await RefreshedAsync(azurite);
        var (result, response) = await CallAsync(context, queryString);
        var (status, error) = HttpRequests.Unwrap<ApiError>(result);
        Assert.Equal(expectedStatus, status);
        Assert.Equal(expectedError, error.Error);
        Assert.Equal("no-store", response.Headers.CacheControl.ToString());
        Assert.DoesNotContain(SandboxDefaults.AppSecret, error.Message);
    }

    [Fact]
    public async Task An_overlong_url_is_rejected()
    {
        await using var context = await RefreshedAsync(azurite);
        var (result, _) = await CallAsync(context, HttpRequests.ForPage("https://example.com/?q=" + new string('x', 5000)));
        Assert.Equal("url_too_long", HttpRequests.Unwrap<ApiError>(result).Body.Error);
    }

    [Fact]
    public async Task Other_methods_get_405()
    {
        await using var context = await RefreshedAsync(azurite);
        var (result, response) = await CallAsync(context, HttpRequests.ForPage(Page), method: "POST");
        Assert.Equal(405, HttpRequests.Unwrap<ApiError>(result).Status);
        Assert.Equal("GET, OPTIONS", response.Headers.Allow.ToString());
    }

    [Theory]
    [InlineData("https://m.example.com", true)]
    [InlineData("http://example.com:8080", true)]
    [InlineData("https://evil.com", false)]
    [InlineData("https://example.com.evil.com", false)]
    [InlineData("null", false)]
    public async Task Cors_grants_only_origins_on_allowed_domains(string origin, bool granted)
    {
        await using var context = await RefreshedAsync(azurite);
        var (result, response) = await CallAsync(context, HttpRequests.ForPage(Page), origin);
        Assert.Equal(200, HttpRequests.Unwrap<JsSdkConfig>(result).Status);
        Assert.Equal(granted ? origin : "", response.Headers.AccessControlAllowOrigin.ToString());
        Assert.Contains("Origin", response.Headers.Vary.ToString());
    }

    [Fact]
    public async Task Preflight_from_an_allowed_origin_is_granted()
    {
        await using var context = await RefreshedAsync(azurite);
        var request = HttpRequests.Get(context.Services, HttpRequests.ForPage(Page), "https://m.example.com", "OPTIONS");
        request.Headers.AccessControlRequestMethod = "GET";
        request.Headers.AccessControlRequestHeaders = "x-requested-with";
        var answer = await HttpRequests.ExecuteAsync(await new JsSdkConfigFunction(context.Get<HttpEdge>()).Run(request), request);

        Assert.Equal(204, answer.Status);
        Assert.Equal("", answer.Body);
        var headers = request.HttpContext.Response.Headers;
        Assert.Equal("https://m.example.com", headers.AccessControlAllowOrigin.ToString());
        Assert.Contains("GET", headers.AccessControlAllowMethods.ToString());
        Assert.Equal("x-requested-with", headers.AccessControlAllowHeaders.ToString());
    }

    [Fact]
    public async Task Preflight_from_another_origin_is_refused_without_a_grant()
    {
        await using var context = await RefreshedAsync(azurite);
        var (result, response) = await CallAsync(context, HttpRequests.ForPage(Page), "https://evil.com", "OPTIONS");
        var (status, error) = HttpRequests.Unwrap<ApiError>(result);
        Assert.Equal(403, status);
        Assert.Equal("origin_not_allowed", error.Error);
        Assert.Equal("", response.Headers.AccessControlAllowOrigin.ToString());
    }

    [Fact]
    public async Task Without_a_stored_ticket_it_answers_503_with_retry_after_and_why()
    {
        await using var context = await WxShareTestContext.StartAsync(azurite);
        var (result, response) = await CallAsync(context, HttpRequests.ForPage(Page));
        var (status, error) = HttpRequests.Unwrap<ApiError>(result);
        Assert.Equal(503, status);
        Assert.Equal("ticket_unavailable", error.Error);
        Assert.Contains("not completed", error.Message);
        Assert.Equal("60", response.Headers.RetryAfter.ToString());
        Assert.Equal(0, context.Sandbox.State.Calls.Total); // the request path never calls WeChat
    }

    [Fact]
    public async Task After_a_failed_refresh_the_503_names_the_WeChat_error()
    {
        await using var context = await WxShareTestContext.StartAsync(azurite, s => s["WeChat:AppId"] = "wx00000000000000ff");
        await context.TickAsync();
        var (result, _) = await CallAsync(context, HttpRequests.ForPage(Page));
        var (status, error) = HttpRequests.Unwrap<ApiError>(result);
        Assert.Equal(503, status);
        Assert.Contains("40013", error.Message);
    }

    [Fact]
    public async Task A_ticket_is_not_served_in_its_last_30_seconds()
    {
        await using var context = await RefreshedAsync(azurite);
        var servedUntil = TimeSpan.FromHours(2) - SigningTicketCache.ExpiryMargin;
        context.Time.Advance(servedUntil - TimeSpan.FromSeconds(1));
        Assert.Equal(200, HttpRequests.Unwrap<JsSdkConfig>((await CallAsync(context, HttpRequests.ForPage(Page))).Result).Status);
        context.Time.Advance(TimeSpan.FromSeconds(2)); // no refresh ran: a page could not finish wx.config before it expires
        var (status, error) = HttpRequests.Unwrap<ApiError>((await CallAsync(context, HttpRequests.ForPage(Page))).Result);
        Assert.Equal(503, status);
        Assert.Equal("ticket_unavailable", error.Error);
    }

    [Fact]
    public async Task A_ticket_stored_by_another_instance_is_picked_up_by_one_background_read_per_cache_period()
    {
        await using var context = await RefreshedAsync(azurite);
        var firstTicket = context.Sandbox.State.CurrentTicket(SandboxDefaults.AppId)!;
        Assert.True((await SignAsync(context)).VerifiesWith(firstTicket));
        await StoreTicketAsync(context, "ticket-from-another-instance");
        var reads = context.Get<StorageReadCounter>();
        var readsBefore = reads.Reads;

        context.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.True((await SignAsync(context)).VerifiesWith(firstTicket));
        Assert.Equal(readsBefore, reads.Reads); // within the cache period: memory only

        context.Time.Advance(TimeSpan.FromSeconds(2));
        // The request that finds the period over starts the re-read but does not wait for it.
        Assert.True((await SignAsync(context)).VerifiesWith(firstTicket));
        await context.Get<SigningTicketCache>().BackgroundReadOf(SandboxDefaults.AppId);
        Assert.True((await SignAsync(context)).VerifiesWith("ticket-from-another-instance"));
        Assert.Equal(readsBefore + 1, reads.Reads);
    }

    [Fact]
    public async Task An_unexpected_exception_is_a_json_500_with_a_correlation_id_that_the_log_has()
    {
        await using var context = await RefreshedAsync(azurite);
        // A repeated cache buster is read through the query collection (ConfigQuery), which throws here.
        var request = HttpRequests.Get(context.Services, HttpRequests.ForPage(Page) + "&_=1&_=2");
        request.HttpContext.Features.Set<Microsoft.AspNetCore.Http.Features.IQueryFeature>(new BrokenQueryFeature());

        var answer = await HttpRequests.ExecuteAsync(await new JsSdkConfigFunction(context.Get<HttpEdge>()).Run(request), request);

        var (status, error) = HttpRequests.Unwrap<ApiError>(answer);
        Assert.Equal(500, status);
        Assert.Equal("internal_error", error.Error);
        Assert.Equal(request.HttpContext.TraceIdentifier, error.CorrelationId);
        Assert.Contains(error.CorrelationId!, error.Message);
        Assert.DoesNotContain(BrokenQueryFeature.Message, answer.Body);
        var logged = Assert.Single(context.Logs.GetSnapshot(), r => r.Message.Contains(error.CorrelationId!));
        Assert.Equal(BrokenQueryFeature.Message, logged.Exception?.Message);
    }

    private static async Task StoreTicketAsync(WxShareTestContext context, string ticket)
    {
        var store = context.Get<CredentialStore>();
        var record = await store.GetAsync(SandboxDefaults.AppId, CancellationToken.None);
        var leased = await store.TryAcquireLeaseAsync(record, new RefreshLease("another-instance", context.Time.GetUtcNow().AddMinutes(1)), CancellationToken.None);
        var now = context.Time.GetUtcNow();
        Assert.True(await store.TryCompleteRefreshAsync(leased!, new RefreshOutcome(null, new WeChat.IssuedCredential(ticket, now, now.AddHours(2)), null, null), CancellationToken.None));
    }

    private static async Task<JsSdkConfig> SignAsync(WxShareTestContext context) =>
        HttpRequests.Unwrap<JsSdkConfig>((await CallAsync(context, HttpRequests.ForPage(Page))).Result).Body;
}
