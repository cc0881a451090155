using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using WxShare.Http;

namespace WxShare.Functions;

/// <summary>The route <see cref="ApiRoutes.Diagnose"/>; its attribute repeats the table's row for the Functions host, and a test checks they agree.</summary>
public sealed class JsSdkDiagnoseFunction(HttpEdge edge)
{
    [Function("JsSdkDiagnose")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.DiagnosePath)] HttpRequest request) =>
        edge.HandleAsync(ApiRoutes.Diagnose, request);
}
