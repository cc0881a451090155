using Microsoft.Extensions.Configuration;

namespace WxShare.Configuration;

/// <summary>One key as the operator typed it: <c>Keys__&lt;name&gt;__Secret</c>, <c>__NextSecret</c>, <c>__Accounts</c>, <c>__Routes</c>.</summary>
public sealed class KeySettings
{
    /// <summary><c>&lt;name&gt;</c> of <c>Keys__&lt;name&gt;__*</c>: what logs and 403s call the caller.</summary>
    public string Name { get; set; } = "";
    public string? Secret { get; set; }
    /// <summary>The secret that replaces <see cref="Secret"/>: both are accepted while callers move over.</summary>
    public string? NextSecret { get; set; }
    /// <summary>Account names or appIds, comma-separated, or <c>*</c>.</summary>
    public string? Accounts { get; set; }
    /// <summary>Any of <see cref="Http.KeyRoutes.All"/>, comma-separated, or <c>*</c>.</summary>
    public string? Routes { get; set; }

    public string SettingName(string key) => Configuration.SettingName.Of($"{KeysOptions.Section}__{Name}", key);

    // The secrets are secrets: never print them.
    public override string ToString() => $"KeySettings {{ Name = {Name} }}";
}

/// <summary>The keys of the key-protected routes, one <c>Keys__&lt;name&gt;__*</c> group each; the same on both hosts.</summary>
public sealed class KeysOptions
{
    public const string Section = "Keys";

    /// <summary>The pre-1.0 setting the keys replace; start-up refuses it so that a forgotten one is not silently ignored.</summary>
    public const string RetiredSetting = "Relay__Keys";

    public List<KeySettings> Keys { get; } = [];

    /// <summary>Whether <see cref="RetiredSetting"/> is still set (its value is never kept: it holds secrets).</summary>
    public bool RetiredSettingIsSet { get; set; }

    public void Load(IConfiguration configuration)
    {
        Keys.Clear();
        foreach (var section in configuration.GetSection(Section).GetChildren())
        {
            var key = new KeySettings();
            section.Bind(key);
            key.Name = section.Key;
            Keys.Add(key);
        }
        RetiredSettingIsSet = !string.IsNullOrWhiteSpace(configuration["Relay:Keys"]);
    }
}
