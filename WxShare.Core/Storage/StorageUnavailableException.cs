namespace WxShare.Storage;

/// <summary>
/// Reading or writing the credentials failed for any reason (Table Storage refused, timed out, retries ran out, authentication
/// failed). Wrapping them all lets the request path answer 503 without knowing every client library's exceptions.
/// </summary>
public sealed class StorageUnavailableException(string storageKey, Exception inner)
    : Exception($"The credentials of {storageKey} could not be read or written: Table Storage did not answer.", inner);
