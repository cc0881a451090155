using Microsoft.AspNetCore.Http;
using WxShare.Signing;

namespace WxShare.Cards;

/// <summary>
/// GET /api/jssdk/choose-card?[shopId=…&amp;cardType=…&amp;cardId=…&amp;appId=…]: the fields of wx.chooseCard, cardSign signed
/// with the account's wx_card api_ticket. Hosted by both hosts. Never calls WeChat.
/// </summary>
public sealed class ChooseCardEndpoint(CardTicketRoute route, TimeProvider time)
{
    public const string Route = "jssdk/choose-card";
    private const string SignType = "SHA1";

    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (route.Begin(request) is { } answered)
            return answered;

        var query = new CardQuery(request.Query);
        var shopId = query.Optional("shopId", CardParameterShapes.ShopId(), "a store's location_id (digits)");
        var cardType = query.Optional("cardType", CardParameterShapes.CardType(), "a card type such as GROUPON or DISCOUNT");
        var cardId = query.Optional("cardId", CardParameterShapes.CardId(), "a card_id (letters, digits, '-' and '_')");
        if (query.Finish() is { } rejection)
            return CardTicketRoute.Error(rejection);

        var (account, ticket, error) = await route.TicketAsync(request, cancellationToken);
        if (error is not null)
            return error;

        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        var nonce = JsSdkSignature.NewNonce();
        var cardSign = CardSignature.ForChooseCard(ticket!.Value, account!.AppId, shopId, timestamp, nonce, cardId, cardType);
        return TypedResults.Json(
            new ChooseCardResponse(account.AppId, shopId ?? "", cardType ?? "", cardId ?? "", timestamp, nonce, SignType, cardSign),
            CardJson.Relaxed.ChooseCardResponse);
    }
}
