#!/usr/bin/python3
"""GStreamer's gst-rtsp-server as the real peer of the tests and of bench/bench.sh (Debian's python3-gi
and gir1.2-gst-rtsp-server-1.0; run with /usr/bin/python3, another python3 may lack gi). One script,
three kinds of media at rtsp://127.0.0.1:PORT/PATH; prints "port PORT" once it accepts clients and
runs until killed.

  gst-rtsp-server.py CLIP FPS
      bench/bench.sh's call: the clip in a loop at FPS, one shared media at /cam0 (as --clip CLIP
      --fps FPS --path cam0 --shared).

  gst-rtsp-server.py [--port 0] [--path cam] [options]
      a live test picture (videotestsrc, openh264enc):
        [--width 320 --height 240 --fps 30 --gop 30 --bitrate 500000]
        [--color RRGGBB]   (a solid colour instead of the moving ball: the composite tests)
      or [--clip FILE.h264 --fps 30]   a raw H.264 (Annex-B) clip served in a loop: an appsrc fed its
                                       access units at FPS (paced by a thread, stamped by appsrc on push),
                                       then h264parse and rtph264pay (1400-byte packets, the parameter sets
                                       before each IDR), exactly as camstreamd is fed the same file; the
                                       composite's robustness test feeds corrupt units and a resolution
                                       change through it
      or [--record DIR]   RECORD mode, taking a publisher: each ANNOUNCE/RECORD session writes the H.264
                          it receives, depayloaded and parsed, as an Annex-B byte stream to
                          DIR/rec-PID-N.h264 (unbuffered, so a killed server leaves every frame it took)
                          and prints "RECORDING <file>"
      and for all of them:
        [--user U --password P]   (Digest authentication, RFC 2617)
        [--tls-cert PEM --tls-key PEM]   (rtsps://: RTSP over TLS, no password asked)
        [--protocols tcp|udp|all]
        [--session-timeout SECONDS]   (the Session header's timeout; clients keep alive within it)
        [--shared]   (one media for all clients; by default each client gets its own: a shared media
                      that several clients DESCRIBE and PLAY at the same moment can answer 503 or abort
                      in gst_rtsp_media_get_rates, GStreamer 1.22)
        [--listen-at UNIX_TIME]   (start up, then bind the port only at that wall-clock time: a restart
                                   whose outage length does not depend on start-up time)
"""
import argparse
import os
import sys
import threading
import time

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import Gio, GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402


def access_units(data):
    """Splits Annex-B bytes into access units (same rule as camstreamd's AccessUnitSplitter): a unit
    opens at an SEI, SPS, PPS or AUD, or at a first slice."""
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


def parse_arguments():
    parser = argparse.ArgumentParser()
    parser.add_argument("bench", nargs="*", metavar="CLIP FPS", help="bench/bench.sh's call")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--path", default="cam")
    parser.add_argument("--width", type=int, default=320)
    parser.add_argument("--height", type=int, default=240)
    parser.add_argument("--fps", type=float, default=30)
    parser.add_argument("--gop", type=int, default=30)
    parser.add_argument("--bitrate", type=int, default=500000)
    parser.add_argument("--color")
    parser.add_argument("--clip")
    parser.add_argument("--record", metavar="DIR")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--protocols", default="all", choices=["tcp", "udp", "all"])
    parser.add_argument("--session-timeout", type=int, default=60)
    parser.add_argument("--listen-at", type=float, default=0)
    parser.add_argument("--shared", action="store_true")
    args = parser.parse_args()
    if args.bench:
        if len(args.bench) != 2:
            parser.error("the positional form is CLIP FPS")
        args.clip, args.fps, args.path, args.shared = args.bench[0], float(args.bench[1]), "cam0", True
    return args


def framerate(fps):
    """A caps fraction: 30 → 30/1, 29.97 → 2997/100."""
    return f"{int(fps)}/1" if fps == int(fps) else f"{round(fps * 100)}/100"


def serve_clip(factory, clip, fps):
    with open(clip, "rb") as f:
        units = access_units(f.read())
    factory.set_launch(
        "( appsrc name=src is-live=true do-timestamp=true format=time "
        f'caps="video/x-h264,stream-format=byte-stream,alignment=au,framerate={framerate(fps)}" '
        "! h264parse ! rtph264pay name=pay0 pt=96 mtu=1400 config-interval=-1 )")

    def feed(src):
        period, start, n = 1.0 / fps, time.monotonic(), 0
        while True:
            delay = start + n * period - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            if src.emit("push-buffer", Gst.Buffer.new_wrapped(units[n % len(units)])) != Gst.FlowReturn.OK:
                return  # the media was torn down
            n += 1

    factory.connect("media-configure", lambda _f, media: threading.Thread(
        target=feed, args=(media.get_element().get_child_by_name("src"),), daemon=True).start())


def serve_record(factory, directory):
    factory.set_transport_mode(GstRtspServer.RTSPTransportMode.RECORD)
    factory.set_launch(
        "( rtph264depay name=depay0 ! h264parse ! video/x-h264,stream-format=byte-stream,alignment=au "
        "! filesink name=sink buffer-mode=unbuffered sync=false async=false )")
    count = [0]

    def on_configure(_factory, media):
        count[0] += 1
        path = os.path.join(directory, f"rec-{os.getpid()}-{count[0]}.h264")
        media.get_element().get_by_name("sink").set_property("location", path)
        print(f"RECORDING {path}", flush=True)

    factory.connect("media-configure", on_configure)


def user_role(server, factory, auth):
    """Gives the "user" role access to the factory's media, and puts auth on the server."""
    server.set_auth(auth)
    permissions = GstRtspServer.RTSPPermissions()
    permissions.add_permission_for_role("user", GstRtspServer.RTSP_PERM_MEDIA_FACTORY_ACCESS, True)
    permissions.add_permission_for_role("user", GstRtspServer.RTSP_PERM_MEDIA_FACTORY_CONSTRUCT, True)
    factory.set_permissions(permissions)


def main():
    args = parse_arguments()
    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(args.port))

    factory = GstRtspServer.RTSPMediaFactory()
    if args.record:
        serve_record(factory, args.record)
    elif args.clip:
        serve_clip(factory, args.clip, args.fps)
    else:
        pattern = f"pattern=solid-color foreground-color=0xff{args.color}" if args.color else "pattern=ball"
        factory.set_launch(
            f"( videotestsrc is-live=true {pattern} "
            f"! video/x-raw,width={args.width},height={args.height},framerate={framerate(args.fps)},format=I420 "
            f"! openh264enc gop-size={args.gop} bitrate={args.bitrate} complexity=low "
            "! h264parse ! rtph264pay name=pay0 pt=96 config-interval=-1 )")
    factory.set_shared(args.shared)
    factory.set_protocols({
        "tcp": GstRtsp.RTSPLowerTrans.TCP,
        "udp": GstRtsp.RTSPLowerTrans.UDP,
        "all": GstRtsp.RTSPLowerTrans.TCP | GstRtsp.RTSPLowerTrans.UDP,
    }[args.protocols])

    if args.user:
        auth = GstRtspServer.RTSPAuth()
        auth.set_supported_methods(GstRtsp.RTSPAuthMethod.DIGEST)
        token = GstRtspServer.RTSPToken()
        token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, "user")
        auth.add_digest(args.user, args.password, token)
        user_role(server, factory, auth)

    if args.tls_cert:
        # TLS only: every client gets the "user" role, so no password is asked.
        auth = GstRtspServer.RTSPAuth()
        auth.set_tls_certificate(Gio.TlsCertificate.new_from_files(args.tls_cert, args.tls_key))
        token = GstRtspServer.RTSPToken()
        token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, "user")
        auth.set_default_token(token)
        user_role(server, factory, auth)
        factory.set_profiles(GstRtsp.RTSPProfile.AVP)

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

    print(f"port {server.get_bound_port()}", flush=True)
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()
