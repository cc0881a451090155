using WxShare.Signing;

namespace WxShare.Accounts;

/// <summary>The account that signs a page, or why none can.</summary>
public sealed record AccountSelection(Account? Account, Refusal? Rejection);
