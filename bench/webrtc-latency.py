#!/usr/bin/python3
"""Glass-to-glass latency of WebRTC (WHEP) playback in headless Chromium, for bench/bench.sh.

    webrtc-latency.py HTTP_BASE STREAM WIDTH HEIGHT [FRAMES [WARMUP_SECONDS [TIMEOUT_SECONDS]]]

WEBRTC_LATENCY_CHROMIUM_FLAGS (environment): more Chromium flags, space-separated.

Serves a page on 127.0.0.1 (an ephemeral port) and opens it in Debian's `chromium` (headless,
flags as the browser tests use them). The page plays STREAM of the daemon at HTTP_BASE through
WHEP with a plain RTCPeerConnection (as the daemon's own web page does: no jitter-buffer hint),
and for every video frame the browser presents (requestVideoFrameCallback) draws the time stripe
(TestPatternRenderer.TimeStripe: 32 cells of width/40 pixels along the bottom edge, black 0 /
white 1, the low 32 bits of the frame's capture time on CLOCK_MONOTONIC in ms, most significant
first) onto a canvas, reads it back (getImageData) and decodes it.

The clocks: the stripe is CLOCK_MONOTONIC. The page's performance.now() is a monotonic clock with
an unknown origin (Chromium on Linux takes it from CLOCK_MONOTONIC too, but the origin is not
exposed), so the page learns the offset from this script: it fetches /clock (CLOCK_MONOTONIC in
ms, read by the server between request and response) 40 times and keeps the probe with the
shortest round trip: offset = clock - (sent + received) / 2, wrong by at most half that round
trip (printed; a fraction of a millisecond on loopback). It measures the offset again after the
frames: the difference (printed as drift) shows whether the two clocks are one clock.

Per frame, in ms after the capture time: `receive` (metadata.receiveTime: the frame's last
packet arrived), `presented` (metadata.presentationTime: the decoded frame was handed to the
compositor) and `read` (performance.now() once the stripe was read back from the canvas in the
callback: the picture is on the page; the figure reported as glass to glass. The callback runs in
the rendering step after the frame was presented, so `read` may be up to one display refresh,
16.7 ms at 60 Hz, plus the main thread's own delay later than the picture reached the screen). The first WARMUP_SECONDS after the
first frame are left out (the cached GOP a new viewer gets at once is old by design), then FRAMES
frames are kept. Prints one line per frame, "receive presented read" (ms, one decimal), then
"# " lines: the clock offset probes, the frames that could not be read, and the inbound-rtp
stats per frame (jitter buffer, decode, first packet to decoded). Exit 1 if the page reported no frames before the timeout.
"""
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

PAGE = """<!doctype html>
<meta charset="utf-8"><title>camstreamd WebRTC latency</title>
<video id="v" muted autoplay playsinline></video>
<canvas id="c"></canvas>
<script>
const config = __CONFIG__;
const video = document.getElementById('v');
const canvas = document.getElementById('c');
const cell = Math.max(2, Math.floor(config.width / 40) & ~1);
const stripeHeight = Math.min(16, Math.max(2, Math.floor(config.height / 16) & ~1));
canvas.width = 32 * cell;
canvas.height = stripeHeight;
const context = canvas.getContext('2d', { willReadFrequently: true });
const report = (body) => fetch('/report', { method: 'POST', body: JSON.stringify(body) });
const TWO32 = 4294967296;

// CLOCK_MONOTONIC (ms) minus performance.now(): the probe with the shortest round trip.
async function clockOffset(probes) {
  let best = null;
  for (let i = 0; i < probes; i++) {
    const sent = performance.now();
    const monotonic = parseFloat(await (await fetch('/clock', { cache: 'no-store' })).text());
    const received = performance.now();
    const rtt = received - sent;
    if (best === null || rtt < best.rtt) best = { rtt, offset: monotonic - (sent + received) / 2 };
  }
  return best;
}

// ms from the stripe's capture time to `at` (performance.now() time base), wrap-safe on 32 bits.
const since = (stamp, at, offset) => {
  let d = (at + offset) - stamp;
  d -= TWO32 * Math.round(d / TWO32);
  return d;
};

async function main() {
  const before = await clockOffset(40);
  const pc = new RTCPeerConnection();
  pc.addTransceiver('video', { direction: 'recvonly' });
  pc.ontrack = (e) => { video.srcObject = e.streams[0] || new MediaStream([e.track]); video.play().catch(() => {}); };
  await pc.setLocalDescription(await pc.createOffer());
  const response = await fetch(config.whep, { method: 'POST', headers: { 'Content-Type': 'application/sdp' }, body: pc.localDescription.sdp });
  const answer = await response.text();
  if (response.status !== 201) { await report({ error: `WHEP POST ${response.status}: ${answer}` }); return; }
  await pc.setRemoteDescription({ type: 'answer', sdp: answer });

  const rows = [];
  let first = null, unreadable = 0, lastStamp = null, repeated = 0;
  await new Promise((done) => {
    const onFrame = (now, meta) => {
      context.drawImage(video, 0, config.height - stripeHeight, 32 * cell, stripeHeight, 0, 0, 32 * cell, stripeHeight);
      const pixels = context.getImageData(0, stripeHeight >> 1, 32 * cell, 1).data;
      const read = performance.now();
      let stamp = 0, ok = true;
      for (let bit = 0; bit < 32; bit++) {
        const x = bit * cell + (cell >> 1);
        const luma = (pixels[4 * x] + pixels[4 * x + 1] + pixels[4 * x + 2]) / 3;
        // A cell is black or white; anything far from both is a misread (scaling, a damaged frame).
        if (luma > 64 && luma < 192) ok = false;
        stamp = stamp * 2 + (luma >= 128 ? 1 : 0);
      }
      if (first === null) first = read;
      if (!ok) unreadable++;
      else if (stamp === lastStamp) repeated++;
      else if (read - first >= config.warmupSeconds * 1000) {
        rows.push([meta.receiveTime, meta.presentationTime, read].map((at) => since(stamp, at ?? NaN, before.offset)));
      }
      if (ok) lastStamp = stamp;
      if (rows.length >= config.frames) done(); else video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  });

  const after = await clockOffset(40);
  const stats = {};
  (await pc.getStats()).forEach((s) => {
    if (s.type === 'inbound-rtp' && s.kind === 'video') {
      for (const key of ['framesReceived', 'framesDecoded', 'framesDropped', 'jitterBufferDelay', 'jitterBufferTargetDelay', 'jitterBufferMinimumDelay',
        'jitterBufferEmittedCount', 'totalDecodeTime', 'totalProcessingDelay', 'totalAssemblyTime', 'framesAssembledFromMultiplePackets', 'nackCount', 'pliCount',
        'packetsLost', 'frameWidth', 'frameHeight', 'decoderImplementation']) stats[key] = s[key];
    }
  });
  await report({ rows, before, after, unreadable, repeated, stats });
  pc.close();
}
main().catch((e) => report({ error: String(e && e.stack || e) }));
</script>
"""


def main():
    base, stream, width, height = sys.argv[1].rstrip("/"), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    frames = int(sys.argv[5]) if len(sys.argv) > 5 else 300
    warmup = float(sys.argv[6]) if len(sys.argv) > 6 else 3.0
    timeout = float(sys.argv[7]) if len(sys.argv) > 7 else 30 + warmup + frames / 10
    config = {"whep": f"{base}/streams/{stream}/whep", "width": width, "height": height, "frames": frames, "warmupSeconds": warmup}
    page = PAGE.replace("__CONFIG__", json.dumps(config)).encode()
    result = {}
    reported = threading.Event()

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def reply(self, body, kind):
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            if self.path == "/clock":
                # Read as late as possible: the reply's bytes follow at once.
                self.reply(f"{time.clock_gettime(time.CLOCK_MONOTONIC) * 1000:.3f}".encode(), "text/plain")
            else:
                self.reply(page, "text/html; charset=utf-8")

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            result.update(json.loads(body))
            self.reply(b"ok", "text/plain")
            reported.set()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    profile = tempfile.mkdtemp(prefix="camstreamd-chromium-")
    browser = subprocess.Popen(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--allow-loopback-in-peer-connection", "--disable-features=WebRtcHideLocalIpsWithMdns",
         "--autoplay-policy=no-user-gesture-required", f"--user-data-dir={profile}", "--remote-debugging-port=0",
         "--window-size=1280,800", *os.environ.get("WEBRTC_LATENCY_CHROMIUM_FLAGS", "").split(),
         f"http://127.0.0.1:{server.server_address[1]}/"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        reported.wait(timeout)
    finally:
        browser.terminate()
        try:
            browser.wait(10)
        except subprocess.TimeoutExpired:
            browser.kill()
            browser.wait()
        server.shutdown()
        shutil.rmtree(profile, ignore_errors=True)

    if "error" in result or not result.get("rows"):
        print(f"# no frames: {result.get('error', 'the page did not report within %.0f s' % timeout)}", file=sys.stderr)
        return 1
    for row in result["rows"]:
        print("\t".join("nan" if value is None else f"{value:.1f}" for value in row))
    before, after = result["before"], result["after"]
    print(f"# clock offset: shortest probe round trip {before['rtt']:.2f} ms before, {after['rtt']:.2f} ms after; "
          f"drift {after['offset'] - before['offset']:+.2f} ms")
    print(f"# frames unreadable {result['unreadable']}, repeated {result['repeated']}")
    stats = result["stats"]
    frames_out = max(1, stats.get("jitterBufferEmittedCount") or 0)
    decoded = max(1, stats.get("framesDecoded") or 0)
    print(f"# inbound-rtp: {stats.get('framesDecoded')} frames decoded of {stats.get('framesReceived')} received, "
          f"{stats.get('framesDropped')} dropped, {stats.get('frameWidth')}x{stats.get('frameHeight')}; per frame: jitter buffer "
          f"{1000 * (stats.get('jitterBufferDelay') or 0) / frames_out:.1f} ms (target {1000 * (stats.get('jitterBufferTargetDelay') or 0) / frames_out:.1f} ms), "
          f"decode {1000 * (stats.get('totalDecodeTime') or 0) / decoded:.1f} ms, first packet to decoded "
          f"{1000 * (stats.get('totalProcessingDelay') or 0) / decoded:.1f} ms; NACKs {stats.get('nackCount')}, PLIs {stats.get('pliCount')}, "
          f"packets lost {stats.get('packetsLost')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
