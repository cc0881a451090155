using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using WxShare.Functions.Tests.FunctionsHost.Protocol;

namespace WxShare.Functions.Tests.FunctionsHost;

/// <summary>
/// A Functions host for tests: starts the real isolated worker built from WxShare.Functions and plays the host's side
/// of the worker protocol over gRPC: StartStream, WorkerInitRequest, FunctionsMetadataRequest, one
/// FunctionLoadRequest per function, then invocations. HTTP invocations go the way the host sends them under ASP.NET
/// Core integration: the request is forwarded to the worker's HttpUri with the x-ms-invocation-id header while the
/// paired InvocationRequest goes over gRPC. Every wait has a timeout whose message carries the worker's output and
/// logs; disposing kills the worker's process tree.
/// </summary>
public sealed partial class FunctionsWorkerHost : IAsyncDisposable
{
    /// <summary>From launch to functions loaded; a cold dotnet start on a busy two-core machine takes a while.</summary>
    public static readonly TimeSpan BootTimeout = TimeSpan.FromSeconds(90);
    /// <summary>For any one reply of the worker's, and for any one HTTP response.</summary>
    public static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(30);

    public const string HttpUriCapability = "HttpUri";
    public const string InvocationIdHeader = "x-ms-invocation-id";
    private const string NullableHttpCapability = "UseNullableValueDictionaryForHttp";
    private const string HostVersion = "4.0.0-wxshare-test-host";

    private readonly HostRpcServer _server;
    private readonly WorkerProcess _worker;
    private readonly FunctionsAppBuild _app;
    private readonly IReadOnlyDictionary<string, string?> _appSettings;
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, AutomaticDecompression = System.Net.DecompressionMethods.None })
    {
        Timeout = ReplyTimeout,
    };
    private WorkerChannel? _channel;
    private List<HttpFunctionRoute> _routes = [];

    private FunctionsWorkerHost(HostRpcServer server, WorkerProcess worker, FunctionsAppBuild app, IReadOnlyDictionary<string, string?> appSettings)
    {
        _server = server;
        _worker = worker;
        _app = app;
        _appSettings = appSettings;
    }

    /// <summary>The functions the worker reported, in its order.</summary>
    public IReadOnlyList<ReportedFunction> Functions { get; private set; } = [];

    /// <summary>The capabilities in the worker's WorkerInitResponse.</summary>
    public IReadOnlyDictionary<string, string> WorkerCapabilities { get; private set; } = new Dictionary<string, string>();

    /// <summary>Where the worker's ASP.NET Core server takes forwarded HTTP requests (its HttpUri capability).</summary>
    public Uri HttpUri { get; private set; } = null!;

    /// <summary>Every log the worker sent over the stream (RpcLog), oldest first.</summary>
    public IReadOnlyCollection<RpcLog> Logs => _channel?.Logs ?? [];

    /// <summary>The worker's stdout and stderr (the last few hundred lines).</summary>
    public string WorkerOutput => _worker.Output;

    /// <summary>
    /// Starts the worker with <paramref name="appSettings"/> (names as operators type them, e.g. WeChat__AppId) as its
    /// environment, and drives it until every function is loaded. Throws <see cref="WorkerExitedException"/> when the
    /// worker exits first.
    /// </summary>
    public static async Task<FunctionsWorkerHost> StartAsync(IReadOnlyDictionary<string, string?> appSettings)
    {
        var app = FunctionsAppBuild.Current;
        var workerId = Guid.NewGuid().ToString();
        var server = await HostRpcServer.StartAsync(workerId, WorkerLaunch.HostMaxMessageLength);
        WorkerProcess worker;
        try
        {
            worker = WorkerProcess.Start(app, WorkerLaunch.For(server.Address, workerId), appSettings);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        var host = new FunctionsWorkerHost(server, worker, app, appSettings);
        try
        {
            var boot = Stopwatch.StartNew();
            await host.BootAsync(() => BootTimeout - boot.Elapsed);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    private async Task BootAsync(Func<TimeSpan> bootTimeLeft)
    {
        _channel = await WithinAsync(_server.Connected, bootTimeLeft(), "the worker's StartStream");

        var init = (await RequestAsync(new StreamingMessage
        {
            WorkerInitRequest = new WorkerInitRequest
            {
                HostVersion = HostVersion,
                WorkerDirectory = _app.Directory,
                FunctionAppDirectory = _app.Directory,
            },
        }, StreamingMessage.ContentOneofCase.WorkerInitResponse, "WorkerInitRequest", bootTimeLeft())).WorkerInitResponse;
        EnsureSuccess(init.Result, "WorkerInitRequest");
        WorkerCapabilities = new Dictionary<string, string>(init.Capabilities);
        if (!WorkerCapabilities.TryGetValue(HttpUriCapability, out var httpUri) || !Uri.TryCreate(httpUri, UriKind.Absolute, out var parsed))
            throw Failure($"The worker reported no usable {HttpUriCapability} capability, so the host cannot forward HTTP requests to it: "
                          + "is ConfigureFunctionsWebApplication (ASP.NET Core integration) still in the Functions app's Program?");
        HttpUri = parsed;

        var metadata = (await RequestAsync(new StreamingMessage
        {
            FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = _app.Directory },
        }, StreamingMessage.ContentOneofCase.FunctionMetadataResponse, "FunctionsMetadataRequest", bootTimeLeft())).FunctionMetadataResponse;
        EnsureSuccess(metadata.Result, "FunctionsMetadataRequest");
        if (metadata.UseDefaultMetadataIndexing)
            throw Failure("The worker asked the host to index the functions itself; this host only takes the worker's own metadata.");
        Functions = metadata.FunctionMetadataResults.Select(m => new ReportedFunction(m)).ToList();
        foreach (var function in Functions)
            EnsureBindingExpressionsResolve(function);

        foreach (var function in Functions)
        {
            var load = (await RequestAsync(new StreamingMessage
            {
                FunctionLoadRequest = new FunctionLoadRequest { FunctionId = function.FunctionId, Metadata = function.Metadata.Clone() },
            }, StreamingMessage.ContentOneofCase.FunctionLoadResponse, $"FunctionLoadRequest for {function.Name}", bootTimeLeft())).FunctionLoadResponse;
            EnsureSuccess(load.Result, $"FunctionLoadRequest for {function.Name}");
        }

        var routePrefix = HttpFunctionRoute.RoutePrefix(_app.Directory);
        _routes = Functions.Select(f => HttpFunctionRoute.For(f, routePrefix)).OfType<HttpFunctionRoute>().ToList();
        if (_routes.Count > 0)
            await WaitForHttpServerAsync(bootTimeLeft());
    }

    /// <summary>
    /// The host resolves %name% in bindings from the app settings, and refuses to index a function whose setting
    /// is missing; so does this host, so the app settings a test gives are the ones a deployment needs.
    /// </summary>
    private void EnsureBindingExpressionsResolve(ReportedFunction function)
    {
        foreach (var binding in function.Bindings)
            foreach (var property in binding.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String))
            {
                var value = property.Value.GetString()!;
                foreach (Match setting in AppSettingReference().Matches(value))
                    if (!_appSettings.TryGetValue(setting.Groups[1].Value, out var resolved) || string.IsNullOrEmpty(resolved))
                        throw Failure($"Error indexing function '{function.Name}': '{setting.Value}' in its {ReportedFunction.BindingType(binding)} "
                                      + $"binding's {property.Name} does not resolve to a value. Add {setting.Groups[1].Value} to the app settings.");
            }
    }

    /// <summary>A binding value with its %name% references replaced by app settings, as the host binds it.</summary>
    public string ResolveAppSettings(string bindingValue) =>
        AppSettingReference().Replace(bindingValue, m => _appSettings.TryGetValue(m.Groups[1].Value, out var v) && v is not null
            ? v
            : throw new KeyNotFoundException($"'{m.Value}' does not resolve to an app setting."));

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex AppSettingReference();

    /// <summary>Invokes a timer-triggered function with the TimerInfo the host sends; throws when the invocation fails.</summary>
    public async Task<InvocationResponse> InvokeTimerAsync(string functionName)
    {
        var function = Function(functionName);
        if (!function.IsTriggeredBy("timerTrigger"))
            throw new ArgumentException($"{functionName} is not timer-triggered: {function}", nameof(functionName));
        var trigger = function.Trigger;

        var invocation = NewInvocation(function);
        invocation.InputData.Add(new ParameterBinding
        {
            Name = trigger.GetProperty("name").GetString(),
            Data = new TypedData { Json = TimerInfoJson(ResolveAppSettings(trigger.GetProperty("schedule").GetString()!)) },
        });
        var response = (await RequestAsync(new StreamingMessage { InvocationRequest = invocation },
            StreamingMessage.ContentOneofCase.InvocationResponse, $"the invocation of {functionName}", ReplyTimeout)).InvocationResponse;
        EnsureSuccess(response.Result, $"the invocation of {functionName}");
        return response;
    }

    /// <summary>The TimerInfo the host serializes for a timer function: schedule status and whether the tick is late.</summary>
    private static string TimerInfoJson(string schedule)
    {
        var now = DateTime.UtcNow;
        var next = NCrontab.CrontabSchedule.Parse(schedule, new NCrontab.CrontabSchedule.ParseOptions { IncludingSeconds = true }).GetNextOccurrence(now);
        return JsonSerializer.Serialize(new
        {
            Schedule = new { AdjustForDST = true },
            ScheduleStatus = new { Last = DateTime.MinValue, Next = next, LastUpdated = DateTime.MinValue },
            IsPastDue = false,
        });
    }

    /// <summary>GET (or <paramref name="method"/>) a path under the host, e.g. "/api/jssdk/config?url=…", with an optional Origin.</summary>
    public Task<HttpResponseMessage> GetAsync(string pathAndQuery, string? origin = null, HttpMethod? method = null)
    {
        var request = new HttpRequestMessage(method ?? HttpMethod.Get, new Uri(pathAndQuery, UriKind.Relative));
        if (origin is not null)
            request.Headers.Add("Origin", origin);
        return SendAsync(request);
    }

    /// <summary>
    /// Sends a request (with a relative URI such as "/api/jssdk/config?…") through the host: routes it to the HTTP
    /// function whose route and methods match, forwards it to the worker's HttpUri with x-ms-invocation-id, and sends
    /// the paired InvocationRequest. Returns the worker's HTTP response; throws when the invocation fails.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        var pathAndQuery = request.RequestUri?.OriginalString ?? throw new ArgumentException("The request has no URI.", nameof(request));
        var path = pathAndQuery.Split('?', 2)[0];
        var routeValues = new RouteValueDictionary();
        var route = _routes.FirstOrDefault(r => r.TryMatch(request.Method, path, out routeValues))
                    ?? throw new ArgumentException($"No HTTP function takes {request.Method} {path}. The worker's routes: {string.Join("; ", _routes)}", nameof(request));

        var invocationId = Guid.NewGuid().ToString();
        using var forwarded = new HttpRequestMessage(request.Method, new Uri(HttpUri, pathAndQuery)) { Content = request.Content };
        foreach (var (name, values) in request.Headers)
            forwarded.Headers.TryAddWithoutValidation(name, values);
        forwarded.Headers.Add(InvocationIdHeader, invocationId);

        var invocation = NewInvocation(route.Function, invocationId);
        invocation.InputData.Add(new ParameterBinding { Name = route.TriggerName, Data = new TypedData { Http = ToRpcHttp(forwarded, pathAndQuery) } });
        // As the host does: the route's values are binding data, which binds a function's other parameters by name
        // (PlatformFunctions' string name). Without them such a parameter is bound to null.
        foreach (var (name, value) in routeValues)
            invocation.TriggerMetadata[name] = new TypedData { String = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "" };

        // The host starts forwarding before it sends the invocation; the worker pairs the two by invocation id.
        var httpResponse = _http.SendAsync(forwarded);
        var invocationResponse = RequestAsync(new StreamingMessage { InvocationRequest = invocation },
            StreamingMessage.ContentOneofCase.InvocationResponse, $"the invocation of {route.Function.Name} for {request.Method} {path}", ReplyTimeout);
        var what = $"the worker's HTTP response to {request.Method} {path}";
        var response = await WithinAsync(httpResponse, ReplyTimeout, what);
        var result = (await invocationResponse).InvocationResponse.Result;
        EnsureSuccess(result, $"the invocation of {route.Function.Name} for {request.Method} {path} (HTTP {(int)response.StatusCode})");
        return response;
    }

    /// <summary>The request as the host describes it in the invocation's input (the worker itself reads the forwarded request).</summary>
    private RpcHttp ToRpcHttp(HttpRequestMessage forwarded, string pathAndQuery)
    {
        var nullable = WorkerCapabilities.ContainsKey(NullableHttpCapability);
        var http = new RpcHttp { Method = forwarded.Method.Method, Url = new Uri(HttpUri, pathAndQuery).ToString() };
        var headers = forwarded.Headers.Concat(forwarded.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>());
        foreach (var (name, values) in headers)
            Add(nullable ? null : http.Headers, http.NullableHeaders, name.ToLowerInvariant(), string.Join(",", values));
        foreach (var (name, values) in QueryHelpers.ParseQuery(forwarded.RequestUri!.Query))
            Add(nullable ? null : http.Query, http.NullableQuery, name, values.ToString());
        return http;

        void Add(IDictionary<string, string>? plain, IDictionary<string, NullableString> nullableMap, string key, string value)
        {
            if (plain is not null)
                plain[key] = value;
            else
                nullableMap[key] = new NullableString { Value = value };
        }
    }

    public ReportedFunction Function(string name) =>
        Functions.SingleOrDefault(f => f.Name == name)
        ?? throw new ArgumentException($"The worker reported no function '{name}', only: {string.Join(", ", Functions.Select(f => f.Name))}", nameof(name));

    /// <summary>
    /// Every invocation carries a trace context: the .NET worker reads it unconditionally, and an InvocationRequest
    /// without one fails inside the worker before the function runs.
    /// </summary>
    private static InvocationRequest NewInvocation(ReportedFunction function, string? invocationId = null) => new()
    {
        InvocationId = invocationId ?? Guid.NewGuid().ToString(),
        FunctionId = function.FunctionId,
        TraceContext = new RpcTraceContext
        {
            TraceParent = $"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-01",
            TraceState = "",
        },
    };

    private async Task<StreamingMessage> RequestAsync(StreamingMessage message, StreamingMessage.ContentOneofCase expected, string what, TimeSpan timeout)
    {
        var reply = await WithinAsync(_channel!.RequestAsync(message), timeout, $"the worker's reply to {what}");
        if (reply.ContentCase != expected)
            throw Failure($"The worker answered {what} with {reply.ContentCase}, not {expected}.");
        return reply;
    }

    /// <summary>Waits for <paramref name="task"/>, but not past <paramref name="timeout"/> and not past the worker's exit.</summary>
    private async Task<T> WithinAsync<T>(Task<T> task, TimeSpan timeout, string what)
    {
        if (timeout <= TimeSpan.Zero)
            timeout = TimeSpan.FromMilliseconds(1);
        using var timer = new CancellationTokenSource();
        var deadline = Task.Delay(timeout, timer.Token);
        var first = await Task.WhenAny(task, _worker.Exited, deadline);
        await timer.CancelAsync();
        if (first == task)
        {
            try
            {
                return await task;
            }
            catch (Exception e) when (e is not WorkerExitedException)
            {
                throw Failure($"Waiting for {what} failed: {e.GetType().Name}: {e.Message}", e);
            }
        }
        if (first == _worker.Exited)
            throw new WorkerExitedException(await _worker.Exited, _worker.Output,
                $"The worker exited with code {await _worker.Exited} while the host waited for {what}.\n{Diagnostics()}");
        throw new TimeoutException($"No {what} within {timeout.TotalSeconds:0.#} s.\n{Diagnostics()}");
    }

    private async Task WaitForHttpServerAsync(TimeSpan timeout)
    {
        async Task<bool> ListeningAsync()
        {
            while (true)
            {
                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(HttpUri.Host, HttpUri.Port);
                    return true;
                }
                catch (SocketException)
                {
                    await Task.Delay(50);
                }
            }
        }
        await WithinAsync(ListeningAsync(), timeout, $"the worker's HTTP server to listen at {HttpUri}");
    }

    private void EnsureSuccess(StatusResult? result, string what)
    {
        if (result?.Status == StatusResult.Types.Status.Success)
            return;
        var exception = result?.Exception;
        throw Failure($"The worker reported {result?.Status.ToString() ?? "no status"} for {what}: "
                      + (exception is null ? result?.Result : $"{exception.Type} {exception.Message}\n{exception.StackTrace}"));
    }

    private InvalidOperationException Failure(string message, Exception? inner = null) => new($"{message}\n{Diagnostics()}", inner);

    /// <summary>What a failing test needs to see: the worker's state, its last output lines and its last logs.</summary>
    private string Diagnostics()
    {
        var state = _worker.Exited.IsCompleted ? $"exited with code {_worker.Exited.Result}" : "still running";
        var logs = new StringBuilder();
        foreach (var log in Logs.TakeLast(30))
            logs.Append("  [").Append(log.Level).Append("] ").Append(log.Category).Append(": ").Append(log.Message)
                .Append(log.Exception is { } e ? $" ({e.Type} {e.Message})" : "").Append('\n');
        return $"Worker (pid {_worker.Id}) {state}.\n--- worker output (last lines) ---\n{_worker.OutputTail()}\n--- worker logs over gRPC (last) ---\n{logs}";
    }

    public async ValueTask DisposeAsync()
    {
        _worker.Dispose();
        _http.Dispose();
        await _server.DisposeAsync();
    }
}
