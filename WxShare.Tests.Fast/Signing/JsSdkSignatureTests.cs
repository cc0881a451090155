using WxShare.Functions.Tests.Infrastructure;
using WxShare.Signing;

namespace WxShare.Functions.Tests.Signing;

public sealed class JsSdkSignatureTests
{
    private const string OfficialTicket = "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg";

    [Theory]
    [InlineData("http://mp.weixin.qq.com?params=value", "0f9de62fce790f9a083d5c99e95740ceb90c27ed")]
    [InlineData("http://mp.weixin.qq.com", "f4d90daf4b3bca3078ab155816175ba34c443a7b")]
    public void Matches_the_official_vector(string url, string expected) =>
        Assert.Equal(expected, JsSdkSignature.Compute(OfficialTicket, "Wm3WZYTPz0wzccnW", 1414587457, url));

    [Fact]
    public void Matches_the_documented_algorithm_on_generated_urls()
    {
        var random = new Random(20261201);
        var urls = GeneratedUrls(random).Take(400).ToList();
        Assert.Equal(400, urls.Distinct().Count());
        foreach (var url in urls)
        {
            var ticket = RandomToken(random, 86);
            var nonce = RandomToken(random, 16);
            var timestamp = 1_700_000_000L + random.Next(100_000_000);
            Assert.Equal(DocumentedSignature.Compute(ticket, nonce, timestamp, url), JsSdkSignature.Compute(ticket, nonce, timestamp, url));
        }
    }

    [Fact]
    public void Nonces_are_16_alphanumeric_characters_and_differ()
    {
        var nonces = Enumerable.Range(0, 200).Select(_ => JsSdkSignature.NewNonce()).ToList();
        Assert.All(nonces, n => Assert.Matches("^[A-Za-z0-9]{16}$", n));
        Assert.Equal(nonces.Count, nonces.Distinct().Count());
    }

    [Fact]
    public void Every_alphabet_character_is_equally_likely_in_nonces()
    {
        var counts = new Dictionary<char, int>();
        for (var i = 0; i < 20_000; i++)
            foreach (var c in JsSdkSignature.NewNonce())
                counts[c] = counts.GetValueOrDefault(c) + 1;

        Assert.Equal(62, counts.Count);
        var expected = 20_000 * 16 / 62.0; // about 5,161; one standard deviation is about 72
        Assert.All(counts, c => Assert.InRange(c.Value, expected * 0.9, expected * 1.1));
    }

    [Fact]
    public void A_threads_first_nonces_are_random_too()
    {
        var firsts = new string[8];
        var threads = Enumerable.Range(0, firsts.Length).Select(i => new Thread(() => firsts[i] = JsSdkSignature.NewNonce())).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Equal(firsts.Length, firsts.Distinct().Count());
    }

    private static IEnumerable<string> GeneratedUrls(Random random)
    {
        string[] hosts = ["example.com", "m.example.com", "www.example.com:8080", "example.com:443", "活动.example.com"];
        string[] paths = ["", "/", "/share", "/活动/页面", "/a%20b/c", "/p/index.html", "/路径/%E4%B8%AD"];
        string[] queries = ["", "?a=1", "?a=1&b=2", "?q=中文&x=%E4%B8%AD%E6%96%87", "?redirect=https%3A%2F%2Fexample.com%2F%3Fa%3D1", "?empty=&flag", "?a=1&a=2&plus=1+2"];
        while (true)
        {
            var scheme = random.Next(2) == 0 ? "http" : "https";
            var query = queries[random.Next(queries.Length)];
            // A unique parameter keeps the 400 URLs distinct.
            query += (query.Length == 0 ? "?" : "&") + "n=" + random.Next(1_000_000);
            yield return $"{scheme}://{hosts[random.Next(hosts.Length)]}{paths[random.Next(paths.Length)]}{query}";
        }
    }

    private static string RandomToken(Random random, int length)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        return new string(Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
    }
}
