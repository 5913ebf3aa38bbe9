using Microsoft.Extensions.Logging;

namespace CamStreamd.Recording;

/// <summary>Log messages of the recorder (event ids 8100–8119).</summary>
internal static partial class RecordingLog
{
    [LoggerMessage(EventId = 8100, Level = LogLevel.Information, Message = "Stream {Stream}: recording to {Directory} ({SegmentSeconds} s segments of {PartSeconds} s parts)")]
    public static partial void Started(ILogger logger, string stream, string directory, int segmentSeconds, double partSeconds);

    [LoggerMessage(EventId = 8101, Level = LogLevel.Debug, Message = "Stream {Stream}: segment {File} started")]
    public static partial void SegmentStarted(ILogger logger, string stream, string file);

    [LoggerMessage(EventId = 8102, Level = LogLevel.Information, Message = "Stream {Stream}: deleted segment {File} ({Reason})")]
    public static partial void Deleted(ILogger logger, string stream, string file, string reason);

    [LoggerMessage(EventId = 8103, Level = LogLevel.Warning, Message = "Stream {Stream}: recording paused: {FreeMegabytes} MB free in {Directory}, below minFreeMegabytes {MinFreeMegabytes}, and no older segment left to delete; streaming goes on")]
    public static partial void Paused(ILogger logger, string stream, string directory, long freeMegabytes, long minFreeMegabytes);

    [LoggerMessage(EventId = 8104, Level = LogLevel.Information, Message = "Stream {Stream}: recording resumed ({FreeMegabytes} MB free)")]
    public static partial void Resumed(ILogger logger, string stream, long freeMegabytes);

    [LoggerMessage(EventId = 8105, Level = LogLevel.Error, Message = "Stream {Stream}: recording failed: {Reason}; retrying at the next keyframe after {DelaySeconds} s")]
    public static partial void Failed(ILogger logger, string stream, string reason, double delaySeconds);

    [LoggerMessage(EventId = 8106, Level = LogLevel.Information, Message = "Stream {Stream}: recording stopped")]
    public static partial void Stopped(ILogger logger, string stream);
}
