using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using WxShare.Http;

namespace WxShare.Signing;

/// <summary>
/// The config route's 200 answer: the body bytes of <c>TypedResults.Json(value, WxShareJsonContext.Answers…)</c>
/// (application/json; charset=utf-8), serialized by a per-thread writer into a per-thread buffer and sent with its
/// Content-Length. TypedResults.Json resolved a logger per request and streamed the body chunked, which costs a write for
/// the body and a second one for the last chunk; with the length known, the one flush sends headers and body together and
/// nothing follows (docs/performance.md).
/// </summary>
/// <param name="type">From <see cref="WxShareJsonContext.Default"/>: with its default options the source generator's
/// serialize method runs (a context with another encoder falls back to the slower metadata serializer). The writer escapes
/// as every answer does (<see cref="WxShareJson.Encoder"/>); property names are plain ASCII, so the bytes are the same.</param>
public sealed class SignedConfigResult<T>(T value, JsonTypeInfo<T> type) : IResult, IStatusCodeHttpResult
{
    private const string JsonContentType = "application/json; charset=utf-8";
    // A config is a few hundred bytes (a 4,096-character URL, escaped, a few KB); a buffer that grew past this for
    // one long URL is not kept.
    private const int KeptBufferBytes = 16 * 1024;

    [ThreadStatic] private static Utf8JsonWriter? _writer;
    [ThreadStatic] private static ArrayBufferWriter<byte>? _buffer;

    public int? StatusCode => StatusCodes.Status200OK;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var buffer = _buffer ??= new ArrayBufferWriter<byte>(1024);
        var writer = _writer;
        if (writer is null)
            writer = _writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = WxShareJson.Encoder, SkipValidation = true });
        else
            writer.Reset(buffer);
        ValueTask<FlushResult> written;
        try
        {
            JsonSerializer.Serialize(writer, value, type);
            writer.Flush();
            var response = httpContext.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = JsonContentType;
            response.ContentLength = buffer.WrittenCount;
            // The response's first write: Kestrel puts headers and body into its pipe together (copying the body before
            // it returns, so the buffer can be reset below) and flushes once; nothing follows. No RequestAborted: Kestrel
            // completes a pending flush itself when the connection goes, and setting up that token costs a lock.
            written = response.BodyWriter.WriteAsync(buffer.WrittenMemory);
        }
        finally
        {
            writer.Reset(Stream.Null); // the thread's writer must not keep this request's buffer state
            if (buffer.Capacity > KeptBufferBytes)
                _buffer = null;
            else
                buffer.ResetWrittenCount();
        }
        return written.IsCompletedSuccessfully ? Task.CompletedTask : written.AsTask();
    }
}
