using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using WxShare.Functions.Tests.EndToEnd;
using WxShare.Functions.Tests.Infrastructure;
using WxShare.Host;
using WxShare.Http;

namespace WxShare.Functions.Tests.Functions;

/// <summary>The route table (<see cref="ApiRoutes"/>) and what each host serves: a route a host has and the table lacks, or the other way, fails here.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RouteTableTests(AzuriteFixture azurite)
{
    private static string Row(string name, string path, IEnumerable<string> methods) =>
        $"{name} {string.Join("|", methods.Select(m => m.ToUpperInvariant()).Order())} {path}";

    private static IEnumerable<string> TableRows() =>
        ApiRoutes.All.Select(r => Row(r.Name, r.Path, r.MappedMethods)).Order();

    [Fact]
    public void The_functions_app_declares_each_route_as_the_table_says_and_no_other()
    {
        var declared = typeof(WxShareFunctionsApp).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .Select(m => (Function: m.GetCustomAttribute<FunctionAttribute>(),
                Trigger: m.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).SingleOrDefault(a => a is not null)))
            .Where(f => f is { Function: not null, Trigger: not null })
            .ToArray();

        Assert.Equal(TableRows(), declared.Select(f => Row(f.Function!.Name, f.Trigger!.Route!, f.Trigger.Methods ?? [])).Order());
        // The key is WxShare's (Keys__*, checked in the edge), so the Functions host must not ask for a function key of its own.
        Assert.All(declared, f => Assert.Equal(AuthorizationLevel.Anonymous, f.Trigger!.AuthLevel));
    }

    [Fact]
    public async Task Every_handler_resolves_from_the_application_services_without_a_request_scope()
    {
        // The standalone host hands handlers the application's services, creating no scope per request: a scoped handler
        // (or a scoped service behind it) would throw there, and a disposable transient would be kept until shutdown.
        await using var host = WxShareHost.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(TestSettings.Offline());
            builder.Host.UseDefaultServiceProvider(options => options.ValidateScopes = true);
        });
        var services = new FirstResolution(host.Services);
        foreach (var route in ApiRoutes.All)
        {
            var request = new DefaultHttpContext().Request;
            await Assert.ThrowsAsync<FirstResolution.Resolved>(() => route.Handle(services, request).AsTask());
            var handler = Assert.IsType<FirstResolution.Resolved>(services.Last).Service;
            Assert.False(handler is IDisposable or IAsyncDisposable, $"{route.Name}: {handler.GetType().Name} is disposable");
        }
    }

    /// <summary>Resolves the first service a handler asks for, then stops the handler before it does anything.</summary>
    private sealed class FirstResolution(IServiceProvider services) : IServiceProvider
    {
        public Exception? Last { get; private set; }

        public object? GetService(Type serviceType) =>
            throw (Last = new Resolved(services.GetService(serviceType) ?? throw new InvalidOperationException($"{serviceType.Name} is not registered.")));

        public sealed class Resolved(object service) : Exception
        {
            public object Service { get; } = service;
        }
    }

    [Fact]
    public async Task The_standalone_host_maps_each_route_as_the_table_says_and_no_other()
    {
        await using var host = WxShareHost.Build([], builder => builder.Configuration.AddInMemoryCollection(TestSettings.Offline()));
        var endpoints = ((IEndpointRouteBuilder)host).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith(ApiRoute.Prefix, StringComparison.Ordinal) == true)
            .ToArray();

        var mapped = endpoints.Select(e => e.Metadata.GetMetadata<ApiRoute>() is { } route
                ? Row(route.Name, e.RoutePattern.RawText![ApiRoute.Prefix.Length..], e.Metadata.GetRequiredMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>().HttpMethods)
                : $"{e.RoutePattern.RawText}: mapped outside the route table")
            .Order();
        Assert.Equal(TableRows(), mapped);
    }

    /// <summary>The key scope of each row decides, on the standalone host, whether a call without a key is refused.</summary>
    [Fact]
    public async Task On_the_standalone_host_exactly_the_routes_that_require_a_key_refuse_a_call_without_one()
    {
        await using var host = await StandaloneHost.StartAsync(azurite,
            settings: s => TestKeys.AddOperator(s, "ops", TestKeys.Secret('k')));
        foreach (var route in ApiRoutes.All)
        {
            using var request = new HttpRequestMessage(new HttpMethod(route.Methods[0]), route.FullPath);
            using var response = await host.Client.SendAsync(request);
            var refused = response.StatusCode == HttpStatusCode.Unauthorized
                          && JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString() == "key_missing";
            Assert.True(refused == (route.Key.Need == KeyNeed.Required), $"{route}: {(int)response.StatusCode}, key {route.Key}");
            // Every answer but the page helper's is no-store, whoever answered it: the edge, the key check or the route.
            Assert.Equal(route.NoStore, response.Headers.CacheControl?.NoStore == true);
        }
    }

    /// <summary>docs/routes.md lists the routes as the table has them (regenerate the block from the message when a route changes).</summary>
    [Fact]
    public void Docs_routes_md_lists_the_table()
    {
        var expected = RoutesMarkdown();
        var document = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "routes.md")).ReplaceLineEndings("\n");
        Assert.True(document.Contains(expected, StringComparison.Ordinal), "docs/routes.md should hold this table:\n" + expected);
    }

    public static string RoutesMarkdown()
    {
        var table = new StringBuilder();
        table.Append("| Method | Path | Key | CORS | no-store | Function | What it answers |\n");
        table.Append("|---|---|---|---|---|---|---|\n");
        foreach (var route in ApiRoutes.All)
            table.Append($"| {string.Join(", ", route.MappedMethods)} | `{route.FullPath}` | {(route.Key.Need == KeyNeed.None ? "—" : route.Key.ToString())} | "
                         + $"{route.Cors switch { CorsPolicy.PageOrigins => "page origins", CorsPolicy.PageOriginsOnly => "page origins only", _ => "—" }} | "
                         + $"{(route.NoStore ? "yes" : "no")} | {route.Name} | {route.Doc.Summary.Replace("|", "\\|")} |\n");
        return table.ToString();
    }
}
