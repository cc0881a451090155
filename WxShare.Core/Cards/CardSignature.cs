using System.Security.Cryptography;
using System.Text;

namespace WxShare.Cards;

/// <summary>
/// WeChat's card signatures (signed with the wx_card api_ticket, never the jsapi_ticket): the values only, sorted as
/// strings in ordinal order, concatenated with no separator, SHA-1, lower-case hex. Empty values add nothing.
/// </summary>
public static class CardSignature
{
    /// <summary>The cardExt signature of wx.addCard: over api_ticket, timestamp, card_id, code, openid, nonce_str.</summary>
    public static string ForCardExt(string apiTicket, long timestamp, string cardId, string? code, string? openId, string nonceStr) =>
        Compute(apiTicket, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), cardId, code ?? "", openId ?? "", nonceStr);

    /// <summary>The cardSign of wx.chooseCard: over api_ticket, appid, location_id, timestamp, nonce_str, card_id, card_type.</summary>
    public static string ForChooseCard(string apiTicket, string appId, string? shopId, long timestamp, string nonceStr, string? cardId, string? cardType) =>
        Compute(apiTicket, appId, shopId ?? "", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), nonceStr, cardId ?? "", cardType ?? "");

    public static string Compute(params string[] values)
    {
        Array.Sort(values, StringComparer.Ordinal);
        return Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(string.Concat(values))));
    }
}
