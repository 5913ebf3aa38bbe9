using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Tests.Rtsp.TestSupport;

/// <summary>A logger factory that keeps every log line (event id and message) for assertions.</summary>
internal sealed class ListLoggerFactory : ILoggerFactory, ILoggerProvider, ILogger
{
    public ConcurrentQueue<(int EventId, LogLevel Level, string Message)> Lines { get; } = new();

    public IReadOnlyList<(int EventId, LogLevel Level, string Message)> WithId(int eventId) => [.. Lines.Where(l => l.EventId == eventId)];

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Enqueue((eventId.Id, logLevel, formatter(state, exception)));

    public void Dispose()
    {
    }
}
