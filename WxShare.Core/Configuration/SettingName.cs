namespace WxShare.Configuration;

/// <summary>Names a setting the way operators type it: as an app setting / environment variable.</summary>
internal static class SettingName
{
    public static string Of(string section, string key) => $"{section}__{key}";
}
