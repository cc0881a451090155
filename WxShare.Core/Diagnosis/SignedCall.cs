namespace WxShare.Diagnosis;

/// <summary>Which JS-SDK call a signature was made for: each takes its own ticket on a WeCom page.</summary>
public enum SignedCall
{
    /// <summary>wx.config: an official account's jsapi_ticket, or a WeCom corp's ticket.</summary>
    Config,
    /// <summary>wx.agentConfig (WeCom only): the app's agent ticket.</summary>
    AgentConfig,
}

/// <summary>The names <see cref="SignedCall"/> has in the diagnose route's <c>signatureOf</c> and in reports: the JS-SDK's own.</summary>
public static class SignedCallNames
{
    public const string Config = "config";
    public const string AgentConfig = "agentConfig";

    public static string Of(SignedCall call) => call == SignedCall.AgentConfig ? AgentConfig : Config;

    /// <returns>The call named (case aside), or null for any other text.</returns>
    public static SignedCall? Parse(string value) => value.Trim() switch
    {
        var v when v.Equals(Config, StringComparison.OrdinalIgnoreCase) => SignedCall.Config,
        var v when v.Equals(AgentConfig, StringComparison.OrdinalIgnoreCase) => SignedCall.AgentConfig,
        _ => null,
    };

    /// <summary>The call a wx.error / ww fail message names: WeCom's are <c>agentConfig:…</c> or <c>config:…</c>.</summary>
    public static SignedCall FromErrMsg(string? errMsg) =>
        errMsg?.TrimStart().StartsWith(AgentConfig + ":", StringComparison.OrdinalIgnoreCase) == true ? SignedCall.AgentConfig : SignedCall.Config;
}
