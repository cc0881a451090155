namespace WxShare.Telemetry;

/// <summary>
/// Counts every HTTP request to WeChat. It sits inside the resilience handler, so each retry counts, as it does
/// against WeChat's daily quota; and it needs no line in the WeChat client.
/// </summary>
public sealed class WeChatCallMetricsHandler(WxShareMetrics metrics) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var endpoint = WeChatEndpoints.Of(request.RequestUri);
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            metrics.CountWeChatCall(endpoint, (int)response.StatusCode);
            return response;
        }
        catch
        {
            metrics.CountWeChatCall(endpoint, null);
            throw;
        }
    }
}
