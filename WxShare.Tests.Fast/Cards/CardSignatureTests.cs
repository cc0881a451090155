using WxShare.Cards;
using WxShare.Functions.Tests.Infrastructure;

namespace WxShare.Functions.Tests.Cards;

public sealed class CardSignatureTests
{
    [Fact]
    public void Reproduces_the_official_cardExt_example()
    {
        // WeChat JS-SDK appendix 4: code=1434008071, timestamp=1404896688, card_id=pjZ8Yt1XGILfi-FUsewpnnolGgZk,
        // api_ticket=ojZ8YtyVyr30HheH3CM73y7h4jJE, nonce_str=123 (no openid).
        Assert.Equal("f137ab68b7f8112d20ee528ab6074564e2796250",
            CardSignature.ForCardExt("ojZ8YtyVyr30HheH3CM73y7h4jJE", 1404896688, "pjZ8Yt1XGILfi-FUsewpnnolGgZk", "1434008071", null, "123"));
        Assert.Equal("f137ab68b7f8112d20ee528ab6074564e2796250",
            CardSignatures.Independent("1434008071", "1404896688", "pjZ8Yt1XGILfi-FUsewpnnolGgZk", "ojZ8YtyVyr30HheH3CM73y7h4jJE", "123"));
    }

    [Fact]
    public void Agrees_with_an_independent_implementation_on_generated_inputs_for_both_signatures()
    {
        var random = new Random(20261201);
        string Token(int length) => new(Enumerable.Range(0, length).Select(_ => "AZaz09-_~!"[random.Next(10)] switch
        {
            'A' => (char)random.Next('A', 'Z' + 1),
            'a' => (char)random.Next('a', 'z' + 1),
            '0' => (char)random.Next('0', '9' + 1),
            var c => c,
        }).ToArray());
        for (var i = 0; i < 300; i++)
        {
            var ticket = Token(86);
            var timestamp = random.NextInt64(1_000_000_000, 2_000_000_000);
            var cardId = Token(28);
            var code = i % 3 == 0 ? null : Token(random.Next(1, 20));
            var openId = i % 2 == 0 ? null : Token(28);
            var nonce = Token(16);
            Assert.Equal(CardSignatures.Independent(ticket, timestamp.ToString(), cardId, code ?? "", openId ?? "", nonce),
                CardSignature.ForCardExt(ticket, timestamp, cardId, code, openId, nonce));

            var appId = "wx" + Token(16);
            var shopId = i % 4 == 0 ? null : random.Next(1, 1_000_000).ToString();
            var cardType = i % 5 == 0 ? null : "GROUPON";
            Assert.Equal(CardSignatures.Independent(ticket, appId, shopId ?? "", timestamp.ToString(), nonce, cardId, cardType ?? ""),
                CardSignature.ForChooseCard(ticket, appId, shopId, timestamp, nonce, cardId, cardType));
        }
    }

    [Fact]
    public void Sorts_values_as_strings_not_as_numbers()
    {
        // As numbers 9 < 10; as strings "10" < "9": WeChat sorts strings.
        Assert.Equal(CardSignatures.Independent("109"), CardSignature.Compute("9", "10"));
        Assert.NotEqual(CardSignatures.Independent("910"), CardSignature.Compute("9", "10"));
    }
}
