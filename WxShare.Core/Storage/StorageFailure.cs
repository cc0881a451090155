using Azure;

namespace WxShare.Storage;

/// <summary>Whether an exception means "Table Storage could not answer".</summary>
public static class StorageFailure
{
    /// <summary>
    /// A RequestFailedException, or what Azure.Core throws once its retries are spent on a storage account that does
    /// not answer at all (connection refused): an AggregateException of RequestFailedExceptions.
    /// </summary>
    public static bool Is(Exception exception) =>
        exception is RequestFailedException
        || (exception is AggregateException aggregate && aggregate.InnerExceptions.All(e => e is RequestFailedException));
}
