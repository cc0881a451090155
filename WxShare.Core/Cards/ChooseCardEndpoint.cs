using Microsoft.AspNetCore.Http;
using WxShare.Http;
using WxShare.Signing;

namespace WxShare.Cards;

/// <summary>
/// GET /api/jssdk/choose-card?[shopId=…&amp;cardType=…&amp;cardId=…&amp;appId=…]: the fields of wx.chooseCard, cardSign signed
/// with the account's wx_card api_ticket. Hosted by both hosts. Never calls WeChat.
/// </summary>
public sealed class ChooseCardEndpoint(CardTickets cards, TimeProvider time)
{
    private const string SignType = "SHA1";

    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var query = new CardQuery(request.Query);
        var shopId = query.Optional("shopId", CardParameterShapes.ShopId(), "a store's location_id (digits)");
        var cardType = query.Optional("cardType", CardParameterShapes.CardType(), "a card type such as GROUPON or DISCOUNT");
        var cardId = query.Optional("cardId", CardParameterShapes.CardId(), "a card_id (letters, digits, '-' and '_')");
        if (query.Finish() is { } rejection)
            return ApiErrors.Refused(request.HttpContext.Response, rejection);

        var (account, ticket, refusal) = await cards.FindAsync(request, cancellationToken);
        if (refusal is not null)
            return ApiErrors.Refused(request.HttpContext.Response, refusal);

        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        var nonce = JsSdkSignature.NewNonce();
        var cardSign = CardSignature.ForChooseCard(ticket!.Value, account!.AppId, shopId, timestamp, nonce, cardId, cardType);
        return TypedResults.Json(
            new ChooseCardResponse(account.AppId, shopId ?? "", cardType ?? "", cardId ?? "", timestamp, nonce, SignType, cardSign),
            CardJson.Relaxed.ChooseCardResponse);
    }
}
