namespace WxShare.Telemetry;

/// <summary>
/// Counts every HTTP request to WeChat or WeCom, by the endpoint <paramref name="endpointOf"/> names from the request
/// URI. It sits inside the resilience handler, so each retry counts, as it does against the service's limits; and it
/// needs no line in either client.
/// </summary>
public sealed class ApiCallMetricsHandler(WxShareMetrics metrics, Func<Uri?, string> endpointOf) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var endpoint = endpointOf(request.RequestUri);
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            metrics.CountApiCall(endpoint, (int)response.StatusCode);
            return response;
        }
        catch
        {
            metrics.CountApiCall(endpoint, null);
            throw;
        }
    }
}
