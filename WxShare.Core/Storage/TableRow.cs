using Azure;
using Azure.Data.Tables;

namespace WxShare.Storage;

/// <summary>
/// What every row WxShare stores has (<see cref="ITableEntity"/>): its keys, the server's timestamp and the ETag the
/// conditional writes check. A row type adds only its own columns.
/// </summary>
internal abstract class TableRow(string rowKey) : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = rowKey;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }
}
