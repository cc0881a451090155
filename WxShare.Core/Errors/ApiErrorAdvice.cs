using System.Net;
using System.Text.Json.Serialization;
using WxShare.Accounts;
using WxShare.WeChat;

namespace WxShare.Errors;

/// <summary>
/// What a failed WeChat/WeCom/Open Platform call means and what a person does about it, in WxShare's own words: the
/// one place an errcode is explained. The refresh log, /api/health's lastError, the config route's 503 and diagnose all
/// render this. Built from the service, the errcode and the errmsg (never from a secret); the errmsg itself stays with
/// the error for operators, but no advice repeats it.
/// </summary>
/// <param name="Summary">What happened.</param>
/// <param name="Fix">What to do; null when nobody needs to act (the refresh retries by itself).</param>
/// <param name="Ip">The caller IP the service saw, from its errmsg: the address to whitelist.</param>
/// <param name="IpIsDeploymentIp">Whether <paramref name="Ip"/> is the deployment's NAT address (Deployment__OutboundIp); null when either is unknown.</param>
/// <param name="Rid">The service's request id of the failed call, from its errmsg (in JSON beside the errmsg, not here).</param>
/// <param name="RetryAfter">When the service accepts the call again, where that is known (a quota's reset, an administrator's rejection).</param>
public sealed record ApiErrorAdvice(
    [property: JsonIgnore] ApiService Service,
    string Summary,
    string? Fix,
    string? Ip,
    bool? IpIsDeploymentIp,
    [property: JsonIgnore] string? Rid,
    DateTimeOffset? RetryAfter)
{
    public const string DeploymentIpSetting = "Deployment__OutboundIp";

    /// <summary>Summary, fix and rid as one message, for a log line or an error body.</summary>
    [JsonIgnore]
    public string Text => Summary + (Fix is null ? "" : " " + Fix) + (Rid is null ? "" : $" (rid {Rid})");

    /// <summary>The service that issues the account's credentials.</summary>
    public static ApiService ServiceOf(Account account) => account.Kind switch
    {
        AccountKind.WeCom => ApiService.WeCom,
        AccountKind.Component => ApiService.OpenPlatform,
        _ => ApiService.WeChat,
    };

    /// <summary>The service that answered a call of the account's: a platform's authorizer gets its token from the Open Platform, its tickets from WeChat.</summary>
    public static ApiService ServiceOf(Account account, ApiCall call) =>
        call is ApiCall.ComponentToken or ApiCall.PreAuthCode or ApiCall.QueryAuth or ApiCall.AuthorizerToken or ApiCall.AuthorizerList or ApiCall.StartPushTicket
            ? ApiService.OpenPlatform
            : ServiceOf(account);

    /// <param name="at">When the call failed: resets and retries are counted from it.</param>
    /// <param name="deploymentIp">The deployment's NAT address, when it has one.</param>
    public static ApiErrorAdvice For(ApiService service, Account account, ApiCall call, int? errorCode, string? errorMessage, DateTimeOffset at,
        IPAddress? deploymentIp)
    {
        var rid = ApiErrorText.Rid(errorMessage);
        var seen = ApiErrorText.CallerIp(errorMessage);
        var ipIsDeployment = seen is null || deploymentIp is null ? (bool?)null : seen.Equals(deploymentIp);
        var name = service switch { ApiService.WeCom => "WeCom", ApiService.OpenPlatform => "The Open Platform", _ => "WeChat" };
        // The Open Platform answers at WeChat's host with WeChat's codes (quotas, admin confirmation, permissions); the
        // settings and whitelists it names are its own, so only those arms are WeChat's alone.
        var (summary, fix, retryAfter) = (service, errorCode) switch
        {
            // No errcode: WxShare's own words for what went wrong (no answer, timed out, a held-back call), never the service's.
            (_, null) => (errorMessage is [>= 'A' and <= 'Z', ..] ? errorMessage : $"The {call} call to {name} failed: {errorMessage}.",
                "Nothing to do unless it persists: the refresh retries.", (DateTimeOffset?)null),
            (_, -1) => ($"{name} was busy (errcode -1, system error).", "Nothing to do: the next tick retries.", null),

            (ApiService.WeChat, 40164) => (
                $"WeChat refused the call from {IpOrThis(seen)}: it is not on the official account's IP whitelist.",
                $"Add {IpOrOutbound(seen)} to the IP whitelist of official account {account.AppId} (mp.weixin.qq.com: 设置与开发 → 基本配置 → IP白名单)."
                + NatNote(seen, deploymentIp), null),
            (ApiService.WeCom, 60020) => (
                $"WeCom refused the call from {IpOrThis(seen)}: it is not among the trusted IPs of app {account.AgentId}.",
                $"Add {IpOrOutbound(seen)} to 企业可信IP of app {account.AgentId} (WeCom admin console: 应用管理 → the app → 企业可信IP; a trusted "
                + "domain must be set first, and the change applies in about a minute)." + NatNote(seen, deploymentIp), null),
            (_, 61004) => (
                $"The Open Platform refused the call from {IpOrThis(seen)}: it is not on the third-party platform's IP whitelist.",
                $"Add {IpOrOutbound(seen)} to the platform's whitelist (open.weixin.qq.com: 第三方平台 → 开发资料 → 白名单IP地址)." + NatNote(seen, deploymentIp), null),
            (ApiService.OpenPlatform, 61005 or 61006) => (
                "The Open Platform calls the stored component_verify_ticket expired or unknown.",
                $"Nothing to do while pushes arrive: WeChat pushes one every 10 minutes to /api/platform/{account.Platform}/events, and WxShare has asked "
                + "it to (api_start_push_ticket). If none arrives, check the 授权事件接收URL in the Open Platform console.", null),
            (ApiService.OpenPlatform, 61023) => (
                $"The refresh token of authorizer {account.AppId} is no longer valid, and api_get_authorizer_list has no newer one.",
                $"Ask the account to authorize the platform again (GET /api/platform/{account.Platform}/authorize).", null),
            (ApiService.OpenPlatform, 61003) => (
                $"Account {account.AppId} no longer authorizes the platform.",
                "It is marked unauthorized and no longer served, until it authorizes the platform again.", null),
            (ApiService.OpenPlatform, 61011) => (
                "The Open Platform does not know the component appid.",
                $"Set {account.SettingName("ComponentAppId")} to the platform's AppID (open.weixin.qq.com: 第三方平台 → 开发资料).", null),
            (ApiService.OpenPlatform, 40001 or 40125) when call == ApiCall.ComponentToken => (
                "The Open Platform refuses the component AppSecret.",
                $"Set {account.SettingName("ComponentAppSecret")} to the platform's current AppSecret (第三方平台 → 开发资料).", null),
            (ApiService.OpenPlatform, 61024) => (
                "Something called /cgi-bin/token with the component appid.",
                "A platform's token comes only from api_component_token: stop the other caller.", null),

            (not ApiService.WeCom, 89503) => (
                $"WeChat holds the call from {IpOrThis(seen)} until an administrator of the account confirms it (a call from an IP it considers risky).",
                "An administrator must confirm this IP in the WeChat admin app (公众平台安全助手) when it asks; then refresh now (POST /api/ops/refresh). "
                + "To avoid the question, add the IP to the IP whitelist (设置与开发 → 基本配置 → IP白名单).", null),
            (not ApiService.WeCom, 89506 or 89507) => (
                $"An administrator of the account rejected calls from {IpOrThis(seen)} in the WeChat admin app.",
                $"WeChat accepts a call from this IP again after {(errorCode == 89506 ? "24 hours" : "1 hour")} ({Utc(at + RejectionWait(errorCode))}): "
                + "agree with the administrator first, who must then confirm it in the WeChat admin app (公众平台安全助手), or whitelist the IP.",
                at + RejectionWait(errorCode)),

            (ApiService.WeChat, 40125) or (ApiService.WeChat, 40001) when errorCode == 40125 || call == ApiCall.AccessToken => (
                "WeChat says the AppSecret is wrong.",
                $"Set {account.SettingName("AppSecret")} to the account's current AppSecret (mp.weixin.qq.com: 设置与开发 → 基本配置 → AppSecret; "
                + "resetting it there ends the old one).", null),
            (ApiService.WeChat, 40013) => (
                $"WeChat does not know the AppID {account.AppId}.",
                $"Set {account.SettingName("AppId")} to the official account's AppID (设置与开发 → 基本配置 → 开发者ID).", null),
            (ApiService.WeChat, 40243) => ("The AppSecret is frozen.", "Unfreeze or reset it in the WeChat admin panel (设置与开发 → 基本配置).", null),
            (not ApiService.WeCom, 48001) => (
                $"Official account {account.AppId} lacks the permission for the {call} call (an unverified or subscription account): this is not an expired token, and a new token does not help.",
                "Use a verified service account (微信认证), or check the account's 设置与开发 → 接口权限.", null),
            (not ApiService.WeCom, 45009) => (
                "WeChat's daily quota for this call is used up.",
                $"It resets at midnight Beijing time ({Utc(BeijingCalendar.NextMidnight(at))}). Is another service fetching tokens or tickets for this AppID? "
                + "An operator can also reset the quota early with WeChat's clear_quota (POST /api/ops/clear-quota, 10 a month).", BeijingCalendar.NextMidnight(at)),
            (not ApiService.WeCom, 45011) => (
                "WeChat's per-minute limit for this call is reached.",
                $"It clears at the next minute ({Utc(NextMinute(at))}); the refresh retries by itself. Is another service calling for this AppID?", NextMinute(at)),
            (_, 40014 or 42001) => TokenRefused(name),
            // On the token call 40001 is a wrong secret (above for WeChat, below for WeCom); on any other call, a stale token.
            (_, 40001) when call != ApiCall.AccessToken => TokenRefused(name),

            (ApiService.WeCom, 40001 or 40091) => (
                $"WeCom refuses the Secret of app {account.AgentId} of corp {account.AppId}" + (errorCode == 40091 ? " (it may be another corp's Secret)." : "."),
                $"Set {account.SettingName("AppSecret")} to app {account.AgentId}'s Secret (WeCom admin console: 应用管理 → the app → Secret).", null),
            (ApiService.WeCom, 40013) => (
                $"WeCom does not know the CorpID {account.AppId}.",
                $"Set {account.SettingName("CorpId")} to the corp's CorpID (WeCom admin console: 我的企业 → 企业信息).", null),
            (ApiService.WeCom, 48002) => (
                $"App {account.AgentId} has no permission for the {call} call (not an IP problem).",
                "Grant it in the WeCom admin console (应用管理 → the app → API permissions).", null),
            (ApiService.WeCom, 45009) => (
                "WeCom's call frequency limit is reached (per minute and per hour for each API).",
                "It clears within the hour; the refresh backs off. Is another service fetching tokens or tickets for this corp?", null),

            (_, { } code) => ($"{name} answered errcode {code} to the {call} call.", null, null),
        };
        return new ApiErrorAdvice(service, summary, fix, seen?.ToString(), ipIsDeployment, rid, retryAfter);
    }

    private static (string, string?, DateTimeOffset?) TokenRefused(string name) =>
        ($"{name} refused the access_token (replaced or revoked elsewhere).", "Nothing to do: the refresh fetches a new token and retries once.", null);

    public static DateTimeOffset NextMinute(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - utc.Ticks % TimeSpan.TicksPerMinute, TimeSpan.Zero).AddMinutes(1);
    }

    private static TimeSpan RejectionWait(int? errorCode) => errorCode == 89506 ? TimeSpan.FromHours(24) : TimeSpan.FromHours(1);

    private static string Utc(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static string IpOrThis(IPAddress? seen) => seen is null ? "this server's IP address" : $"IP {seen}";

    private static string IpOrOutbound(IPAddress? seen) => seen?.ToString() ?? "this server's outbound IP address";

    /// <summary>Whether the address the service saw is the deployment's NAT address: if not, the call left another way.</summary>
    private static string NatNote(IPAddress? seen, IPAddress? deploymentIp) => (seen, deploymentIp) switch
    {
        (null, { } nat) => $" This deployment's NAT address is {nat} ({DeploymentIpSetting}).",
        ({ } ip, { } nat) when ip.Equals(nat) => $" {ip} is this deployment's NAT address ({DeploymentIpSetting}): whitelisting it covers every instance.",
        ({ } ip, { } nat) => $" {ip} is not this deployment's NAT address {nat} ({DeploymentIpSetting}): the call did not leave through the NAT gateway "
                             + "(check the app's VNet integration and that all outbound traffic is routed through it), or the setting is out of date.",
        _ => "",
    };
}
