using WxShare.WeChat;

namespace WxShare.Diagnosis;

/// <summary>The account's stored jsapi_ticket and the one it replaced. Secrets: used to compute signatures, never shown.</summary>
public sealed record JsapiTickets(IssuedCredential? Current, IssuedCredential? Previous)
{
    /// <summary>The store could not be read, so no signature can be checked.</summary>
    public static readonly JsapiTickets Unknown = new(null, null) { Known = false };

    public bool Known { get; init; } = true;
}
