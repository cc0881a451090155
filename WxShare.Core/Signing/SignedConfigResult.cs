using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace WxShare.Signing;

/// <summary>
/// The config route's 200 answer: the same bytes and headers as <c>TypedResults.Json(value, type)</c> (the same
/// source-generated serializer and encoder, application/json; charset=utf-8, no Content-Length), written synchronously
/// into the response's pipe by a per-thread writer. TypedResults.Json resolved a logger per request and serialized
/// through the asynchronous path, which made writing the body a third of the handler's time (docs/performance.md).
/// </summary>
public sealed class SignedConfigResult<T>(T value, JsonTypeInfo<T> type) : IResult
{
    private const string JsonContentType = "application/json; charset=utf-8";

    [ThreadStatic] private static Utf8JsonWriter? _writer;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.ContentType = JsonContentType;
        var body = response.BodyWriter;
        var writer = _writer;
        if (writer is null || !SameOptions(writer.Options, type.Options))
            writer = _writer = new Utf8JsonWriter(body, WriterOptions(type.Options));
        else
            writer.Reset(body);
        try
        {
            JsonSerializer.Serialize(writer, value, type);
            writer.Flush();
        }
        finally
        {
            writer.Reset(Stream.Null); // the pipe belongs to this request; the writer is the thread's
        }
        var flushed = body.FlushAsync(httpContext.RequestAborted);
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
