#!/usr/bin/python3
"""A real upstream RTSP server for the pull tests: GStreamer's gst-rtsp-server (Debian packages
python3-gi and gir1.2-gst-rtsp-server-1.0) serving a live H.264 test picture (openh264enc) at
rtsp://127.0.0.1:PORT/PATH. Prints "LISTENING <port>" once it accepts clients; runs until killed.

  gst-rtsp-server.py --port 0 --path cam --width 320 --height 240 --fps 30 --gop 30
                     [--user U --password P]   (Digest authentication, RFC 2617)
                     [--protocols tcp|udp|all]
                     [--session-timeout SECONDS]   (the Session header's timeout; clients keep alive within it)
                     [--shared]   (one media for all clients; by default each client gets its own: a shared
                                   media that several clients DESCRIBE and PLAY at the same moment can
                                   answer 503 or abort in gst_rtsp_media_get_rates, GStreamer 1.22)
                     [--color RRGGBB]   (a solid colour instead of the moving ball: the composite tests)
                     [--clip FILE.h264]   (serve this Annex-B clip in a loop at --fps instead of encoding a test
                                           picture: the composite's robustness test feeds corrupt units and
                                           a resolution change through it)
                     [--listen-at UNIX_TIME]   (start up, then bind the port only at that wall-clock time:
                                                a restart whose outage length does not depend on start-up time)
"""
import argparse
import sys
import threading
import time

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402


def access_units(data):
    """Splits Annex-B bytes into access units: a unit opens at an SEI, SPS, PPS or AUD, or at a first slice."""
    starts = []
    pos = data.find(b"\x00\x00\x01")
    while pos >= 0:
        starts.append((pos - 1 if pos > 0 and data[pos - 1] == 0 else pos, pos + 3))
        pos = data.find(b"\x00\x00\x01", pos + 3)
    units, unit_start, saw_slice = [], None, False
    for begin, header in starts:
        if header >= len(data):
            continue
        nal_type = data[header] & 0x1F
        is_slice = nal_type in (1, 5)
        opens = nal_type in (6, 7, 8, 9) or (is_slice and header + 1 < len(data) and data[header + 1] & 0x80)
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
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--path", default="cam")
    parser.add_argument("--width", type=int, default=320)
    parser.add_argument("--height", type=int, default=240)
    parser.add_argument("--fps", type=int, default=30)
    parser.add_argument("--gop", type=int, default=30)
    parser.add_argument("--bitrate", type=int, default=500000)
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--protocols", default="all", choices=["tcp", "udp", "all"])
    parser.add_argument("--session-timeout", type=int, default=60)
    parser.add_argument("--listen-at", type=float, default=0)
    parser.add_argument("--shared", action="store_true")
    parser.add_argument("--color")
    parser.add_argument("--clip")
    args = parser.parse_args()

    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(args.port))

    factory = GstRtspServer.RTSPMediaFactory()
    pattern = f"pattern=solid-color foreground-color=0xff{args.color}" if args.color else "pattern=ball"
    factory.set_launch(
        f"( videotestsrc is-live=true {pattern} "
        f"! video/x-raw,width={args.width},height={args.height},framerate={args.fps}/1,format=I420 "
        f"! openh264enc gop-size={args.gop} bitrate={args.bitrate} complexity=low "
        "! h264parse ! rtph264pay name=pay0 pt=96 config-interval=-1 )"
    )
    if args.clip:
        with open(args.clip, "rb") as f:
            units = access_units(f.read())
        factory.set_launch(
            "( appsrc name=src is-live=true do-timestamp=true format=time "
            f'caps="video/x-h264,stream-format=byte-stream,alignment=au,framerate={args.fps}/1" '
            "! h264parse ! rtph264pay name=pay0 pt=96 config-interval=-1 )")

        def feed(src):
            period, start, n = 1.0 / args.fps, time.monotonic(), 0
            while True:
                delay = start + n * period - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                if src.emit("push-buffer", Gst.Buffer.new_wrapped(units[n % len(units)])) != Gst.FlowReturn.OK:
                    return  # the media was torn down
                n += 1

        factory.connect("media-configure", lambda _f, media: threading.Thread(
            target=feed, args=(media.get_element().get_child_by_name("src"),), daemon=True).start())
    factory.set_shared(args.shared)
    protocols = {
        "tcp": GstRtsp.RTSPLowerTrans.TCP,
        "udp": GstRtsp.RTSPLowerTrans.UDP,
        "all": GstRtsp.RTSPLowerTrans.TCP | GstRtsp.RTSPLowerTrans.UDP,
    }[args.protocols]
    factory.set_protocols(protocols)

    if args.user:
        auth = GstRtspServer.RTSPAuth()
        auth.set_supported_methods(GstRtsp.RTSPAuthMethod.DIGEST)
        token = GstRtspServer.RTSPToken()
        token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, "user")
        auth.add_digest(args.user, args.password, token)
        server.set_auth(auth)
        permissions = GstRtspServer.RTSPPermissions()
        permissions.add_permission_for_role("user", GstRtspServer.RTSP_PERM_MEDIA_FACTORY_ACCESS, True)
        permissions.add_permission_for_role("user", GstRtspServer.RTSP_PERM_MEDIA_FACTORY_CONSTRUCT, True)
        factory.set_permissions(permissions)

    def on_client(_server, client):
        client.connect("new-session", lambda _client, session: session.set_timeout(args.session_timeout))

    server.connect("client-connected", on_client)
    server.get_mount_points().add_factory("/" + args.path, factory)
    delay = args.listen_at - time.time()
    if delay > 0:
        time.sleep(delay)
    if server.attach(None) == 0:
        print("could not listen", file=sys.stderr, flush=True)
        sys.exit(1)

    print(f"LISTENING {server.get_bound_port()}", flush=True)
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()
