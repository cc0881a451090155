using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace WxShare.Signing;

/// <summary>
/// The config route's 200 answer: the body bytes of <c>TypedResults.Json(value, type)</c> (the same source-generated
/// serializer and encoder, application/json; charset=utf-8), serialized by a per-thread writer into a per-thread
/// buffer and sent with its Content-Length. TypedResults.Json resolved a logger per request and streamed the body
/// chunked, which costs a write for the body and a second one for the last chunk; with the length known, the one flush
/// sends headers and body together and nothing follows (docs/performance.md).
/// </summary>
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
        if (writer is null || !SameOptions(writer.Options, type.Options))
            writer = _writer = new Utf8JsonWriter(buffer, WriterOptions(type.Options));
        else
            writer.Reset(buffer);
        try
        {
            JsonSerializer.Serialize(writer, value, type);
            writer.Flush();
            var response = httpContext.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = JsonContentType;
            response.ContentLength = buffer.WrittenCount;
            response.BodyWriter.Write(buffer.WrittenSpan); // copied into the response's pipe
        }
        finally
        {
            writer.Reset(Stream.Null); // the thread's writer must not keep this request's buffer state
            if (buffer.Capacity > KeptBufferBytes)
                _buffer = null;
            else
                buffer.ResetWrittenCount();
        }
        // With the length known, this flush is the response's one write: headers and body, and nothing after it.
        var flushed = httpContext.Response.BodyWriter.FlushAsync(httpContext.RequestAborted);
        return flushed.IsCompletedSuccessfully ? Task.CompletedTask : flushed.AsTask();
    }

    // Writing through a Utf8JsonWriter takes its options from the writer, not the serializer's: copy the ones that
    // shape the bytes, so the body is what JsonSerializer writes with these options.
    private static JsonWriterOptions WriterOptions(JsonSerializerOptions options) => new()
    {
        Encoder = options.Encoder,
        Indented = options.WriteIndented,
        MaxDepth = options.MaxDepth,
        SkipValidation = true,
    };

    private static bool SameOptions(JsonWriterOptions writer, JsonSerializerOptions options) =>
        ReferenceEquals(writer.Encoder, options.Encoder) && writer.Indented == options.WriteIndented;
}
