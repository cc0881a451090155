using System.Reflection;
using WxShare.Functions.Tests.Infrastructure;

namespace WxShare.Functions.Tests.FunctionsHost;

/// <summary>
/// The Functions app as its own build leaves it (WxShare.Functions/bin/{Configuration}/{tfm}/): the worker assembly
/// beside functions.metadata, worker.config.json, host.json and the extensions. The test project references the
/// Functions project, so building the tests builds this folder first.
/// </summary>
internal sealed record FunctionsAppBuild(string Directory, string WorkerAssembly)
{
    private const string ProjectName = "WxShare.Functions";

    public static FunctionsAppBuild Current { get; } = Locate();

    private static FunctionsAppBuild Locate()
    {
        var configuration = typeof(FunctionsAppBuild).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var targetFramework = new DirectoryInfo(AppContext.BaseDirectory).Name;
        var directory = Path.Combine(RepositoryRoot.Path, ProjectName, "bin", configuration, targetFramework);
        var assembly = Path.Combine(directory, ProjectName + ".dll");
        foreach (var required in new[] { assembly, Path.Combine(directory, "functions.metadata"), Path.Combine(directory, "worker.config.json") })
            if (!File.Exists(required))
                throw new InvalidOperationException(
                    $"The Functions app's build output is incomplete: {required} is missing. Build it first: dotnet build {ProjectName} -c {configuration}");
        return new FunctionsAppBuild(directory, assembly);
    }
}
