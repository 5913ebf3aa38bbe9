#!/usr/bin/env python3
"""WebRTC cost: daemon CPU (CPU-s/s) and RSS idle with webrtc enabled and disabled, and with N
headless Chromium WHEP sessions of a 640x480 15 fps x264 stream (one browser, N peer connections).

usage: bench/webrtc-sessions.py [DLL] [N ...]   (default: the test build's camstreamd.dll, 1 and 4)
Prints one row per case. Run it inside /work/slot (or ./build.sh bench) on a quiet machine."""
import json, os, subprocess, sys, tempfile, time, urllib.request

DLL = sys.argv[1] if len(sys.argv) > 1 and sys.argv[1].endswith(".dll") else os.path.join(
    os.path.dirname(__file__), "..", "src", "CamStreamd.Tests", "bin", "Release", "net10.0", "camstreamd.dll")
COUNTS = [int(a) for a in sys.argv[1:] if a.isdigit()] or [1, 4]
HZ = os.sysconf("SC_CLK_TCK")
PAGE = """<!doctype html><script>
const n = %d; window.playing = 0;
for (let i = 0; i < n; i++) (async () => {
  const pc = new RTCPeerConnection(); pc.addTransceiver('video', { direction: 'recvonly' });
  await pc.setLocalDescription(await pc.createOffer());
  const r = await fetch('http://127.0.0.1:%d/streams/cam0/whep', { method: 'POST', headers: { 'Content-Type': 'application/sdp' }, body: pc.localDescription.sdp });
  await pc.setRemoteDescription({ type: 'answer', sdp: await r.text() });
})();
</script>"""


def cpu(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / HZ


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024


def api(port, path):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as r:
        return json.load(r)


def start(enabled, http_port):
    config = {
        "rtsp": {"listenAddress": "127.0.0.1", "port": 0},
        "http": {"listenAddress": "127.0.0.1", "port": http_port},
        "webrtc": {"enabled": enabled, "port": 0},
        "streams": [{"name": "cam0", "source": {"type": "testPattern", "width": 640, "height": 480, "fps": 15},
                     "encoder": {"engine": "x264", "bitrate": 600000, "gop": 150, "profile": "main"}}],
    }
    path = tempfile.mktemp(suffix=".json")
    with open(path, "w") as f:
        json.dump(config, f)
    daemon = subprocess.Popen(["dotnet", DLL, "--config", path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            if api(http_port, "/api/streams/cam0")["state"] == "running":
                break
        except OSError:
            pass
        time.sleep(0.1)
    time.sleep(5)  # JIT warm-up and the first GOP
    return daemon


def measure(pid, seconds=10):
    c0, t0 = cpu(pid), time.monotonic()
    time.sleep(seconds)
    return (cpu(pid) - c0) / (time.monotonic() - t0), rss_mib(pid)


def main():
    http_port = 18000 + os.getpid() % 1000
    for enabled in (False, True):
        daemon = start(enabled, http_port)
        load, rss = measure(daemon.pid)
        print(f"idle, webrtc {'enabled ' if enabled else 'disabled'}: {load:.3f} CPU-s/s, RSS {rss:.0f} MiB")
        if enabled:
            for n in COUNTS:
                page = tempfile.mktemp(suffix=".html")
                with open(page, "w") as f:
                    f.write(PAGE % (n, http_port))
                profile = tempfile.mkdtemp()
                browser = subprocess.Popen(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                            "--allow-loopback-in-peer-connection", f"--user-data-dir={profile}",
                                            "--remote-debugging-port=0", "file://" + page],
                                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline and api(http_port, "/api/streams/cam0")["clients"]["webRtc"] < n:
                    time.sleep(0.2)
                playing = api(http_port, "/api/streams/cam0")["clients"]["webRtc"]
                time.sleep(2)
                load, rss = measure(daemon.pid)
                sent = sum(s["bytesSent"] for s in api(http_port, "/api/webrtc")["sessions"])
                print(f"{n} WebRTC session(s) ({playing} playing): {load:.3f} CPU-s/s, RSS {rss:.0f} MiB, {sent / 1e6:.1f} MB sent so far")
                browser.terminate()
                browser.wait(10)
                deadline = time.monotonic() + 45
                while time.monotonic() < deadline and api(http_port, "/api/webrtc")["sessions"]:
                    time.sleep(0.5)
        daemon.terminate()
        daemon.wait(15)


main()
