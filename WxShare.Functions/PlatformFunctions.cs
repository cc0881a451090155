using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using WxShare.Http;
using WxShare.Platform;

namespace WxShare.Functions;

/// <summary>
/// The platform routes (<see cref="ApiRoutes.PlatformEvents"/> and the onboarding ones); each attribute repeats the table's
/// row for the Functions host, and a test checks they agree. The route's {name} is handed to Core as the standalone
/// host's routing gives it.
/// </summary>
public sealed class PlatformFunctions(HttpEdge edge)
{
    [Function("PlatformEvents")]
    public Task<IResult> Events([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.PlatformEventsPath)] HttpRequest request, string name) =>
        HandleAsync(ApiRoutes.PlatformEvents, request, name);

    [Function("PlatformAuthorize")]
    public Task<IResult> Authorize([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.PlatformAuthorizePath)] HttpRequest request, string name) =>
        HandleAsync(ApiRoutes.PlatformAuthorize, request, name);

    [Function("PlatformAuthorized")]
    public Task<IResult> Authorized([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.PlatformAuthorizedPath)] HttpRequest request, string name) =>
        HandleAsync(ApiRoutes.PlatformAuthorized, request, name);

    [Function("PlatformAuthorizers")]
    public Task<IResult> Authorizers([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.PlatformAuthorizersPath)] HttpRequest request, string name) =>
        HandleAsync(ApiRoutes.PlatformAuthorizers, request, name);

    private Task<IResult> HandleAsync(ApiRoute route, HttpRequest request, string name)
    {
        request.RouteValues[PlatformEndpoints.NameRouteValue] = name;
        return edge.HandleAsync(route, request);
    }
}
