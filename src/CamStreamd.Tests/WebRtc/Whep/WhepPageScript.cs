namespace CamStreamd.Tests.WebRtc.Whep;

/// <summary>
/// The JavaScript the browser tests evaluate in a page of the daemon's origin: a minimal WHEP
/// player (recvonly RTCPeerConnection, POST the offer, set the answer) that keeps each connection
/// in <c>window.players</c>, notes when its first frame was decoded (getStats every 20 ms), and
/// reports inbound-rtp counters.
/// </summary>
internal static class WhepPageScript
{
    /// <summary>Defines <c>window.startPlayer(stream)</c> (resolves to {status, location, index}) and <c>window.playerStats()</c>.</summary>
    public const string Install = """
        (() => {
          window.players = [];
          window.startPlayer = async (stream) => {
            const pc = new RTCPeerConnection();
            pc.addTransceiver('video', { direction: 'recvonly' });
            await pc.setLocalDescription(await pc.createOffer());
            const t0 = performance.now();
            const r = await fetch(`/streams/${stream}/whep`, { method: 'POST', headers: { 'Content-Type': 'application/sdp' }, body: pc.localDescription.sdp });
            const body = await r.text();
            if (r.status !== 201) { pc.close(); return { status: r.status, body }; }
            await pc.setRemoteDescription({ type: 'answer', sdp: body });
            const player = { pc, location: r.headers.get('Location'), t0, firstFrameMs: null };
            const index = window.players.push(player) - 1;
            const poll = async () => {
              if (player.firstFrameMs !== null || pc.connectionState === 'closed') return;
              const stats = await pc.getStats();
              stats.forEach(s => { if (s.type === 'inbound-rtp' && s.kind === 'video' && s.framesDecoded > 0 && player.firstFrameMs === null) player.firstFrameMs = performance.now() - t0; });
              setTimeout(poll, 20);
            };
            poll();
            return { status: 201, location: player.location, etag: r.headers.get('ETag'), index };
          };
          window.playerStats = async () => Promise.all(window.players.map(async p => {
            const out = { state: p.pc.connectionState, firstFrameMs: p.firstFrameMs, framesDecoded: 0, framesReceived: 0, width: 0, height: 0, nackCount: 0, pliCount: 0, jitterBufferDelay: 0, jitterBufferEmittedCount: 0 };
            (await p.pc.getStats()).forEach(s => {
              if (s.type === 'inbound-rtp' && s.kind === 'video') {
                Object.assign(out, { framesDecoded: s.framesDecoded ?? 0, framesReceived: s.framesReceived ?? 0, width: s.frameWidth ?? 0, height: s.frameHeight ?? 0,
                  nackCount: s.nackCount ?? 0, pliCount: s.pliCount ?? 0, jitterBufferDelay: s.jitterBufferDelay ?? 0, jitterBufferEmittedCount: s.jitterBufferEmittedCount ?? 0 });
              }
            });
            return out;
          }));
          return true;
        })()
        """;
}
