using System.Text.RegularExpressions;

namespace WxShare.Cards;

/// <summary>The shapes the card routes accept for each parameter, as WeChat's card API documents them.</summary>
internal static partial class CardParameterShapes
{
    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    public static partial Regex CardId();

    /// <summary>Card codes are digits by default, custom codes any visible ASCII.</summary>
    [GeneratedRegex("^[\\x21-\\x7E]{1,128}$")]
    public static partial Regex Code();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    public static partial Regex OpenId();

    [GeneratedRegex("^[0-9]{1,10}$")]
    public static partial Regex UnixSeconds();

    [GeneratedRegex("^[^\\p{C}]{1,128}$")]
    public static partial Regex OuterStr();

    [GeneratedRegex("^[0-9]{1,20}$")]
    public static partial Regex ShopId();

    [GeneratedRegex("^[A-Z_]{1,32}$")]
    public static partial Regex CardType();
}
