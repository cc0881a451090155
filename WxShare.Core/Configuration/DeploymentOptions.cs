using System.Net;

namespace WxShare.Configuration;

/// <summary>
/// Facts about this deployment that explain an error. <c>Deployment__OutboundIp</c> is the public address of the NAT
/// gateway the app's calls leave through (infra fills it in from the NAT public IP): an IP-whitelist error then says
/// whether the address WeChat saw is this one.
/// </summary>
public sealed class DeploymentOptions
{
    public const string Section = "Deployment";

    /// <summary>An IPv4 or IPv6 address, or empty when the deployment has no fixed outbound address.</summary>
    public string? OutboundIp { get; set; }

    /// <summary>The parsed <see cref="OutboundIp"/> (IPv4-mapped IPv6 as IPv4); null when unset. Validated at start-up.</summary>
    public IPAddress? OutboundAddress =>
        IPAddress.TryParse(OutboundIp?.Trim(), out var ip) ? (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip) : null;
}
