namespace WxShare.Refresh;

public enum RefreshResult
{
    NotDue,
    Refreshed,
    /// <summary>WeChat refused or failed; the failure is recorded and the stored credentials are untouched.</summary>
    Failed,
    BackingOff,
    LeasedByOther,
    /// <summary>Another writer changed the row between our read and our write; we wrote nothing.</summary>
    LostRace,
    /// <summary>A guard of the caller's (forced or relay refresh) declined before the row was leased; never a tick's result.</summary>
    Refused,
}
