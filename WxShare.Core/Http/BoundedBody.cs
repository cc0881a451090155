using Microsoft.AspNetCore.Http;

namespace WxShare.Http;

/// <summary>A request body read up to a limit, whatever Content-Length claims (chunked bodies have none).</summary>
internal static class BoundedBody
{
    /// <returns>The body, or null when it is longer than <paramref name="maxBytes"/>.</returns>
    public static Task<ArraySegment<byte>?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken) =>
        request.ContentLength > maxBytes ? Task.FromResult<ArraySegment<byte>?>(null) : ReadAsync(request.Body, maxBytes, cancellationToken);

    /// <returns>The stream's bytes, or null when there are more than <paramref name="maxBytes"/>.</returns>
    public static async Task<ArraySegment<byte>?> ReadAsync(Stream body, int maxBytes, CancellationToken cancellationToken)
    {
        // At most one byte past the limit is read: enough to know the body is too long.
        var buffer = new byte[maxBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
            length += read;
        if (length > maxBytes)
            return null;
        return new ArraySegment<byte>(buffer, 0, length);
    }
}
