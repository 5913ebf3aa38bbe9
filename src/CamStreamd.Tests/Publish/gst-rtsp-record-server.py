#!/usr/bin/python3
"""A real server that takes a publisher: GStreamer's gst-rtsp-server in RECORD mode (Debian packages
python3-gi and gir1.2-gst-rtsp-server-1.0). Each ANNOUNCE/RECORD session writes the H.264 it receives,
depayloaded and parsed, as an Annex-B byte stream to DIR/rec-PID-N.h264 (unbuffered, so a killed server
leaves every frame it took). Prints "LISTENING <port>" once it accepts clients and "RECORDING <file>"
per session; runs until killed.

  gst-rtsp-record-server.py --port 0 --path up --dir DIR [--user U --password P] [--protocols tcp|udp|all]
                            [--listen-at UNIX_TIME]   (start, then bind the port only at that wall-clock time)
                            [--tls-cert PEM --tls-key PEM]   (rtsps://: RTSP over TLS)
"""
import argparse
import os
import sys
import time

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import Gio, GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--path", default="up")
    parser.add_argument("--dir", required=True)
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--protocols", default="all", choices=["tcp", "udp", "all"])
    parser.add_argument("--listen-at", type=float, default=0)
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    args = parser.parse_args()

    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(args.port))

    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_transport_mode(GstRtspServer.RTSPTransportMode.RECORD)
    factory.set_launch(
        "( rtph264depay name=depay0 ! h264parse ! video/x-h264,stream-format=byte-stream,alignment=au "
        "! filesink name=sink buffer-mode=unbuffered sync=false async=false )"
    )
    factory.set_protocols({
        "tcp": GstRtsp.RTSPLowerTrans.TCP,
        "udp": GstRtsp.RTSPLowerTrans.UDP,
        "all": GstRtsp.RTSPLowerTrans.TCP | GstRtsp.RTSPLowerTrans.UDP,
    }[args.protocols])
    count = [0]

    def on_configure(_factory, media):
        count[0] += 1
        path = os.path.join(args.dir, f"rec-{os.getpid()}-{count[0]}.h264")
        media.get_element().get_by_name("sink").set_property("location", path)
        print(f"RECORDING {path}", flush=True)

    factory.connect("media-configure", on_configure)

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

    if args.tls_cert:
        # TLS only: every client gets the "user" role, so no password is asked.
        auth = GstRtspServer.RTSPAuth()
        auth.set_tls_certificate(Gio.TlsCertificate.new_from_files(args.tls_cert, args.tls_key))
        token = GstRtspServer.RTSPToken()
        token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, "user")
        auth.set_default_token(token)
        server.set_auth(auth)
        permissions = GstRtspServer.RTSPPermissions()
        permissions.add_permission_for_role("user", GstRtspServer.RTSP_PERM_MEDIA_FACTORY_ACCESS, True)
        permissions.add_permission_for_role("user", GstRtspServer.RTSP_PERM_MEDIA_FACTORY_CONSTRUCT, True)
        factory.set_permissions(permissions)
        factory.set_profiles(GstRtsp.RTSPProfile.AVP)

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
