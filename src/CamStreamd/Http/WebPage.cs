namespace CamStreamd.Http;

/// <summary>
/// <c>GET /</c>: one self-contained page (no front-end build, no external files) that shows every
/// stream live as MJPEG, its stats refreshed each second from <c>/api/streams</c>, and its RTSP URL
/// to copy. Streams added or removed through the API appear and disappear on the next refresh.
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
          .stream img { display: block; max-width: 640px; width: 100%; background: #000; }
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
          const img = el("img", { className: "live", alt: s.name + " (MJPEG)", src: s.urls.mjpeg });
          img.dataset.stream = s.name;
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
            el("h2", {}, s.name, state), img, el("div", { className: "url" }, url, copy), el("table", {}, stats));
          card.dataset.stream = s.name;
          container.append(card);
          return { card, img, state, url, stats };
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
            for (const s of body.streams) { update(s); seen.add(s.name); }
            for (const [name, c] of cards) {
              if (!seen.has(name)) { c.img.src = ""; c.card.remove(); cards.delete(name); }
            }
            document.getElementById("error").textContent = "";
          } catch (e) {
            document.getElementById("error").textContent = "cannot reach the daemon: " + e;
          }
        }

        refresh();
        setInterval(refresh, 1000);
        </script>
        </body>
        </html>
        """;
}
