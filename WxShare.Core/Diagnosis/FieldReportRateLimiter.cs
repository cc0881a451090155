using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using WxShare.Configuration;

namespace WxShare.Diagnosis;

/// <summary>
/// Admits a field report only within both limits: per client address, and in total (this instance). A fixed
/// one-minute window each; nothing queues, a refused report is answered 429 at once.
/// </summary>
public sealed class FieldReportRateLimiter : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly PartitionedRateLimiter<string> _perAddress;
    private readonly PartitionedRateLimiter<string> _total;
    private readonly PartitionedRateLimiter<string> _both;
    private readonly string _addressHeader;

    public FieldReportRateLimiter(IOptions<FieldReportOptions> options)
    {
        var o = options.Value;
        _addressHeader = o.ClientAddressHeader;
        _perAddress = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ => PerWindow(o.PerAddressPerMinute)));
        _total = PartitionedRateLimiter.Create<string, string>(_ => RateLimitPartition.GetFixedWindowLimiter("total", _ => PerWindow(o.TotalPerMinute)));
        _both = PartitionedRateLimiter.CreateChained(_perAddress, _total);
    }

    /// <returns>A lease; <see cref="RateLimitLease.IsAcquired"/> is false when either limit is reached.</returns>
    public RateLimitLease TryAdmit(HttpContext context) => _both.AttemptAcquire(ClientAddress(context));

    /// <summary>The connection's address, or the last entry of the configured proxy header (the one the proxy itself added).</summary>
    public string ClientAddress(HttpContext context)
    {
        if (_addressHeader.Length > 0
            && context.Request.Headers[_addressHeader].ToString().Split(',').LastOrDefault()?.Trim() is { Length: > 0 } forwarded)
            return IPEndPoint.TryParse(forwarded, out var endpoint) ? endpoint.Address.ToString() : forwarded[..Math.Min(forwarded.Length, 64)];
        return context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
    }

    public void Dispose()
    {
        _both.Dispose();
        _perAddress.Dispose();
        _total.Dispose();
    }

    private static FixedWindowRateLimiterOptions PerWindow(int permits) =>
        new() { PermitLimit = permits, Window = Window, QueueLimit = 0, AutoReplenishment = true };
}
