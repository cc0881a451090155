using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using WxShare.Accounts;
using WxShare.Signing;

namespace WxShare.Cards;

/// <summary>
/// Reads the query of a card route: each parameter at most once, in its documented shape, and nothing unexpected,
/// with the same JSON errors as the url parameter of the config route (<c>&lt;name&gt;_missing</c>, <c>_repeated</c>, <c>_invalid</c>).
/// </summary>
internal sealed partial class CardQuery
{
    private readonly IQueryCollection _query;
    private readonly HashSet<string> _known = new(StringComparer.OrdinalIgnoreCase) { AccountSelector.AppIdParameter, "_" };

    public CardQuery(IQueryCollection query) => _query = query;

    public Refusal? Rejection { get; private set; }

    public string? Required(string name, Regex shape, string what) => Read(name, shape, what, required: true);

    public string? Optional(string name, Regex shape, string what) => Read(name, shape, what, required: false);

    /// <summary>After reading every parameter: refuses any other, as a spilled or mistyped parameter would otherwise be ignored.</summary>
    public Refusal? Finish()
    {
        if (Rejection is null && _query.Keys.Where(k => !_known.Contains(k)).ToArray() is { Length: > 0 } unknown)
            Rejection = Refusal.Invalid("parameter_unknown",
                $"Unexpected query parameter(s) {string.Join(", ", unknown.Select(k => $"'{k}'"))}. This route takes {string.Join(", ", _known.Where(k => k != "_").Select(k => $"'{k}'"))}.");
        return Rejection;
    }

    private string? Read(string name, Regex shape, string what, bool required)
    {
        _known.Add(name);
        if (Rejection is not null)
            return null;
        var values = _query[name];
        var code = SnakeCase(name);
        if (values.Count > 1)
            return Reject(Refusal.Invalid($"{code}_repeated", $"The query parameter '{name}' appears more than once."));
        var value = values.ToString();
        if (value.Length == 0)
            return required ? Reject(Refusal.Invalid($"{code}_missing", $"The query parameter '{name}' is missing or empty: give {what}.")) : null;
        if (!shape.IsMatch(value))
            return Reject(Refusal.Invalid($"{code}_invalid",
                $"The query parameter '{name}' ('{(value.Length <= 40 ? value : value[..40] + "...")}') is not {what}."));
        return value;
    }

    private string? Reject(Refusal rejection)
    {
        Rejection = rejection;
        return null;
    }

    private static string SnakeCase(string name) => SnakeCaseBoundary().Replace(name, "_$1").ToLowerInvariant();

    [GeneratedRegex("(?<=[a-z])([A-Z])")]
    private static partial Regex SnakeCaseBoundary();
}
