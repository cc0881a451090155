using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace WxShare.Configuration;

/// <summary>
/// How both hosts' <c>Program</c> start: a bad setting ends the process with its message and exit code 1. The messages
/// already name each setting and what is wrong; the stack trace around them only buried them.
/// </summary>
public static class BadSettingsExit
{
    public const int ExitCode = 1;

    /// <summary>Builds and runs the host; returns the process exit code.</summary>
    public static int Run(Func<IHost> build, TextWriter? error = null)
    {
        try
        {
            var host = build();
            // Validated here, before Run: the host would log the failure as "Hosting failed to start" with the
            // whole stack trace before rethrowing it.
            host.Services.GetService<IStartupValidator>()?.Validate();
            host.Run();
            return 0;
        }
        catch (Exception e) when (Failures(e) is { Count: > 0 } failures)
        {
            error ??= Console.Error;
            error.WriteLine("WxShare did not start: a setting is missing or wrong.");
            foreach (var failure in failures)
                error.WriteLine("  " + failure);
            return ExitCode;
        }
    }

    /// <summary>
    /// Each failure message of a validation exception; the host wraps the exceptions of several options in an
    /// AggregateException. Empty for any other exception, which keeps its stack trace.
    /// </summary>
    public static IReadOnlyList<string> Failures(Exception exception) => exception switch
    {
        OptionsValidationException validation => validation.Failures.ToList(),
        AggregateException aggregate when aggregate.InnerExceptions.Count > 0
            && aggregate.InnerExceptions.All(inner => inner is OptionsValidationException)
            => aggregate.InnerExceptions.SelectMany(Failures).ToList(),
        _ => [],
    };
}
