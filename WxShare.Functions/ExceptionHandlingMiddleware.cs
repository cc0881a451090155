using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;
using WxShare.Http;
using WxShare.Storage;

namespace WxShare.Functions;

/// <summary>
/// Errors handled once, in the worker's pipeline (as the isolated worker's samples/CustomMiddleware does): whatever a
/// function throws past the edge (<see cref="HttpEdge"/> answers its routes' own failures) is still a JSON answer
/// from the one error writer, never the Functions host's empty 500. A storage error is a JSON 503.
/// </summary>
internal sealed class ExceptionHandlingMiddleware(ILogger<ExceptionHandlingMiddleware> logger) : IFunctionsWorkerMiddleware
{
    private static readonly TimeSpan StorageRetryAfter = TimeSpan.FromSeconds(30);

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (context.GetHttpContext() is { Response.HasStarted: false } http
                                  && !(e is OperationCanceledException && http.RequestAborted.IsCancellationRequested))
        {
            context.GetInvocationResult().Value = e is StorageUnavailableException or Azure.RequestFailedException
                ? ApiErrors.StorageUnavailable(http.Response, StorageRetryAfter)
                : ApiErrors.Unexpected(http, e, logger);
        }
    }
}
