namespace WxShare.Configuration;

/// <summary>The standalone host's keys for the key-protected routes (the Functions app uses its function keys instead).</summary>
public sealed class RelayOptions
{
    public const string Section = "Relay";

    /// <summary>
    /// <c>name=key</c> pairs separated by <c>;</c> (or <c>,</c>), e.g. <c>menus=3q…;crm=Zt…</c>. The name is what the
    /// log says for each call; the key is what the caller sends. Parsed by <see cref="Http.AccessKeys"/>.
    /// </summary>
    public string Keys { get; set; } = "";
}
