using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using WxShare.Functions.Tests.Infrastructure;

namespace WxShare.Functions.Tests.EndToEnd;

/// <summary>The standalone host's OpenAPI document covers every /api route, and docs/openapi.json is that document.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class OpenApiDocumentTests(AzuriteFixture azurite)
{
    /// <summary>Set to 1 to rewrite docs/openapi.json from the running host after changing a route.</summary>
    private const string UpdateVariable = "WXSHARE_UPDATE_OPENAPI";
    private static readonly string CheckedIn = Path.Combine(RepositoryRoot.Path, "docs", "openapi.json");

    [Fact]
    public async Task The_checked_in_document_equals_the_one_the_host_serves_and_names_every_api_route()
    {
        await using var host = await StandaloneHost.StartAsync(azurite);

        var served = JsonNode.Parse(await host.Client.GetStringAsync("/openapi/v1.json"))!;

        var paths = served["paths"]!.AsObject().Select(p => p.Key.TrimStart('/')).ToHashSet();
        var apiRoutes = host.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => e.RoutePattern.RawText!.TrimStart('/'))
            .Where(route => route.StartsWith("api/", StringComparison.Ordinal))
            .ToHashSet();
        Assert.NotEmpty(apiRoutes);
        Assert.Subset(paths, apiRoutes);
        Assert.Equal("WxShare", served["info"]!["title"]!.GetValue<string>());
        Assert.NotNull(served["paths"]!["/api/jssdk/config"]!["get"]!["parameters"]!.AsArray().SingleOrDefault(p => p!["name"]!.GetValue<string>() == "url"));

        var text = served.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
            await File.WriteAllTextAsync(CheckedIn, text);
        Assert.True(File.Exists(CheckedIn), $"docs/openapi.json is missing: run the tests once with {UpdateVariable}=1.");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(await File.ReadAllTextAsync(CheckedIn)), served),
            $"docs/openapi.json differs from the document the host serves: run the tests once with {UpdateVariable}=1 and commit it.");
    }
}
