#!/usr/bin/python3
"""The peer server of bench/bench.sh: GStreamer's gst-rtsp-server (Debian's python3-gi and
gir1.2-gst-rtsp-server-1.0; run with /usr/bin/python3, another python3 may lack gi).

    gst-rtsp-server.py CLIP FPS

Serves rtsp://127.0.0.1:PORT/cam0 (PORT printed as "port PORT"), one shared media: an appsrc
fed the clip's access units in a loop at FPS (paced by a thread, stamped by appsrc on push),
then h264parse and rtph264pay (1400-byte packets, parameter sets before each IDR), exactly as
camstreamd is fed the same file. The clip is raw H.264 (Annex-B) that starts with an IDR.
"""
import sys
import threading
import time

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402


def access_units(data):
    """Splits Annex-B bytes into access units (same rule as camstreamd's AccessUnitSplitter)."""
    starts = []
    pos = data.find(b"\x00\x00\x01")
    while pos >= 0:
        begin = pos - 1 if pos > 0 and data[pos - 1] == 0 else pos
        starts.append((begin, pos + 3))
        pos = data.find(b"\x00\x00\x01", pos + 3)
    units, unit_start, saw_slice = [], None, False
    for begin, header in starts:
        if header >= len(data):
            continue
        nal_type = data[header] & 0x1F
        is_slice = nal_type in (1, 5)
        first_slice = is_slice and header + 1 < len(data) and data[header + 1] & 0x80
        opens = nal_type in (6, 7, 8, 9) or first_slice
        if unit_start is None:
            unit_start = begin
        elif saw_slice and opens:
            units.append(data[unit_start:begin])
            unit_start, saw_slice = begin, False
        saw_slice = saw_slice or is_slice
    if unit_start is not None and saw_slice:
        units.append(data[unit_start:])
    return units


def main():
    clip, fps = sys.argv[1], float(sys.argv[2])
    with open(clip, "rb") as f:
        units = access_units(f.read())
    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service("0")
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(
        "( appsrc name=src is-live=true do-timestamp=true format=time "
        'caps="video/x-h264,stream-format=byte-stream,alignment=au,width=1280,height=720,framerate=30/1" '
        "! h264parse ! rtph264pay name=pay0 pt=96 mtu=1400 config-interval=-1 )")
    factory.set_shared(True)

    def feed(src):
        period, start, n = 1.0 / fps, time.monotonic(), 0
        while True:
            delay = start + n * period - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            buffer = Gst.Buffer.new_wrapped(units[n % len(units)])
            if src.emit("push-buffer", buffer) != Gst.FlowReturn.OK:
                return  # the media was torn down
            n += 1

    def on_configure(_factory, media):
        src = media.get_element().get_child_by_name("src")
        threading.Thread(target=feed, args=(src,), daemon=True).start()

    factory.connect("media-configure", on_configure)
    server.get_mount_points().add_factory("/cam0", factory)
    server.attach(None)
    print(f"port {server.get_bound_port()} units={len(units)}", flush=True)
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()
