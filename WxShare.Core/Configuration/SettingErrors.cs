using Microsoft.Extensions.Options;

namespace WxShare.Configuration;

/// <summary>
/// The errors a validator finds in one section's settings, each naming its setting as operators type it
/// (<see cref="SettingName"/>); the range check every numeric setting needs is written here once.
/// </summary>
internal sealed class SettingErrors(string section)
{
    private readonly List<string> errors = [];

    public string Name(string key) => SettingName.Of(section, key);

    public void Add(string error) => errors.Add(error);

    /// <summary>Adds "&lt;setting&gt; must be between min and max&lt;why&gt;." when the value is outside; says whether it is inside.</summary>
    public bool InRange(string key, int value, int min, int max, string why = "")
    {
        if (value >= min && value <= max)
            return true;
        errors.Add($"{Name(key)} must be between {min} and {max}{why}.");
        return false;
    }

    public ValidateOptionsResult Result() => errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
}
