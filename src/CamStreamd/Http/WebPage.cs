namespace CamStreamd.Http;

/// <summary>
/// <c>GET /</c>: one self-contained page (no front-end build, no external files) that shows every
/// stream live over WebRTC (WHEP from the page; MJPEG where WebRTC fails or is disabled), the
/// latency the browser reports, its stats refreshed each second from <c>/api/streams</c>, and its
/// RTSP URL to copy. Streams added or removed through the API appear and disappear on the next refresh.
/// </summary>
internal static class WebPage
{
    /// <summary>The page's content type.</summary>
    public const string ContentType = "text/html; charset=utf-8";

    /// <summary>The page, as UTF-8.</summary>
    public static ReadOnlyMemory<byte> Utf8 { get; } = System.Text.Encoding.UTF8.GetBytes(Html);

    private const string Html = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>camstreamd</title>
        <style>
          :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
          body { margin: 1rem; }
          h1 { font-size: 1.3rem; margin: 0 0 1rem; }
          #streams { display: flex; flex-wrap: wrap; gap: 1rem; }
          .stream { border: 1px solid #8884; border-radius: 6px; padding: .6rem; max-width: 660px; }
          .stream h2 { font-size: 1.05rem; margin: 0 0 .4rem; }
          .stream img, .stream video { display: block; max-width: 640px; width: 100%; background: #000; }
          .latency { font-size: .8rem; color: #888; margin: .2rem 0; }
          .state { font-size: .8rem; padding: .05rem .4rem; border-radius: 4px; background: #8883; margin-left: .4rem; }
          .state.running { background: #2a7a2a; color: #fff; }
          .state.failed { background: #a22; color: #fff; }
          .url { display: flex; gap: .3rem; margin: .4rem 0; }
          .url input { flex: 1; font-family: monospace; }
          table { border-collapse: collapse; font-size: .85rem; }
          td { padding: 0 .8rem 0 0; }
          td:first-child { color: #888; }
          #error { color: #c33; }
        </style>
        </head>
        <body>
        <h1>camstreamd</h1>
        <p id="error"></p>
        <div id="streams"></div>
        <script>
        "use strict";
        const container = document.getElementById("streams");
        const cards = new Map();

        function el(tag, props, ...children) {
          const node = Object.assign(document.createElement(tag), props || {});
          for (const child of children) node.append(child);
          return node;
        }

        function makeCard(s) {
          const img = el("img", { className: "live", alt: s.name + " (MJPEG)", hidden: true });
          img.dataset.stream = s.name;
          const video = el("video", { className: "webrtc", muted: true, autoplay: true, playsInline: true, hidden: true });
          video.dataset.stream = s.name;
          const latency = el("div", { className: "latency" });
          const state = el("span", { className: "state" });
          const url = el("input", { readOnly: true, value: s.urls.rtsp || "" });
          const copy = el("button", { type: "button", textContent: "Copy" });
          copy.addEventListener("click", async () => {
            url.select();
            try { await navigator.clipboard.writeText(url.value); } catch { document.execCommand("copy"); }
            copy.textContent = "Copied";
            setTimeout(() => { copy.textContent = "Copy"; }, 1500);
          });
          const stats = el("tbody");
          const card = el("section", { className: "stream" },
            el("h2", {}, s.name, state), video, img, latency, el("div", { className: "url" }, url, copy), el("table", {}, stats));
          card.dataset.stream = s.name;
          container.append(card);
          const c = { card, img, video, latency, state, url, stats, mjpeg: s.urls.mjpeg, pc: null, whep: null };
          playWebRtc(s.name, c);
          return c;
        }

        // WebRTC through WHEP: a recvonly connection, the offer POSTed, the answer set. Anything that
        // fails (no WebRTC in this browser, WHEP refused, no picture within 5 s) falls back to MJPEG.
        async function playWebRtc(name, c) {
          const fallback = (why) => {
            if (c.pc) { c.pc.close(); c.pc = null; }
            if (c.whep) { fetch(c.whep, { method: "DELETE", keepalive: true }).catch(() => {}); c.whep = null; }
            c.video.hidden = true;
            c.img.hidden = false;
            if (!c.img.src) c.img.src = c.mjpeg;
            c.latency.textContent = "MJPEG (" + why + ")";
          };
          try {
            const pc = new RTCPeerConnection();
            c.pc = pc;
            pc.addTransceiver("video", { direction: "recvonly" });
            pc.ontrack = (e) => { c.video.srcObject = e.streams[0] || new MediaStream([e.track]); };
            pc.onconnectionstatechange = () => { if (pc.connectionState === "failed") fallback("WebRTC connection failed"); };
            await pc.setLocalDescription(await pc.createOffer());
            const r = await fetch("/streams/" + encodeURIComponent(name) + "/whep", { method: "POST", headers: { "Content-Type": "application/sdp" }, body: pc.localDescription.sdp });
            if (r.status !== 201) { fallback("WHEP " + r.status); return; }
            c.whep = r.headers.get("Location");
            await pc.setRemoteDescription({ type: "answer", sdp: await r.text() });
            const timer = setTimeout(() => { if (c.video.hidden) fallback("no picture over WebRTC"); }, 5000);
            c.video.addEventListener("loadeddata", () => { clearTimeout(timer); c.video.hidden = false; c.img.hidden = true; }, { once: true });
          } catch (e) {
            fallback(String(e));
          }
        }

        // The latency the browser reports: its jitter buffer's delay per frame and the round trip of the ICE pair.
        async function showLatency(c) {
          if (!c.pc || c.video.hidden) return;
          let buffer = null, rtt = null, fps = null;
          (await c.pc.getStats()).forEach(s => {
            if (s.type === "inbound-rtp" && s.kind === "video" && s.jitterBufferEmittedCount > 0) {
              buffer = 1000 * s.jitterBufferDelay / s.jitterBufferEmittedCount;
              fps = s.framesPerSecond;
            }
            if (s.type === "candidate-pair" && s.nominated && s.currentRoundTripTime !== undefined) rtt = 1000 * s.currentRoundTripTime;
          });
          c.latency.textContent = "WebRTC" + (buffer !== null ? ", jitter buffer " + buffer.toFixed(0) + " ms" : "")
            + (rtt !== null ? ", round trip " + rtt.toFixed(0) + " ms" : "") + (fps ? ", " + fps + " fps" : "");
        }

        function row(name, value) {
          return el("tr", {}, el("td", { textContent: name }), el("td", { textContent: value }));
        }

        function fmtRate(bits) {
          return bits >= 1e6 ? (bits / 1e6).toFixed(2) + " Mbit/s" : (bits / 1e3).toFixed(0) + " kbit/s";
        }

        function update(s) {
          let c = cards.get(s.name);
          if (!c) { c = makeCard(s); cards.set(s.name, c); }
          c.state.textContent = s.state;
          c.state.className = "state " + s.state.toLowerCase();
          if (s.urls.rtsp && c.url.value !== s.urls.rtsp) c.url.value = s.urls.rtsp;
          const drops = Object.entries(s.drops).filter(([, n]) => n > 0).map(([k, n]) => k + " " + n).join(", ") || "none";
          const clients = Object.entries(s.clients).filter(([k, n]) => k !== "total" && n > 0).map(([k, n]) => k + " " + n).join(", ") || "none";
          c.stats.replaceChildren(
            row("source", s.source.type + (s.source.device ? " " + s.source.device : "")),
            row("encoder", (s.encoder.engine || "none") + " (configured " + s.encoder.configured + ")"),
            row("size", s.configured.width + "x" + s.configured.height),
            row("frame rate", s.measured.captureFps.toFixed(1) + " fps (configured " + s.configured.fps + ")"),
            row("bitrate", fmtRate(s.measured.bitrate) + " (target " + fmtRate(s.configured.bitrate) + ")"),
            row("frames", "captured " + s.frames.captured + ", encoded " + s.frames.encoded + ", sent " + s.frames.sent),
            row("drops", drops),
            row("clients", clients),
            row("uptime", Math.round(s.uptimeSeconds) + " s"));
        }

        async function refresh() {
          try {
            const response = await fetch("/api/streams", { cache: "no-store" });
            const body = await response.json();
            const seen = new Set();
            for (const s of body.streams) { update(s); seen.add(s.name); showLatency(cards.get(s.name)); }
            for (const [name, c] of cards) {
              if (!seen.has(name)) {
                if (c.pc) c.pc.close();
                if (c.whep) fetch(c.whep, { method: "DELETE" }).catch(() => {});
                c.img.src = ""; c.card.remove(); cards.delete(name);
              }
            }
            document.getElementById("error").textContent = "";
          } catch (e) {
            document.getElementById("error").textContent = "cannot reach the daemon: " + e;
          }
        }

        // Leaving the page ends its WebRTC sessions at once (else consent freshness ends them after 30 s).
        window.addEventListener("pagehide", () => {
          for (const c of cards.values()) if (c.whep) fetch(c.whep, { method: "DELETE", keepalive: true }).catch(() => {});
        });

        refresh();
        setInterval(refresh, 1000);
        </script>
        </body>
        </html>
        """;
}
