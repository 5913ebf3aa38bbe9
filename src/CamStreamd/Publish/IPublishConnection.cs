using CamStreamd.Media;

namespace CamStreamd.Publish;

/// <summary>One established session with an upstream server, ready for access units.</summary>
internal interface IPublishConnection : IAsyncDisposable
{
    /// <summary>Completes when the upstream closed the session or it broke (the failure is then in <see cref="Failure"/>).</summary>
    Task Closed { get; }

    /// <summary>Why the session ended, or null.</summary>
    Exception? Failure { get; }

    /// <summary>Sends one access unit; returns the bytes written. Throws when the session is broken.</summary>
    ValueTask<int> SendAsync(AccessUnit unit, CancellationToken cancellationToken);
}
