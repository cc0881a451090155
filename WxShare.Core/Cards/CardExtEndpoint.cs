using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using WxShare.Http;
using WxShare.Signing;

namespace WxShare.Cards;

/// <summary>
/// GET /api/jssdk/card-ext?cardId=…[&amp;code=…&amp;openId=…&amp;fixedBeginTimestamp=…&amp;outerStr=…&amp;appId=…]: the cardExt
/// string that wx.addCard takes, signed with the account's wx_card api_ticket. Hosted by both hosts. Never calls WeChat.
/// WeChat reads that signature as the merchant server's approval of which code goes to which user, so a stranger gets
/// one only for a card on the account's PublicCardIds, and never with a code or openId; anything else needs a key with
/// route cards (the edge checks a key that is sent; <see cref="ApiRoutes.CardExt"/>).
/// </summary>
public sealed class CardExtEndpoint(CardTickets cards, TimeProvider time)
{

    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var query = new CardQuery(request.Query);
        var cardId = query.Required("cardId", CardParameterShapes.CardId(), "a card_id (letters, digits, '-' and '_')");
        var code = query.Optional("code", CardParameterShapes.Code(), "a card code (visible ASCII, at most 128 characters)");
        var openId = query.Optional("openId", CardParameterShapes.OpenId(), "an openid (letters, digits, '-' and '_')");
        var fixedBegin = query.Optional("fixedBeginTimestamp", CardParameterShapes.UnixSeconds(), "a Unix time in seconds");
        var outerStr = query.Optional("outerStr", CardParameterShapes.OuterStr(), "a channel string of at most 128 characters");
        if (query.Finish() is { } rejection)
            return ApiErrors.Refused(request.HttpContext.Response, rejection);

        var anonymous = OperatorCaller.KeyOf(request.HttpContext) is null;
        if (anonymous && (code is not null || openId is not null))
            return ApiErrors.Refused(request.HttpContext.Response, Refusal.Invalid("card_code_needs_key",
                "Signing a card for a given code or openId approves that code for that user, so it needs a key with route cards, "
                + "sent by your server as 'Authorization: Bearer <secret>'; a page may only ask for a public card without code and openId."));

        var (_, ticket, refusal) = await cards.FindAsync(request, cancellationToken, account =>
            anonymous && !account.PublicCardIds.Contains(cardId!)
                ? Refusal.Unauthenticated("key_missing",
                    $"Card '{cardId}' is not one of this account's public cards (its PublicCardIds setting): sign it from your server "
                    + "with a key that has route cards, sent as 'Authorization: Bearer <secret>', or have an operator list the card there.")
                : null);
        if (refusal is not null)
            return ApiErrors.Refused(request.HttpContext.Response, refusal);

        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        var nonce = JsSdkSignature.NewNonce();
        var signature = CardSignature.ForCardExt(ticket!.Value, timestamp, cardId!, code, openId, nonce);
        return TypedResults.Json(new CardExtResponse(cardId!, CardExt(code, openId, timestamp, nonce, fixedBegin, outerStr, signature)),
            CardJson.Relaxed.CardExtResponse);
    }

    /// <summary>The card_ext object in WeChat's field names; optional fields only when given. Timestamp is a string, as WeChat's examples show.</summary>
    private static string CardExt(string? code, string? openId, long timestamp, string nonce, string? fixedBegin, string? outerStr, string signature)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (code is not null)
                json.WriteString("code", code);
            if (openId is not null)
                json.WriteString("openid", openId);
            json.WriteString("timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("nonce_str", nonce);
            if (fixedBegin is not null)
                json.WriteNumber("fixed_begintimestamp", long.Parse(fixedBegin, System.Globalization.CultureInfo.InvariantCulture));
            if (outerStr is not null)
                json.WriteString("outer_str", outerStr);
            json.WriteString("signature", signature);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
