using System.Net;
using CamStreamd.Media;
using Microsoft.AspNetCore.Http;

namespace CamStreamd.Http;

/// <summary>An MJPEG viewer held in the <c>mjpeg</c> budget: it plays, so it is never evicted; newcomers over the budget get 503.</summary>
internal sealed class MjpegViewer : IBudgetedConnection
{
    private readonly HttpContext _context;

    public MjpegViewer(HttpContext context)
    {
        _context = context;
        RemoteAddress = context.Connection.RemoteIpAddress ?? IPAddress.None;
    }

    /// <inheritdoc />
    public IPAddress RemoteAddress { get; }

    /// <inheritdoc />
    public EvictionRank Rank => EvictionRank.Never;

    /// <inheritdoc />
    public void Evict() => _context.Abort();
}
