using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using WxShare.Http;
using WxShare.Signing;

namespace WxShare.Host.OpenApi;

/// <summary>The OpenAPI document of every route at /openapi/v1.json; docs/openapi.json is a copy a test keeps equal.</summary>
internal static class WxShareOpenApi
{
    public const string DocumentPath = "/openapi/v1.json";

    public static IServiceCollection AddWxShareOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "WxShare",
                    Version = "v1",
                    Description = "Signs WeChat JS-SDK configs from tickets kept fresh in Table Storage; never calls WeChat on a request.",
                };
                // The server is wherever the host runs; a fixed document can be compared and checked in.
                document.Servers = [];
                return Task.CompletedTask;
            });
            options.AddOperationTransformer(async (operation, context, cancellationToken) =>
            {
                // Each route's text is in its row of the route table.
                if (context.Description.ActionDescriptor.EndpointMetadata.OfType<ApiRoute>().FirstOrDefault() is not { Doc: var doc })
                    return;
                operation.Summary = doc.Summary;
                operation.Parameters ??= [];
                foreach (var query in doc.Query)
                    operation.Parameters.Add(new OpenApiParameter
                    {
                        Name = query.Name,
                        In = ParameterLocation.Query,
                        Required = query.Required,
                        Description = query.Description,
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                    });
                operation.Responses ??= [];
                var ok = new OpenApiResponse { Description = "OK" };
                if (doc.Ok is { } okType)
                    ok.Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(okType, null, cancellationToken) },
                    };
                operation.Responses["200"] = ok;
                foreach (var status in doc.ErrorStatuses)
                    operation.Responses[status.ToString()] = new OpenApiResponse
                    {
                        Description = "{\"error\",\"message\"}",
                        Content = new Dictionary<string, OpenApiMediaType>
                        {
                            ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(typeof(ApiError), null, cancellationToken) },
                        },
                    };
            });
        });
}
