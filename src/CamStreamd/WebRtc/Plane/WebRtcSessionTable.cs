using System.Collections.Concurrent;
using System.Net;

namespace CamStreamd.WebRtc.Plane;

/// <summary>
/// The live sessions, found three ways: by id (the WHEP resource), by our ICE ufrag (a STUN check's
/// USERNAME, looked up from the datagram's bytes without a string) and by the peer's address (DTLS
/// and SRTCP carry no session id). Lookups take no lock and allocate nothing.
/// </summary>
internal sealed class WebRtcSessionTable
{
    private readonly ConcurrentDictionary<string, WebRtcSession> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, WebRtcSession> _byUfrag = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<SocketAddress, WebRtcSession> _byAddress = new();
    private readonly ConcurrentDictionary<string, WebRtcSession>.AlternateLookup<ReadOnlySpan<char>> _ufragLookup;

    public WebRtcSessionTable()
    {
        _ufragLookup = _byUfrag.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Sessions now.</summary>
    public int Count => _byId.Count;

    /// <summary>Every session (a snapshot).</summary>
    public IReadOnlyCollection<WebRtcSession> All => [.. _byId.Values];

    public void Add(WebRtcSession session)
    {
        _byId[session.Id] = session;
        _byUfrag[session.Credentials.Ufrag] = session;
    }

    public WebRtcSession? ById(string id) => _byId.GetValueOrDefault(id);

    public WebRtcSession? ByUfrag(ReadOnlySpan<char> ufrag) => _ufragLookup.TryGetValue(ufrag, out var session) ? session : null;

    public WebRtcSession? ByAddress(SocketAddress address) => _byAddress.TryGetValue(address, out var session) ? session : null;

    /// <summary>Routes DTLS and SRTCP from <paramref name="address"/> to <paramref name="session"/>.</summary>
    public void MapAddress(SocketAddress address, WebRtcSession session) => _byAddress[address] = session;

    public void Remove(WebRtcSession session)
    {
        _byId.TryRemove(new KeyValuePair<string, WebRtcSession>(session.Id, session));
        _byUfrag.TryRemove(new KeyValuePair<string, WebRtcSession>(session.Credentials.Ufrag, session));
        foreach (var entry in _byAddress)
        {
            if (ReferenceEquals(entry.Value, session))
            {
                _byAddress.TryRemove(entry);
            }
        }
    }
}
