using System.Text;
using WxShare.Platform;

namespace WxShare.Functions.Tests.Platform;

/// <summary>WXBizMsgCrypt against the official vectors of the facts sheet, and its strict 32-byte padding and receiver check.</summary>
public sealed class PlatformMessageCryptoTests
{
    // Tencent's sample (also WxJava WxCryptUtilTest).
    private const string SampleKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    private const string SampleAppId = "wxb11529c136998cb6";

    // wechatpy tests/test_crypto.py.
    private const string WechatpyKey = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR";
    private const string WechatpyReceiver = "wx49f0ab532d5d035a";
    private const string WechatpyEncrypt =
        "RgqEoJj5A4EMYlLvWO1F86ioRjZfaex/gePD0gOXTxpsq5Yj4GNglrBb8I2BAJVODGajiFnXBu7mCPatfjsu6IHCrsTyeDXzF6Bv283dGymzxh6ydJRvZsryDyZbLTE7rhnus50qGPMfp2wASFlzEgMW9z1ef/RD8XzaFYgm7iTdaXpXaG4+BiYyolBug/gYNx410cvkKR2/nPwBiT+P4hIiOAQqGp/TywZBtDh1yCF2KOd0gpiMZ5jSw3e29mTvmUHzkVQiMS6td7vXUaWOMZnYZlF3So2SjHnwh4jYFxdgpkHHqIrH/54SNdshoQgWYEvccTKe7FS709/5t6NMxuGhcUGAPOQipvWTT4dShyqio7mlsl5noTrb++x6En749zCpQVhDpbV6GDnTbcX2e8K9QaNWHp91eBdCRxthuL0=";

    [Fact]
    public void Encrypting_Tencents_sample_gives_its_published_ciphertext()
    {
        var crypto = new PlatformMessageCrypto("pamtest", SampleKey, SampleAppId);

        var encrypted = crypto.Encrypt("我是中文abcd123", "aaaabbbbccccdddd"u8);

        Assert.Equal("jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==", encrypted);
        Assert.Null(crypto.TryDecrypt(encrypted, out var message));
        Assert.Equal("我是中文abcd123", message);
    }

    [Fact]
    public void Wechatpys_signature_vector_verifies_and_its_message_decrypts_for_its_receiver()
    {
        var crypto = new PlatformMessageCrypto("123456", WechatpyKey, WechatpyReceiver);

        Assert.Equal("74d92dfeb87ba7c714f89d98870ae5eb62dff26d", crypto.Signature("1411525903", "461056294", WechatpyEncrypt));
        Assert.True(crypto.IsSignatureValid("1411525903", "461056294", WechatpyEncrypt, "74d92dfeb87ba7c714f89d98870ae5eb62dff26d"));
        Assert.False(crypto.IsSignatureValid("1411525903", "461056295", WechatpyEncrypt, "74d92dfeb87ba7c714f89d98870ae5eb62dff26d"));
        Assert.False(crypto.IsSignatureValid("1411525903", "461056294", WechatpyEncrypt, "74d92dfeb87ba7c714f89d98870ae5eb62dff26"));

        Assert.Null(crypto.TryDecrypt(WechatpyEncrypt, out var message));
        Assert.Contains("<Content><![CDATA[test]]></Content>", message);
        Assert.Contains("<FromUserName><![CDATA[messense]]></FromUserName>", message);
    }

    [Fact]
    public void The_receiver_id_is_checked()
    {
        var other = new PlatformMessageCrypto("123456", WechatpyKey, "wx0000000000000000");

        Assert.Equal(PlatformEventRejection.WrongReceiver, other.TryDecrypt(WechatpyEncrypt, out _));
    }

    [Fact]
    public void A_whole_block_of_padding_32_round_trips_where_a_16_byte_unpadder_would_refuse_it()
    {
        var crypto = new PlatformMessageCrypto("pamtest", SampleKey, SampleAppId);
        // 16 random + 4 length + 22 message + 18 receiver = 60 bytes: padded with 4; 64 - 20 - 18 = 26 bytes makes 64: padded with 32.
        var message = new string('x', 26);

        var encrypted = crypto.Encrypt(message);

        Assert.Equal(96, Convert.FromBase64String(encrypted).Length);
        Assert.Null(crypto.TryDecrypt(encrypted, out var decrypted));
        Assert.Equal(message, decrypted);
    }

    public static TheoryData<string, byte[]> BadPaddings => new()
    {
        { "pad byte 0", Padded(0, 0) },
        { "pad byte 33", Padded(33, 33) },
        { "pad bytes differ", Padded(4, 3) },
        // 16 + 4 + 18 = 38 bytes padded with 10 × 10 to 48: what a 16-byte padder makes, never WeChat.
        { "padded to 16 bytes, not 32", Plain(38).Concat(Enumerable.Repeat((byte)10, 10)).ToArray() },
        { "length field past the end", WithLength(Padded(4, 4), 1000) },
    };

    [Theory]
    [MemberData(nameof(BadPaddings))]
    public void Bad_padding_is_refused(string why, byte[] plain)
    {
        var crypto = new PlatformMessageCrypto("pamtest", SampleKey, SampleAppId);

        var outcome = crypto.TryDecrypt(PlatformPushes.RawEncrypt(plain, SampleKey), out _);

        Assert.True(outcome == PlatformEventRejection.BadPadding, $"{why}: {outcome}");
    }

    [Theory]
    [InlineData("not base64 at all!")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA==")] // 16 bytes: not a multiple of 32
    [InlineData("")]
    public void Ciphertext_that_cannot_be_WeChats_is_refused(string encrypt)
    {
        var crypto = new PlatformMessageCrypto("pamtest", SampleKey, SampleAppId);

        Assert.Equal(PlatformEventRejection.BadPadding, crypto.TryDecrypt(encrypt, out _));
    }

    [Theory]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", true)]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456789ABCDEF", false)]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH", false)]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456789ABCDEF!", false)]
    [InlineData(null, false)]
    public void An_EncodingAESKey_is_43_characters_of_base64(string? key, bool valid) =>
        Assert.Equal(valid, PlatformMessageCrypto.IsEncodingAesKey(key));

    /// <summary>64 bytes: a well-formed plaintext head (length 0, receiver = the sample appid) ending in the given padding.</summary>
    private static byte[] Padded(byte value, byte last)
    {
        var plain = Plain(64);
        plain.AsSpan(60).Fill(value);
        plain[^1] = last;
        return plain;
    }

    private static byte[] WithLength(byte[] plain, int length)
    {
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(plain.AsSpan(16), length);
        return plain;
    }

    private static byte[] Plain(int length)
    {
        var plain = new byte[length];
        Encoding.ASCII.GetBytes(SampleAppId).CopyTo(plain, 20);
        return plain;
    }
}
