using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;

namespace WxShare.Benchmarks;

/// <summary>
/// SHA-1 of a typical string to sign four ways: the one-shot SHA1.HashData (a new OpenSSL context per call), a reused
/// IncrementalHash (what JsSdkSignature kept per thread until 2026-12-05), a reused SHA1 instance, and OpenSSL's
/// SHA1_Init/Update/Final called directly (NativeSha1, what JsSdkSignature uses where libcrypto 3 loads).
/// </summary>
[MemoryDiagnoser]
public class Sha1Benchmarks
{
    private readonly byte[] _text = Encoding.UTF8.GetBytes(
        "jsapi_ticket=HoagFKDcsGMVCIY2vOjf9nGrzZ7ibdGdFh6RDsRcNL0kbdxTmIdcYaprfOL_n28OEtvHYZHNVfVKH94iAbfHlA"
        + "&noncestr=Wm3WZYTPz0wzccnW&timestamp=1414587457&url=https://m.example.com/share/2026?id=1&from=timeline");
    private readonly IncrementalHash _incremental = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
    private readonly SHA1 _instance = SHA1.Create();

    [Benchmark(Baseline = true)]
    public int OneShot()
    {
        Span<byte> digest = stackalloc byte[SHA1.HashSizeInBytes];
        return SHA1.HashData(_text, digest);
    }

    [Benchmark]
    public int ReusedIncrementalHash()
    {
        Span<byte> digest = stackalloc byte[SHA1.HashSizeInBytes];
        _incremental.AppendData(_text);
        return _incremental.GetHashAndReset(digest);
    }

    [Benchmark]
    public int Native()
    {
        Span<byte> digest = stackalloc byte[SHA1.HashSizeInBytes];
        WxShare.Signing.NativeSha1.Hash(_text, digest);
        return digest[0];
    }

    [Benchmark]
    public int ReusedInstance()
    {
        Span<byte> digest = stackalloc byte[SHA1.HashSizeInBytes];
        _instance.TryComputeHash(_text, digest, out var written);
        return written;
    }
}
