using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Http;
using WxShare.Signing;
using WxShare.Storage;

namespace WxShare.Functions.Tests.Functions;

/// <summary>The edge every route runs behind, on a row of its own: failures, methods and the preflight are answered here once.</summary>
public sealed class HttpEdgeTests : IDisposable
{
    private readonly IHost _host = ServicesOnlyHost.Build(TestSettings.Offline());

    public void Dispose() => _host.Dispose();

    private static ApiRoute Row(RouteHandler handler, CorsPolicy cors = CorsPolicy.None) =>
        new("Probe", "probe", [HttpMethods.Get], RouteKey.Anonymous, cors, handler, new RouteDoc("A probe.", [], null))
        { StorageRetryAfter = TimeSpan.FromSeconds(42) };

    private async Task<HttpAnswer> CallAsync(ApiRoute route, string method = "GET", string? origin = null)
    {
        var request = HttpRequests.Get(_host.Services, "", origin, method);
        return await HttpRequests.ExecuteAsync(await _host.Services.GetRequiredService<HttpEdge>().HandleAsync(route, request), request);
    }

    [Fact]
    public async Task A_storage_outage_in_any_handler_is_a_json_503_with_the_rows_retry_after()
    {
        var answer = await CallAsync(Row((_, _) => throw new StorageUnavailableException("wx-probe", new TimeoutException())));

        var (status, error) = HttpRequests.Unwrap<ApiError>(answer);
        Assert.Equal((503, "storage_unavailable"), (status, error.Error));
        Assert.Equal("42", answer.Response.Headers.RetryAfter.ToString());
        Assert.Equal("no-store", answer.Response.Headers.CacheControl.ToString());
    }

    [Fact]
    public async Task Any_other_failure_is_a_json_500_naming_a_correlation_id_and_not_the_exception()
    {
        var answer = await CallAsync(Row((_, _) => throw new InvalidOperationException("secret detail")));

        var (status, error) = HttpRequests.Unwrap<ApiError>(answer);
        Assert.Equal((500, "internal_error"), (status, error.Error));
        Assert.False(string.IsNullOrEmpty(error.CorrelationId));
        Assert.DoesNotContain("secret detail", answer.Body);
    }

    [Fact]
    public async Task A_method_the_row_does_not_list_is_a_json_405_with_allow_and_never_reaches_the_handler()
    {
        var reached = false;
        var answer = await CallAsync(Row((_, _) => { reached = true; return ValueTask.FromResult<IResult>(TypedResults.Ok()); }, CorsPolicy.PageOrigins), "DELETE");

        Assert.Equal((405, "method_not_allowed"), (answer.Status, HttpRequests.Unwrap<ApiError>(answer).Body.Error));
        Assert.Equal("GET, OPTIONS", answer.Response.Headers.Allow.ToString());
        Assert.False(reached);
    }

    [Fact]
    public async Task A_preflight_from_a_foreign_origin_is_refused_and_one_from_an_allowed_origin_is_granted_without_the_handler()
    {
        var route = Row((_, _) => throw new InvalidOperationException("the handler must not run for a preflight"), CorsPolicy.PageOrigins);

        var foreign = await CallAsync(route, "OPTIONS", "https://evil.example.org");
        var allowed = await CallAsync(route, "OPTIONS", "https://m.example.com");

        Assert.Equal((403, "origin_not_allowed"), (foreign.Status, HttpRequests.Unwrap<ApiError>(foreign).Body.Error));
        Assert.Equal(204, allowed.Status);
        Assert.Equal("GET, OPTIONS", allowed.Response.Headers.AccessControlAllowMethods.ToString());
    }

    [Fact]
    public async Task Every_error_body_is_written_with_the_one_encoder_setting()
    {
        var answer = await CallAsync(Row((_, r) => ValueTask.FromResult(ApiErrors.Refused(r.HttpContext.Response,
            Refusal.Invalid("probe_invalid", "Use 'appId' & 'agentId' for 活动")))));

        Assert.Contains("Use 'appId' & 'agentId' for 活动", answer.Body);
    }
}
