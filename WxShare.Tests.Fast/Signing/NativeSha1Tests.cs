using System.Runtime.InteropServices;
using System.Security.Cryptography;
using WxShare.Signing;

namespace WxShare.Functions.Tests.Signing;

/// <summary>OpenSSL's SHA1_* functions, called directly, give .NET's SHA-1 for every length around the block boundaries.</summary>
public sealed class NativeSha1Tests
{
    [Fact]
    public void Is_used_where_libcrypto_3_loads()
    {
        // Linux with OpenSSL 3 (this machine, CI, the Functions host): the signer must not silently fall back.
        var expected = OperatingSystem.IsLinux() && NativeLibrary.TryLoad("libcrypto.so.3", out _);
        Assert.Equal(expected, NativeSha1.IsAvailable);
    }

    [Fact]
    public void Agrees_with_dotnet_sha1_for_every_length_up_to_five_blocks()
    {
        if (!NativeSha1.IsAvailable)
            return; // nothing to compare: JsSdkSignature uses .NET's SHA-1 here
        var random = new Random(20261205);
        Span<byte> native = stackalloc byte[20];
        for (var length = 0; length <= 5 * 64 + 1; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            NativeSha1.Hash(data, native);
            Assert.Equal(Convert.ToHexString(SHA1.HashData(data)), Convert.ToHexString(native));
        }
    }

    [Fact]
    public void Refuses_a_digest_buffer_shorter_than_twenty_bytes() =>
        Assert.Throws<ArgumentException>(() => NativeSha1.Hash([1, 2, 3], new byte[19]));
}
