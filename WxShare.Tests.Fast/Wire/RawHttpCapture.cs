using System.Net;
using System.Net.Sockets;
using System.Text;

namespace WxShare.Functions.Tests.Wire;

/// <summary>
/// A plain TCP listener on loopback that records the bytes of each HTTP request exactly as a client sent them, then
/// answers with a canned body. Not Kestrel: Kestrel decodes chunked framing before a handler sees it, and WeChat's
/// front end does not (it answers a POST without Content-Length 412).
/// </summary>
internal sealed class RawHttpCapture : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<CapturedRequest> _requests = [];
    private readonly Task _loop;
    private readonly Func<CapturedRequest, string> _answer;

    /// <param name="answer">The JSON body to answer each request with (HTTP 200, application/json, with a length).</param>
    public RawHttpCapture(Func<CapturedRequest, string> answer)
    {
        _answer = answer;
        _listener.Start();
        _loop = AcceptAsync();
    }

    public Uri BaseAddress => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    public IReadOnlyList<CapturedRequest> Requests
    {
        get { lock (_requests) return _requests.ToArray(); }
    }

    public CapturedRequest Single() => Assert.Single(Requests);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        try
        {
            // One request per connection; "Connection: close" in the answer tells the client so.
            var request = await CapturedRequest.ReadAsync(stream, _stop.Token);
            lock (_requests) _requests.Add(request);
            var body = Encoding.UTF8.GetBytes(_answer(request));
            var head = Encoding.ASCII.GetBytes(
                $"HTTP/1.1 200 OK\r\nContent-Type: application/json; encoding=utf-8\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
            await stream.WriteAsync(head, _stop.Token);
            await stream.WriteAsync(body, _stop.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or InvalidDataException)
        {
            // The client hung up or sent something unreadable: nothing recorded, nothing answered.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }
}

/// <summary>One request as it crossed the wire: the head's lines as sent, and the body bytes after any framing.</summary>
internal sealed record CapturedRequest(string RequestLine, IReadOnlyList<(string Name, string Value)> Headers, byte[] RawBody, byte[] Body)
{
    public string Method => RequestLine.Split(' ')[0];

    public Uri Target => new(new Uri("http://wire/"), RequestLine.Split(' ')[1]);

    public string Path => Target.AbsolutePath;

    /// <summary>The query's keys in the order sent; values are left out so that a secret never reaches test output.</summary>
    public IReadOnlyList<string> QueryKeys =>
        Target.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=')[0]).ToArray();

    public string? QueryValue(string key) =>
        Target.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).Where(p => p[0] == key).Select(p => Uri.UnescapeDataString(p.Length > 1 ? p[1] : "")).FirstOrDefault();

    public string? Header(string name) =>
        Headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();

    public string BodyText => Encoding.UTF8.GetString(Body);

    public static async Task<CapturedRequest> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int headEnd;
        while ((headEnd = IndexOf(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), "\r\n\r\n"u8)) < 0)
        {
            var read = await stream.ReadAsync(chunk, cancellationToken);
            if (read == 0)
                throw new InvalidDataException("The connection closed before the request's head ended.");
            buffer.Write(chunk, 0, read);
        }
        var all = buffer.ToArray();
        var lines = Encoding.ASCII.GetString(all, 0, headEnd).Split("\r\n");
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).Select(p => (p[0].Trim(), p.Length > 1 ? p[1].Trim() : "")).ToList();
        var rest = new MemoryStream();
        rest.Write(all, headEnd + 4, all.Length - headEnd - 4);

        async Task FillAsync(int needed)
        {
            while (rest.Length < needed)
            {
                var read = await stream.ReadAsync(chunk, cancellationToken);
                if (read == 0)
                    throw new InvalidDataException("The connection closed inside the body.");
                rest.Write(chunk, 0, read);
            }
        }

        var request = new CapturedRequest(lines[0], headers, [], []);
        if (request.Header("Content-Length") is { } length)
        {
            await FillAsync(int.Parse(length));
            var body = rest.ToArray()[..int.Parse(length)];
            return request with { RawBody = body, Body = body };
        }
        if (request.Header("Transfer-Encoding")?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true)
        {
            // Read to the last chunk (size 0) so the captured request is whole; the test then fails on its framing.
            while (IndexOf(rest.GetBuffer().AsSpan(0, (int)rest.Length), "0\r\n\r\n"u8) < 0)
                await FillAsync((int)rest.Length + 1);
            var raw = rest.ToArray();
            return request with { RawBody = raw, Body = Dechunk(raw) };
        }
        return request;
    }

    private static byte[] Dechunk(byte[] raw)
    {
        var body = new MemoryStream();
        var at = 0;
        while (true)
        {
            var lineEnd = IndexOf(raw.AsSpan(at), "\r\n"u8) + at;
            var size = Convert.ToInt32(Encoding.ASCII.GetString(raw, at, lineEnd - at).Split(';')[0], 16);
            if (size == 0)
                return body.ToArray();
            body.Write(raw, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
    }

    private static int IndexOf(ReadOnlySpan<byte> haystack, ReadOnlySpan<byte> needle) => haystack.IndexOf(needle);
}
