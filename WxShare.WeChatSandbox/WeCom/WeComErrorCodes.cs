namespace WxShare.WeChatSandbox.WeCom;

/// <summary>WeCom's errcodes (doc 90313) and its errmsg texts, which end in a link to its error-code tool.</summary>
internal static class WeComErrorCodes
{
    public const int InvalidSecret = 40001;
    public const int InvalidCorpId = 40013;
    public const int InvalidAccessToken = 40014;
    public const int InvalidParameter = 40058;
    public const int SecretOfAnotherCorp = 40091;
    public const int AccessTokenMissing = 41001;
    public const int CorpIdMissing = 41002;
    public const int SecretMissing = 41004;
    public const int AccessTokenExpired = 42001;
    public const int FrequencyLimit = 45009;
    public const int ApiForbidden = 48002;
    public const int IpNotTrusted = 60020;

    private static readonly Dictionary<int, string> Messages = new()
    {
        [-1] = "system busy",
        [InvalidSecret] = "invalid credential",
        [InvalidCorpId] = "invalid corpid",
        [InvalidAccessToken] = "invalid access_token",
        [InvalidParameter] = "invalid parameter",
        [SecretOfAnotherCorp] = "secret is invalid",
        [AccessTokenMissing] = "access_token missing",
        [CorpIdMissing] = "corpid missing",
        [SecretMissing] = "corpsecret missing",
        [AccessTokenExpired] = "access_token expired",
        [FrequencyLimit] = "api freq out of limit",
        [ApiForbidden] = "api forbidden",
        [IpNotTrusted] = "not allow to access from your ip",
    };

    /// <summary>
    /// The errmsg as WeCom sends it: <c>&lt;msg&gt;, hint: [&lt;unix time&gt;…], from ip: &lt;caller&gt;, more info at …?e=&lt;code&gt;</c>;
    /// the "from ip" is the address to add to 企业可信IP when the code is 60020.
    /// </summary>
    public static string MessageFor(int errcode, DateTimeOffset now, string callerIp)
    {
        var text = Messages.GetValueOrDefault(errcode, "unknown error");
        var hint = $"hint: [{now.ToUnixTimeSeconds()}{Random.Shared.Next(100_000, 999_999)}{Random.Shared.Next(100_000, 999_999)}]";
        return $"{text}, {hint}, from ip: {callerIp}, more info at https://open.work.weixin.qq.com/devtool/query?e={errcode}";
    }
}
