using System.Net;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Media;

/// <summary>Log messages of the connection budgets (event ids 8000–8019, stable); each stands for a count since its last line.</summary>
internal static partial class ConnectionBudgetLog
{
    [LoggerMessage(EventId = 8000, Level = LogLevel.Warning, Message = "{Budget}: {Count} connections that held nothing evicted since the last such line, for newcomers or silent under pressure (latest {Remote}); {Open}/{Limit} open")]
    public static partial void Evicted(ILogger logger, string budget, long count, IPAddress remote, int open, int limit);

    [LoggerMessage(EventId = 8001, Level = LogLevel.Warning, Message = "{Budget}: {Count} newcomers refused since the last such line (latest {Remote}: {Reason}); {Open}/{Limit} open, {PerAddress} per address")]
    public static partial void Refused(ILogger logger, string budget, long count, IPAddress remote, string reason, int open, int limit, int perAddress);
}
