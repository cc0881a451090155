using Microsoft.Extensions.Options;
using WxShare.Accounts;
using WxShare.Configuration;
using WxShare.Storage;

namespace WxShare.Errors;

/// <summary><see cref="ApiErrorAdvice"/> for an account's stored failure, with this deployment's NAT address to compare IPs against.</summary>
public sealed class ApiErrorAdvisor(IOptions<DeploymentOptions> deployment)
{
    public ApiErrorAdvice Advise(Account account, RefreshFailure failure) =>
        ApiErrorAdvice.For(ApiErrorAdvice.ServiceOf(account, failure.Call), account, failure.Call, failure.ErrorCode, failure.Message, failure.At,
            deployment.Value.OutboundAddress) with { Rid = failure.Rid ?? ApiErrorText.Rid(failure.Message) };

    /// <summary>The sentence every surface that reports a stored failure starts from: which call, which errcode, when, and the advice.</summary>
    public string Describe(Account account, RefreshFailure failure) => Describe(account, failure, Advise(account, failure));

    public static string Describe(Account account, RefreshFailure failure, ApiErrorAdvice advice) =>
        $"The last refresh failed at the {failure.Call} call" + (failure.ErrorCode is { } code ? $" with {account.Issuer} errcode {code}" : "")
        + $" at {failure.At:u}: {advice.Text}";

    /// <summary>
    /// What a stranger is told of a stored failure (the config and card 503s, anonymous health): the call and the
    /// errcode, not WeChat's errmsg (it holds the server's address), the rid or the advice, which operators read with a key.
    /// </summary>
    public static string PublicNote(Account account, RefreshFailure failure) =>
        $"The credentials are not available: the last refresh failed at the {failure.Call} call"
        + (failure.ErrorCode is { } code ? $" with {account.Issuer} errcode {code.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : "")
        + ". Operators see the cause and what to do at /api/health with a key (route ops).";
}
