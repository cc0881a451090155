using System.Net;
using Microsoft.Extensions.Options;

namespace WxShare.Configuration;

internal sealed class DeploymentOptionsValidator : IValidateOptions<DeploymentOptions>
{
    public ValidateOptionsResult Validate(string? name, DeploymentOptions options) =>
        string.IsNullOrWhiteSpace(options.OutboundIp) || IPAddress.TryParse(options.OutboundIp.Trim(), out _)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"{SettingName.Of(DeploymentOptions.Section, nameof(DeploymentOptions.OutboundIp))} must be an IP address (the NAT gateway's public IP, "
                + $"e.g. 203.0.113.7), or empty; '{options.OutboundIp}' is not.");
}
