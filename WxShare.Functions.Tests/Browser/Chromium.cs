namespace WxShare.Functions.Tests.Browser;

/// <summary>
/// Debian's Chromium, which the browser tests drive through Playwright. Playwright never downloads a browser here.
/// Without it a test skips with the reason, or fails when CI=true (CI must run every test).
/// </summary>
internal static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public static string? MissingReason { get; } = File.Exists(ExecutablePath)
        ? null
        : $"Chromium is not installed at {ExecutablePath}: run 'apt-get install -y chromium' (as .ci/run does).";

    public static void Require()
    {
        if (MissingReason is null)
            return;
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException(MissingReason);
        Skip.If(true, MissingReason);
    }
}
