using System.Text.Json;
using WxShare.Functions.Tests.FunctionsHost.Protocol;

namespace WxShare.Functions.Tests.FunctionsHost;

/// <summary>A function as the worker reported it in its FunctionMetadataResponse, with its raw bindings parsed.</summary>
public sealed class ReportedFunction
{
    internal ReportedFunction(RpcFunctionMetadata metadata)
    {
        Metadata = metadata;
        Bindings = metadata.RawBindings.Select(raw => JsonDocument.Parse(raw).RootElement.Clone()).ToList();
    }

    public RpcFunctionMetadata Metadata { get; }
    public string Name => Metadata.Name;
    public string FunctionId => Metadata.FunctionId;
    public IReadOnlyList<JsonElement> Bindings { get; }

    /// <summary>The one binding whose type ends in "Trigger" (httpTrigger, timerTrigger, ...).</summary>
    public JsonElement Trigger => Bindings.Single(b => BindingType(b).EndsWith("Trigger", StringComparison.OrdinalIgnoreCase));

    public bool IsTriggeredBy(string type) => BindingType(Trigger).Equals(type, StringComparison.OrdinalIgnoreCase);

    public static string BindingType(JsonElement binding) => binding.GetProperty("type").GetString() ?? "";

    public override string ToString() =>
        $"{Name} ({string.Join(", ", Bindings.Select(b => b.GetRawText()))})";
}
