using Microsoft.Extensions.Configuration;

namespace WxShare.Platform;

/// <summary>Every third-party platform WxShare serves: one per <c>Platforms__&lt;name&gt;__*</c> group; none by default.</summary>
public sealed class PlatformsOptions
{
    public const string Section = "Platforms";

    public List<PlatformSettings> Platforms { get; } = [];

    public void Load(IConfiguration configuration)
    {
        Platforms.Clear();
        foreach (var section in configuration.GetSection(Section).GetChildren())
        {
            var platform = new PlatformSettings();
            section.Bind(platform);
            platform.Name = section.Key;
            Platforms.Add(platform);
        }
    }

    /// <summary>The platform of this name (names are case-sensitive, lower-case by validation), or null.</summary>
    public PlatformSettings? Find(string? name) => Platforms.FirstOrDefault(p => p.Name == name);
}
