using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace WxShare.Platform;

/// <summary>
/// WeChat's message encryption (WXBizMsgCrypt), as the Open Platform uses it for its pushes: msg_signature is the
/// SHA-1 of the sorted token, timestamp, nonce and Encrypt; Encrypt is AES-256-CBC (key = base64(EncodingAESKey + "="),
/// IV = its first 16 bytes) over 16 random bytes ‖ 4-byte big-endian length ‖ message ‖ receiver id, padded by
/// PKCS#7 to a multiple of 32 bytes (not AES's 16: a library unpadder would refuse pad values 17–32).
/// </summary>
public sealed class PlatformMessageCrypto
{
    public const int EncodingAesKeyLength = 43;
    private const int PaddingBlock = 32;
    private const int RandomLength = 16;
    private const int LengthFieldLength = 4;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly string _token;
    private readonly byte[] _key;
    private readonly string _receiverId;

    /// <param name="receiverId">Whom the messages are for: the platform's component appid.</param>
    public PlatformMessageCrypto(string token, string encodingAesKey, string receiverId)
    {
        _token = token;
        _key = TryKey(encodingAesKey) ?? throw new ArgumentException("The EncodingAESKey is not 43 characters of base64.", nameof(encodingAesKey));
        _receiverId = receiverId;
    }

    public static bool IsEncodingAesKey(string? value) => TryKey(value) is not null;

    private static byte[]? TryKey(string? encodingAesKey)
    {
        if (encodingAesKey is not { Length: EncodingAesKeyLength })
            return null;
        var key = new byte[32];
        return Convert.TryFromBase64String(encodingAesKey + "=", key, out var written) && written == key.Length ? key : null;
    }

    /// <summary>msg_signature: lower-case hex SHA-1 of the four strings sorted ordinally and joined with nothing between.</summary>
    public string Signature(string timestamp, string nonce, string encrypt)
    {
        string[] parts = [_token, timestamp, nonce, encrypt];
        Array.Sort(parts, StringComparer.Ordinal);
        return Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(string.Concat(parts))));
    }

    /// <summary>Whether <paramref name="signature"/> is the msg_signature of these values, compared in constant time.</summary>
    public bool IsSignatureValid(string timestamp, string nonce, string encrypt, string signature) =>
        CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Signature(timestamp, nonce, encrypt)), Encoding.ASCII.GetBytes(signature.ToLowerInvariant()));

    /// <summary>Decrypts an Encrypt value and checks its receiver id; run only after the signature matched.</summary>
    /// <returns>Null on success with the message; else why it failed (<see cref="PlatformEventRejection.BadPadding"/>,
    /// <see cref="PlatformEventRejection.WrongReceiver"/>, or <see cref="PlatformEventRejection.MalformedXml"/> for a message that is not UTF-8).</returns>
    public PlatformEventRejection? TryDecrypt(string encrypt, out string message)
    {
        message = "";
        var cipher = new byte[encrypt.Length];
        if (!Convert.TryFromBase64String(encrypt, cipher, out var cipherLength) || cipherLength == 0 || cipherLength % PaddingBlock != 0)
            return PlatformEventRejection.BadPadding;

        using var aes = Aes.Create();
        aes.Key = _key;
        var padded = aes.DecryptCbc(cipher.AsSpan(0, cipherLength), _key.AsSpan(0, 16), PaddingMode.None);
        if (Unpad(padded) is not { } plainLength || plainLength < RandomLength + LengthFieldLength)
            return PlatformEventRejection.BadPadding;

        var plain = padded.AsSpan(0, plainLength);
        var messageLength = BinaryPrimitives.ReadUInt32BigEndian(plain[RandomLength..]);
        if (messageLength > (uint)(plainLength - RandomLength - LengthFieldLength))
            return PlatformEventRejection.BadPadding;
        var messageBytes = plain.Slice(RandomLength + LengthFieldLength, (int)messageLength);
        var receiver = plain[(RandomLength + LengthFieldLength + (int)messageLength)..];
        if (!receiver.SequenceEqual(Encoding.UTF8.GetBytes(_receiverId)))
            return PlatformEventRejection.WrongReceiver;
        try
        {
            message = StrictUtf8.GetString(messageBytes);
        }
        catch (DecoderFallbackException)
        {
            return PlatformEventRejection.MalformedXml;
        }
        return null;
    }

    /// <summary>The length without WeChat's padding: 1 to 32 bytes, all equal to their count; null when it is not that.</summary>
    private static int? Unpad(ReadOnlySpan<byte> padded)
    {
        var pad = padded[^1];
        if (pad is < 1 or > PaddingBlock || pad > padded.Length)
            return null;
        foreach (var b in padded[^pad..])
            if (b != pad)
                return null;
        return padded.Length - pad;
    }

    /// <summary>Encrypts a message as WeChat does, with 16 fresh random bytes.</summary>
    public string Encrypt(string message) => Encrypt(message, RandomNumberGenerator.GetBytes(RandomLength));

    /// <summary>Encrypts with the given 16 random bytes: the official vector fixes them.</summary>
    public string Encrypt(string message, ReadOnlySpan<byte> random)
    {
        if (random.Length != RandomLength)
            throw new ArgumentException($"The random prefix is {RandomLength} bytes.", nameof(random));
        var messageBytes = Encoding.UTF8.GetBytes(message);
        var receiver = Encoding.UTF8.GetBytes(_receiverId);
        var plainLength = RandomLength + LengthFieldLength + messageBytes.Length + receiver.Length;
        var pad = PaddingBlock - plainLength % PaddingBlock; // 1..32: a whole block when already aligned
        var plain = new byte[plainLength + pad];
        random.CopyTo(plain);
        BinaryPrimitives.WriteUInt32BigEndian(plain.AsSpan(RandomLength), (uint)messageBytes.Length);
        messageBytes.CopyTo(plain, RandomLength + LengthFieldLength);
        receiver.CopyTo(plain, RandomLength + LengthFieldLength + messageBytes.Length);
        plain.AsSpan(plainLength).Fill((byte)pad);

        using var aes = Aes.Create();
        aes.Key = _key;
        return Convert.ToBase64String(aes.EncryptCbc(plain, _key.AsSpan(0, 16), PaddingMode.None));
    }

    // The token and key are secrets.
    public override string ToString() => $"PlatformMessageCrypto {{ ReceiverId = {_receiverId} }}";
}
