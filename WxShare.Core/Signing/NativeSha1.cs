using System.Runtime.InteropServices;

namespace WxShare.Signing;

/// <summary>
/// SHA-1 through OpenSSL's own SHA1_Init/Update/Final on a context on the stack, where the process has libcrypto 3
/// (Linux: the Functions host and the container images; deprecated in 3.0 in favour of EVP, but exported by every 3.x).
/// .NET's SHA-1 reaches the same OpenSSL code through its EVP layer: three calls that each clear OpenSSL's per-thread
/// error queue first, and a digest context freed and allocated again at every reset, which made SHA-1 about a third of
/// the signing route's own CPU time, 0.9 µs per request (docs/performance.md). Elsewhere (Windows, macOS, OpenSSL 1.1)
/// <see cref="IsAvailable"/> is false and the caller uses .NET's.
/// </summary>
internal static unsafe class NativeSha1
{
    // sizeof(SHA_CTX) is 96 bytes (h0..h4, Nl, Nh, data[16], num); a little room in case a build pads it.
    private const int ContextBytes = 128;

    private static readonly delegate* unmanaged<byte*, int> Init;
    private static readonly delegate* unmanaged<byte*, byte*, nuint, int> Update;
    private static readonly delegate* unmanaged<byte*, byte*, int> Final;

    public static bool IsAvailable { get; }

    static NativeSha1()
    {
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libcrypto.so.3", out var library))
            return;
        if (NativeLibrary.TryGetExport(library, "SHA1_Init", out var init)
            && NativeLibrary.TryGetExport(library, "SHA1_Update", out var update)
            && NativeLibrary.TryGetExport(library, "SHA1_Final", out var final))
        {
            Init = (delegate* unmanaged<byte*, int>)init;
            Update = (delegate* unmanaged<byte*, byte*, nuint, int>)update;
            Final = (delegate* unmanaged<byte*, byte*, int>)final;
            IsAvailable = true;
        }
    }

    /// <summary>The 20-byte digest of <paramref name="data"/> into <paramref name="digest"/>; only when <see cref="IsAvailable"/>.</summary>
    public static void Hash(ReadOnlySpan<byte> data, Span<byte> digest)
    {
        if (digest.Length < 20)
            throw new ArgumentException("A SHA-1 digest takes 20 bytes.", nameof(digest));
        byte* context = stackalloc byte[ContextBytes];
        fixed (byte* input = data)
        fixed (byte* output = digest)
        {
            if (Init(context) != 1 || Update(context, input, (nuint)data.Length) != 1 || Final(output, context) != 1)
                throw new InvalidOperationException("OpenSSL's SHA-1 failed.");
        }
    }
}
