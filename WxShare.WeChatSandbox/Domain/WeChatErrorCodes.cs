namespace WxShare.WeChatSandbox.Domain;

internal static class WeChatErrorCodes
{
    public const int SystemError = -1;
    public const int InvalidCredential = 40001;
    public const int InvalidGrantType = 40002;
    public const int InvalidAppId = 40013;
    public const int InvalidAccessToken = 40014;
    public const int InvalidArgs = 40097;
    public const int InvalidAppSecret = 40125;
    public const int InvalidIp = 40164;
    public const int AppSecretFrozen = 40243;
    public const int AccessTokenMissing = 41001;
    public const int AppIdMissing = 41002;
    public const int AppSecretMissing = 41004;
    public const int AccessTokenExpired = 42001;
    public const int DailyQuotaReached = 45009;
    public const int MinuteQuotaReached = 45011;
    public const int DataFormatError = 47001;
    public const int ApiUnauthorized = 48001;
    public const int IpNeedsAdminConfirmation = 89503;
    public const int IpRefusedTwiceByAdmin = 89506;
    public const int IpRefusedOnceByAdmin = 89507;
}
