using BenchmarkDotNet.Attributes;
using WxShare.Signing;

namespace WxShare.Benchmarks;

/// <summary>The signer alone, for page URLs of typical (50, 200), long (500) and maximal (4,000) length.</summary>
[MemoryDiagnoser]
public class SignatureBenchmarks
{
    private const string Ticket = "HoagFKDcsGMVCIY2vOjf9nGrzZ7ibdGdFh6RDsRcNL0kbdxTmIdcYaprfOL_n28OEtvHYZHNVfVKH94iAbfHlA";
    private string _url = "";

    [Params(50, 200, 500, 4000)]
    public int UrlLength { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        const string start = "https://m.example.com/share/2026?id=";
        _url = start + new string('x', UrlLength - start.Length);
    }

    [Benchmark]
    public string Sign() => JsSdkSignature.Compute(Ticket, "Wm3WZYTPz0wzccnW", 1414587457, _url);

    [Benchmark]
    public string Nonce() => JsSdkSignature.NewNonce();
}
