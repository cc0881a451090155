using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using WxShare.WeChatSandbox;

namespace WxShare.Functions.Tests.Sandbox;

/// <summary>The sandbox is at least as strict as api.weixin.qq.com (../shared/wechat-wire-facts.md), each rule over real HTTP.</summary>
public sealed partial class StrictWireTests
{
    private static readonly string StableTokenJson =
        $$"""{"grant_type":"client_credential","appid":"{{SandboxDefaults.AppId}}","secret":"{{SandboxDefaults.AppSecret}}","force_refresh":false}""";

    [GeneratedRegex(@"^(?<text>.+) rid: (?<rid>[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8})$")]
    private static partial Regex WithRid();

    // The pattern the facts give for reading the address out of a 40164.
    [GeneratedRegex(@"invalid ip (\S+) ipv6 (\S+), not in whitelist")]
    private static partial Regex InvalidIp();

    [Fact]
    public async Task A_chunked_post_is_answered_412_with_html_before_the_endpoint_sees_it()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var body = Encoding.UTF8.GetBytes(StableTokenJson);

        var answer = await RawExchangeAsync(sandbox.Server.BaseAddress,
            "POST /cgi-bin/stable_token HTTP/1.1\r\nHost: api.weixin.qq.com\r\nContent-Type: application/json\r\n"
            + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            + $"{body.Length:x}\r\n{StableTokenJson}\r\n0\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 412 Precondition Failed\r\n", answer);
        Assert.Matches(new Regex(@"\r\nContent-Type: text/html\r\n", RegexOptions.IgnoreCase), answer);
        Assert.Contains("<title>412 Precondition Failed</title>", answer);
        Assert.Equal(0, sandbox.State.Calls.StableToken);
    }

    [Fact]
    public async Task The_same_post_with_a_content_length_is_served()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var answer = await RawExchangeAsync(sandbox.Server.BaseAddress,
            "POST /cgi-bin/stable_token HTTP/1.1\r\nHost: api.weixin.qq.com\r\nContent-Type: application/json\r\n"
            + $"Content-Length: {Encoding.UTF8.GetByteCount(StableTokenJson)}\r\nConnection: close\r\n\r\n{StableTokenJson}");

        Assert.StartsWith("HTTP/1.1 200 OK\r\n", answer);
        Assert.Contains("\"access_token\":", answer);
        Assert.Equal(1, sandbox.State.Calls.StableToken);
    }

    /// <summary>Done-when of issue 16: the client code before it (JsonContent.Create, which streams) fails against the sandbox.</summary>
    [Fact]
    public async Task The_old_clients_JsonContent_body_gets_412_and_a_byte_array_body_gets_a_token()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var request = new { grant_type = "client_credential", appid = SandboxDefaults.AppId, secret = SandboxDefaults.AppSecret, force_refresh = false };

        var streamed = await sandbox.SendAsync(HttpMethod.Post, "cgi-bin/stable_token", JsonContent.Create(request));
        var measured = await sandbox.SendAsync(HttpMethod.Post, "cgi-bin/stable_token",
            new ByteArrayContent(Encoding.UTF8.GetBytes(StableTokenJson)) { Headers = { { "Content-Type", "application/json" } } });

        Assert.Equal((HttpStatusCode.PreconditionFailed, "text/html"), (streamed.Status, streamed.MediaType));
        Assert.Contains("412 Precondition Failed", streamed.Body);
        Assert.Equal(HttpStatusCode.OK, measured.Status);
        Assert.NotNull(measured.AccessToken);
    }

    [Fact]
    public async Task Every_error_carries_a_fresh_rid_kept_with_what_the_call_sent_and_got()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var badSecret = StableTokenJson.Replace(SandboxDefaults.AppSecret, "wrong");

        var first = await sandbox.PostStableTokenRawAsync(badSecret);
        var second = await sandbox.GetTokenAsync(secret: "wrong");

        var firstMatch = WithRid().Match(first.ErrMsg!);
        var secondMatch = WithRid().Match(second.ErrMsg!);
        Assert.True(firstMatch.Success, first.ErrMsg);
        Assert.True(secondMatch.Success, second.ErrMsg);
        Assert.Equal(("invalid appsecret", "invalid appsecret"), (firstMatch.Groups["text"].Value, secondMatch.Groups["text"].Value));
        Assert.NotEqual(firstMatch.Groups["rid"].Value, secondMatch.Groups["rid"].Value);

        var record = sandbox.State.Rids.Find(firstMatch.Groups["rid"].Value);
        Assert.NotNull(record);
        Assert.Equal(SandboxDefaults.AppId, record.AppId);
        Assert.Equal(SandboxHarness.DefaultStart, record.InvokeTime);
        Assert.Equal("127.0.0.1", record.ClientIp);
        Assert.Equal("/cgi-bin/stable_token", record.RequestUrl);
        Assert.Equal(badSecret, record.RequestBody);
        Assert.Equal(first.Body, record.ResponseBody);
        Assert.InRange(record.CostInMs, 0, 5_000);
        var getRecord = sandbox.State.Rids.Find(secondMatch.Groups["rid"].Value)!;
        Assert.StartsWith("/cgi-bin/token?grant_type=client_credential&appid=", getRecord.RequestUrl);
        Assert.Equal("", getRecord.RequestBody);
        Assert.Null(sandbox.State.Rids.Find("00000000-00000000-00000000"));
        // The admin view of the same record.
        var viewed = await sandbox.SendAsync(HttpMethod.Get, $"sandbox/rids/{record.Rid}");
        Assert.Equal(badSecret, viewed.Json.GetProperty("requestBody").GetString());
    }

    [Fact]
    public async Task The_ip_whitelist_answers_40164_naming_the_callers_address_until_it_lists_it()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        using (var on = await sandbox.Http.PutAsync("sandbox/ip-whitelist", Json("""{"allowedIps":["203.0.113.5"]}""")))
            on.EnsureSuccessStatusCode();

        var classic = await sandbox.GetTokenAsync();
        var stable = await sandbox.PostStableTokenAsync();

        Assert.All(new[] { classic, stable }, reply =>
        {
            Assert.Equal(40164, reply.ErrCode);
            var text = WithRid().Match(reply.ErrMsg!).Groups["text"].Value;
            Assert.Equal("invalid ip 127.0.0.1 ipv6 ::ffff:127.0.0.1, not in whitelist", text);
            Assert.Equal("127.0.0.1", InvalidIp().Match(text).Groups[1].Value);
        });
        sandbox.State.SetIpWhitelist(["203.0.113.5", "127.0.0.1"]);
        Assert.NotNull((await sandbox.GetTokenAsync()).AccessToken);
        using (var off = await sandbox.Http.PutAsync("sandbox/ip-whitelist", Json("""{"allowedIps":null}""")))
            off.EnsureSuccessStatusCode();
        Assert.Null(sandbox.State.IpWhitelist);
        Assert.NotNull((await sandbox.PostStableTokenAsync()).AccessToken);
    }

    [Theory]
    [InlineData(40001, "invalid credential, access_token is invalid or not latest, could get access_token by getStableAccessToken, more details at https://mmbizurl.cn/s/JtxxFh33r")]
    [InlineData(45009, "reach max api daily quota limit")]
    [InlineData(45011, "api minute-quota reach limit, must slower, retry next minute")]
    [InlineData(40125, "invalid appsecret")]
    [InlineData(40013, "invalid appid")]
    [InlineData(48001, "api unauthorized")]
    public async Task Errmsg_is_WeChats_text_then_the_rid(int errcode, string text)
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        sandbox.State.SetFault(new SandboxFault(SandboxFaultKind.ErrorCode, ErrorCode: errcode));

        var reply = await sandbox.PostStableTokenAsync();

        Assert.Equal(errcode, reply.ErrCode);
        var match = WithRid().Match(reply.ErrMsg!);
        Assert.True(match.Success, reply.ErrMsg);
        Assert.Equal(text, match.Groups["text"].Value);
    }

    [Fact]
    public async Task Errors_answering_a_get_are_labelled_text_plain_and_a_post_gets_WeChats_json_type()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var get = await sandbox.GetTicketAsync("not-a-token");
        var post = await sandbox.PostStableTokenAsync(secret: "wrong");
        var success = await sandbox.GetTokenAsync();

        Assert.Equal(("text/plain", 40001), (get.MediaType, get.ErrCode));
        Assert.Equal(("application/json", 40125), (post.MediaType, post.ErrCode));
        Assert.Equal("application/json", success.MediaType);
    }

    [Fact]
    public async Task Answers_carry_a_content_length_and_errors_a_LogicRet_header()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        using var error = await sandbox.Http.GetAsync($"cgi-bin/token?grant_type=client_credential&appid={SandboxDefaults.AppId}&secret=wrong");
        using var success = await sandbox.Http.GetAsync($"cgi-bin/token?grant_type=client_credential&appid={SandboxDefaults.AppId}&secret={SandboxDefaults.AppSecret}");

        Assert.Equal("40125", Assert.Single(error.Headers.GetValues("LogicRet")));
        Assert.Equal((await error.Content.ReadAsByteArrayAsync()).Length, error.Content.Headers.ContentLength);
        Assert.Equal((await success.Content.ReadAsByteArrayAsync()).Length, success.Content.Headers.ContentLength);
        Assert.Null(success.Headers.TransferEncodingChunked);
    }

    [Fact]
    public async Task The_idle_drop_resets_a_reused_connection_unannounced_and_leaves_fresh_ones_alone()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        using var http = new HttpClient(new SocketsHttpHandler(), disposeHandler: true) { BaseAddress = sandbox.Server.BaseAddress };
        Assert.NotNull((await sandbox.GetTokenAsync()).AccessToken); // the harness's connection is now pooled
        using (var on = await http.PutAsync("sandbox/idle-drop", Json("""{"afterMilliseconds":50}""")))
            on.EnsureSuccessStatusCode();
        await Task.Delay(200);

        // SocketsHttpHandler may itself resend a request whose reused connection failed before any answer; either way
        // the sandbox has reset that connection and a fresh one answers.
        WeChatReply? reply = null;
        try
        {
            reply = await sandbox.GetTokenAsync();
        }
        catch (HttpRequestException)
        {
        }

        Assert.Equal(1, sandbox.State.DroppedConnections);
        reply ??= await sandbox.GetTokenAsync();
        Assert.NotNull(reply.AccessToken);
        var status = await sandbox.SendAsync(HttpMethod.Get, "sandbox/idle-drop");
        Assert.Equal((50, 1), (status.Json.GetProperty("afterMilliseconds").GetInt32(), status.Json.GetProperty("droppedConnections").GetInt32()));
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>Sends <paramref name="request"/> as raw bytes on a new connection and returns everything the server answered.</summary>
    private static async Task<string> RawExchangeAsync(Uri server, string request)
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client.ConnectAsync(server.Host, server.Port, timeout.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), timeout.Token);
        using var answer = new MemoryStream();
        await stream.CopyToAsync(answer, timeout.Token);
        return Encoding.UTF8.GetString(answer.ToArray());
    }
}
