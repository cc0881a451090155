using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using WxShare.Functions.Tests.Infrastructure;

namespace WxShare.Functions.Tests.Deployment;

/// <summary>
/// The Bicep CLI that restore put under the NuGet package Azure.Bicep.CommandLine.linux-x64 (no download script),
/// and infra/main.bicep compiled by it once for all the infra tests.
/// </summary>
internal static class BicepCli
{
    public static string MainBicep { get; } = Path.Combine(RepositoryRoot.Path, "infra", "main.bicep");

    private static readonly Lazy<string> Executable = new(FindExecutable);
    private static readonly Lazy<JsonObject> Compiled = new(Compile);

    /// <summary>infra/main.bicep as ARM JSON (a failed or noisy build fails here, and in its own test).</summary>
    public static JsonObject MainTemplate => Compiled.Value;

    public static (int ExitCode, string Output) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable.Value)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryRoot.Path,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bicep did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} ran over two minutes.");
        }
        return (process.ExitCode, (stdout.Result + stderr.Result).Trim());
    }

    private static JsonObject Compile()
    {
        var output = Path.Combine(Path.GetTempPath(), $"wxshare-main-{Guid.NewGuid():N}.json");
        try
        {
            var (exitCode, diagnostics) = Run("build", MainBicep, "--outfile", output);
            if (exitCode != 0 || diagnostics.Length > 0)
                throw new InvalidOperationException($"bicep build failed ({exitCode}):\n{diagnostics}");
            return JsonNode.Parse(File.ReadAllText(output))!.AsObject();
        }
        finally
        {
            File.Delete(output);
        }
    }

    private static string FindExecutable()
    {
        var path = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "BicepPath").Value!;
        if (!File.Exists(path))
            throw new FileNotFoundException($"No Bicep CLI at {path}: restore the test project (it needs the linux-x64 package).", path);
        if (!OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException("The infra tests run the linux-x64 Bicep CLI: run them on Linux (as CI does).");
        // NuGet extracts package files without the execute bit on some agents.
        var mode = File.GetUnixFileMode(path);
        if (!mode.HasFlag(UnixFileMode.UserExecute))
            File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        return path;
    }

    /// <summary>Every resource object of a type, in the template and the module templates nested in it.</summary>
    public static IEnumerable<JsonObject> Resources(string type) => Descendants(MainTemplate)
        .Where(o => o["type"] is JsonValue t && t.GetValueKind() == System.Text.Json.JsonValueKind.String && (string)t! == type);

    private static IEnumerable<JsonObject> Descendants(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                yield return o;
                foreach (var (_, child) in o)
                    foreach (var d in Descendants(child))
                        yield return d;
                break;
            case JsonArray a:
                foreach (var child in a)
                    foreach (var d in Descendants(child))
                        yield return d;
                break;
        }
    }
}
