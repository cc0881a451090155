using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WxShare.Configuration;
using Microsoft.Extensions.Logging;
using WxShare.Operations;

namespace WxShare.Http;

/// <summary>
/// The standalone host's key check for the key-protected routes, accepting a key the way the Functions host accepts a
/// function key (the <c>x-functions-key</c> header, else the <c>code</c> query parameter), so one client works against
/// both hosts. Keys come from <c>Relay__Keys</c>; each accepted call is logged with the key's name, never its value.
/// The Functions app does not use this: <c>AuthorizationLevel.Function</c> has its host check the key first.
/// </summary>
public sealed partial class FunctionKeyFilter(AccessKeys keys, ILogger<FunctionKeyFilter> logger) : IEndpointFilter
{
    public const string HeaderName = "x-functions-key";
    public const string QueryName = "code";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var request = context.Request;
        var presented = request.Headers[HeaderName].ToString();
        if (presented.Length == 0)
            presented = request.Query[QueryName].ToString();

        if (presented.Length == 0)
        {
            LogRefused(request.Method, request.Path, "no key");
            return Unauthorized(context.Response, "key_missing", keys.IsEmpty
                ? $"This route needs a key, and this host has none: set Relay__Keys (name=key pairs), then send one as the {HeaderName} header."
                : $"This route needs a key: send it as the {HeaderName} header (or the {QueryName} query parameter).");
        }
        if (keys.NameOf(presented) is not { } name)
        {
            LogRefused(request.Method, request.Path, "a key that is not one of Relay__Keys");
            return Unauthorized(context.Response, "key_invalid", $"The key sent is not one of this host's keys (Relay__Keys).");
        }

        OperatorCaller.Set(context, name);
        LogAccepted(name, request.Method, request.Path);
        return await next(invocation);
    }

    private static IResult Unauthorized(HttpResponse response, string error, string message) =>
        OperationsResults.Error(response, StatusCodes.Status401Unauthorized, error, message);

    // The path only: the query may hold the key itself (code=...).
    [LoggerMessage(LogLevel.Information, "Key {KeyName} called {Method} {Path}")]
    private partial void LogAccepted(string keyName, string method, PathString path);

    [LoggerMessage(LogLevel.Warning, "Refused {Method} {Path}: {Reason}")]
    private partial void LogRefused(string method, PathString path, string reason);
}

public static class FunctionKeyExtensions
{
    /// <summary>The standalone host's keys (Relay__Keys), validated at start-up, and the filter that checks them.</summary>
    public static IServiceCollection AddFunctionKeys(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IValidateOptions<RelayOptions>, RelayOptionsValidator>();
        services.AddOptions<RelayOptions>().Bind(configuration.GetSection(RelayOptions.Section)).ValidateOnStart();
        services.AddSingleton<AccessKeys>();
        services.AddSingleton<FunctionKeyFilter>();
        return services;
    }
}
