using Azure.Core.Pipeline;
using Azure.Data.Tables;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WxShare.Accounts;
using WxShare.Http;
using WxShare.Signing;
using WxShare.Storage;

namespace WxShare.Benchmarks;

/// <summary>
/// The whole signing handler in-process with a warm ticket cache: query parsing, URL validation, CORS, the cache,
/// the signature and the JSON written to the response, as the hosts run it. Kestrel reuses its HttpContext objects,
/// so one context is reused here too; two query strings alternate so that the query is parsed on every call.
/// </summary>
[MemoryDiagnoser]
public class HandlerBenchmarks
{
    private const string AppId = "wx5a4d5b0c1e2f3a4b";
    private ServiceProvider _services = null!;
    private JsSdkConfigEndpoint _endpoint = null!;
    private DefaultHttpContext _context = null!;
    private MemoryStream _body = null!;
    private readonly QueryString[] _queries =
    [
        new("?url=" + Uri.EscapeDataString("https://m.example.com/share/2026?id=1&from=timeline")),
        new("?url=" + Uri.EscapeDataString("https://m.example.com/share/2026?id=2&from=timeline")),
    ];
    private int _call;
    private const string Ticket = "HoagFKDcsGMVCIY2vOjf9nGrzZ7ibdGdFh6RDsRcNL0kbdxTmIdcYaprfOL_n28OEtvHYZHNVfVKH94iAbfHlA";
    private PageUrlValidator _validator = null!;
    private AccountSelector _accounts = null!;
    private SigningTicketCache _tickets = null!;
    private PageUrlCheck _check = null!;
    private JsSdkConfig _config = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WeChat:AppId"] = AppId,
            ["WeChat:AppSecret"] = "benchmark0secret0not0real00000000",
            ["Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            ["Signing:AllowedDomains"] = "example.com",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddWxShare(configuration);
        // Storage answers the cache's one read with a stored ticket; after that the cache is warm, as under load.
        var table = new TableClient("UseDevelopmentStorage=true", "WxShareCredentials",
            new TableClientOptions { Transport = new HttpClientTransport(new HttpClient(new StoredTicketHandler(AppId))) });
        services.AddSingleton(table);
        services.AddKeyedSingleton(CredentialTableFactory.ColdReads, (sp, _) => new CredentialStore(table, sp.GetRequiredService<StorageReadCounter>()));
        _services = services.BuildServiceProvider();
        _endpoint = _services.GetRequiredService<JsSdkConfigEndpoint>();

        _body = new MemoryStream();
        _context = new DefaultHttpContext { RequestServices = _services };
        _context.Request.Method = "GET";
        _context.Request.Scheme = "https";
        _context.Request.Host = new HostString("wxshare.example.net");
        _context.Request.Path = "/api/jssdk/config";
        _context.Response.Body = _body;
        if (await HandleAsync() != 200)
            throw new InvalidOperationException("The warm-up request was not signed.");
        _validator = _services.GetRequiredService<PageUrlValidator>();
        _accounts = _services.GetRequiredService<AccountSelector>();
        _tickets = _services.GetRequiredService<SigningTicketCache>();
        _check = _validator.Check(_context.Request.Query);
        _config = new JsSdkConfig(AppId, 1_700_000_000, JsSdkSignature.NewNonce(), new string('0', 40), _check.Url!);
    }

    [Benchmark]
    public Task<int> Handle() => HandleAsync();

    // The handler's steps one by one (the profile in docs/performance.md): each on the same warm state as Handle.

    /// <summary>Query parsing (a new query string each call, as per request) and the URL check.</summary>
    [Benchmark]
    public PageUrlCheck ParseAndCheckUrl()
    {
        _context.Request.QueryString = _queries[_call++ & 1];
        return _validator.Check(ConfigQuery.Of(_context.Request));
    }

    [Benchmark]
    public ConfigQuery ParseQuery()
    {
        _context.Request.QueryString = _queries[_call++ & 1];
        return ConfigQuery.Of(_context.Request);
    }

    [Benchmark]
    public string Nonce() => JsSdkSignature.NewNonce();

    [Benchmark]
    public string Signature() => JsSdkSignature.Compute(Ticket, "MltHrchtOzpkBOec", 1_700_000_000, _check.Url!);

    [Benchmark]
    public async Task<IResult> HandleWithoutWriting()
    {
        _context.Request.QueryString = _queries[_call++ & 1];
        return await _endpoint.HandleAsync(_context.Request);
    }

    [Benchmark]
    public AccountSelection SelectAccount() => _accounts.Select(_context.Request.Query, AccountUse.Page(_check.Host!.Value));

    [Benchmark]
    public ValueTask<TicketLookup> LookUpTicket() => _tickets.GetAsync(AppId, CancellationToken.None);

    [Benchmark]
    public string NonceAndSignature() => JsSdkSignature.Compute(Ticket, JsSdkSignature.NewNonce(), 1_700_000_000, _check.Url!);

    [Benchmark]
    public async Task<long> WriteJson()
    {
        _body.Position = 0;
        await new SignedConfigResult<JsSdkConfig>(_config, WxShareJsonContext.Default.JsSdkConfig).ExecuteAsync(_context);
        return _body.Position;
    }

    private async Task<int> HandleAsync()
    {
        _context.Request.QueryString = _queries[_call++ & 1];
        _context.Response.Headers.Clear();
        _context.Response.StatusCode = 200;
        _body.Position = 0;
        var result = await _endpoint.HandleAsync(_context.Request);
        await result.ExecuteAsync(_context);
        return _context.Response.StatusCode;
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    /// <summary>Table Storage's answer to reading the credential row, with a ticket valid for two more hours.</summary>
    private sealed class StoredTicketHandler(string appId) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var now = DateTimeOffset.UtcNow;
            var body = $$"""
                {"odata.etag":"W/\"datetime'{{Uri.EscapeDataString(now.ToString("O"))}}'\"","PartitionKey":"{{appId}}","RowKey":"jssdk",
                 "JsapiTicket":"{{Ticket}}",
                 "JsapiTicketFetchedAt@odata.type":"Edm.DateTime","JsapiTicketFetchedAt":"{{now:O}}",
                 "JsapiTicketExpiresAt@odata.type":"Edm.DateTime","JsapiTicketExpiresAt":"{{now.AddHours(2):O}}"}
                """;
            var response = new HttpResponseMessage(System.Net.HttpStatusCode.OK)
            {
                Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
            };
            response.Headers.ETag = new System.Net.Http.Headers.EntityTagHeaderValue($"\"{now.Ticks}\"", isWeak: true);
            return Task.FromResult(response);
        }
    }
}
