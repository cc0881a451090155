using System.Text.Json.Serialization;
using WxShare.Signing;

namespace WxShare.Cards;

/// <summary>What GET /api/jssdk/card-ext returns: <see cref="CardExt"/> is the JSON string wx.addCard takes as cardExt.</summary>
public sealed record CardExtResponse(
    [property: JsonPropertyName("cardId")] string CardId,
    [property: JsonPropertyName("cardExt")] string CardExt);

/// <summary>What GET /api/jssdk/choose-card returns: the fields of wx.chooseCard, with the inputs echoed ("" when not given).</summary>
public sealed record ChooseCardResponse(
    [property: JsonPropertyName("appId")] string AppId,
    [property: JsonPropertyName("shopId")] string ShopId,
    [property: JsonPropertyName("cardType")] string CardType,
    [property: JsonPropertyName("cardId")] string CardId,
    [property: JsonPropertyName("timestamp")] long Timestamp,
    [property: JsonPropertyName("nonceStr")] string NonceStr,
    [property: JsonPropertyName("signType")] string SignType,
    [property: JsonPropertyName("cardSign")] string CardSign);

[JsonSerializable(typeof(CardExtResponse))]
[JsonSerializable(typeof(ChooseCardResponse))]
internal sealed partial class CardJson : JsonSerializerContext
{
    /// <summary>With the one encoder setting of every answer (<see cref="Http.WxShareJson"/>).</summary>
    public static CardJson Relaxed { get; } = new(Http.WxShareJson.Options());
}
