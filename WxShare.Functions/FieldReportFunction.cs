using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using WxShare.Http;

namespace WxShare.Functions;

/// <summary>The route <see cref="ApiRoutes.Report"/>; its attribute repeats the table's row for the Functions host, and a test checks they agree.</summary>
public sealed class FieldReportFunction(HttpEdge edge)
{
    [Function("JsSdkReport")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", "options", Route = ApiRoutes.ReportPath)] HttpRequest request) =>
        edge.HandleAsync(ApiRoutes.Report, request);
}
