namespace WxShare.WeChatSandbox.Domain;

internal sealed record QuotaReported(int DailyLimit, int Used, int Remain, int? RateLimitCallCount, int? RateLimitSeconds) : WeChatOutcome;

internal sealed record Cleared : WeChatOutcome;

/// <summary>WeChat's own diagnostics (openapi/quota/get, rid/get's account check, clear_quota/v2), on the same accounts and quotas.</summary>
internal sealed partial class WeChatBackend
{
    /// <summary>WeChat allows 10 clear_quota calls a month per account; the 11th is 48006.</summary>
    public const int ClearQuotaPerMonth = 10;

    private readonly Dictionary<string, (string Month, int Count)> _clearsByAppId = new(StringComparer.Ordinal);

    /// <summary>The account whose valid token this is, or WeChat's error for the token (as getticket checks it).</summary>
    public WeChatOutcome? AccountOfToken(string? accessToken, out string? appId)
    {
        lock (_gate)
        {
            appId = null;
            if (string.IsNullOrEmpty(accessToken))
                return new WeChatError(WeChatErrorCodes.AccessTokenMissing);
            if (!_accessTokens.TryGetValue(accessToken, out var token))
                return new WeChatError(WeChatErrorCodes.InvalidCredential);
            switch (token.StatusAt(Now))
            {
                case CredentialStatus.Revoked:
                    return new WeChatError(WeChatErrorCodes.InvalidCredential);
                case CredentialStatus.Expired:
                    return new WeChatError(WeChatErrorCodes.AccessTokenExpired);
            }
            appId = token.AppId;
            return null;
        }
    }

    /// <summary>
    /// <c>POST /cgi-bin/openapi/quota/get</c>: today's count of one official-account API path. A path the sandbox does
    /// not serve (and every /sns/ path) is 76021; a mini-program path (/wxa/) is 76022, not this token's kind of account.
    /// </summary>
    public WeChatOutcome QuotaOf(string appId, string? cgiPath)
    {
        lock (_gate)
        {
            var account = _accounts[appId];
            if (cgiPath is not null && cgiPath.StartsWith("/wxa/", StringComparison.Ordinal))
                return new WeChatError(OpenApiErrorCodes.TokenNotOfApiAccount);
            var (quota, rate) = cgiPath switch
            {
                "/cgi-bin/token" => (account.TokenQuota, ((int, int)?)null),
                "/cgi-bin/stable_token" => (account.StableTokenQuota, (10_000, 60)),
                "/cgi-bin/ticket/getticket" => (account.TicketQuota, null),
                _ => (null, null),
            };
            if (quota is null)
                return new WeChatError(OpenApiErrorCodes.CgiPathUnknown);
            var used = quota.UsedOn(Now);
            return new QuotaReported(quota.Limit, used, Math.Max(0, quota.Limit - used), rate?.Item1, rate?.Item2);
        }
    }

    /// <summary><c>POST /cgi-bin/clear_quota/v2</c>: resets the account's daily counters, 10 times a Beijing month.</summary>
    public WeChatOutcome ClearQuota(string? appId, string? appSecret)
    {
        lock (_gate)
        {
            if (string.IsNullOrEmpty(appId))
                return new WeChatError(WeChatErrorCodes.AppIdMissing);
            if (!_accounts.TryGetValue(appId, out var account))
                return new WeChatError(WeChatErrorCodes.InvalidAppId);
            if (string.IsNullOrEmpty(appSecret))
                return new WeChatError(WeChatErrorCodes.AppSecretMissing);
            if (appSecret != account.AppSecret)
                return new WeChatError(WeChatErrorCodes.InvalidAppSecret);

            var now = Now;
            var month = now.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
            var clears = _clearsByAppId.TryGetValue(appId, out var c) && c.Month == month ? c.Count : 0;
            if (clears >= ClearQuotaPerMonth)
                return new WeChatError(OpenApiErrorCodes.ClearQuotaLimitReached);
            _clearsByAppId[appId] = (month, clears + 1);
            foreach (var quota in new[] { account.TokenQuota, account.StableTokenQuota, account.TicketQuota, account.ForceRefreshQuota })
                quota.Clear();
            return new Cleared();
        }
    }
}

/// <summary>The errcodes of WeChat's diagnostic APIs, with their errmsg texts (48006's is confirmed; the 7600x texts are approximations).</summary>
internal static class OpenApiErrorCodes
{
    public const int RidNotFound = 76001;
    public const int RidMalformed = 76002;
    public const int RidOfAnotherAccount = 76003;
    public const int CgiPathUnknown = 76021;
    public const int TokenNotOfApiAccount = 76022;
    public const int ClearQuotaLimitReached = 48006;

    public static string Message(int errcode) => errcode switch
    {
        RidNotFound => "rid not found",
        RidMalformed => "rid is error",
        RidOfAnotherAccount => "rid not belong to this appid",
        CgiPathUnknown => "cgi_path not found, please check",
        TokenNotOfApiAccount => "token does not match the account of this cgi_path",
        ClearQuotaLimitReached => "forbid to clear quota because of reaching the limit",
        _ => WeChatErrorMessages.For(errcode),
    };
}
