#!/usr/bin/env python3
"""Churn client for bench/churn.sh: viewers join and leave camstreamd, politely and rudely, for a while.

  churn.py --rtsp-port P --http-port H --seconds S [--workers N] [--seed X]

Each worker loops: it picks one of the behaviours below at random, runs it, and starts over.
RTSP over TCP and UDP, and MJPEG over HTTP; every viewer that reached PLAY (or got its MJPEG 200)
counts as a session served. Leaving:
  teardown  TEARDOWN, then close               (RTSP)
  close     close without TEARDOWN             (RTSP, MJPEG; a UDP session then ends by timeout)
  rst       close with SO_LINGER 0: a TCP RST  (RTSP, MJPEG)
  stall     stop reading, stay connected until the server gives up on it (TCP: send-stall timeout,
            MJPEG: stalled-viewer timeout), then close; over UDP: do not read the datagrams
and, as the rude crowd: silent (connects, sends nothing) and half (half a request), left to the
server's timeouts or eviction. Prints one JSON object with the counts on stdout at the end.
Standard library only.
"""
import argparse
import json
import random
import socket
import struct
import sys
import threading
import time

HOST = "127.0.0.1"
TIMEOUT = 10.0


class Counts:
    def __init__(self):
        self.lock = threading.Lock()
        self.values = {}

    def add(self, key, n=1):
        with self.lock:
            self.values[key] = self.values.get(key, 0) + n


def connect(port, rcvbuf=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.settimeout(TIMEOUT)
    s.connect((HOST, port))
    return s


# Longer than both server timeouts for a viewer that takes nothing (RTSP send stall 5 s, MJPEG 10 s),
# counted from when the socket buffers are full (about a second at these rates for MJPEG; the kernel's
# autotuned TCP buffers can hold many seconds of 1 Mbit/s RTSP, so those are often not cut off).
STALL_SECONDS = 14


def stall_end(s, counts):
    """After a stall: drain what the buffers hold; a reset or end of stream within 20 s means the server cut us off."""
    s.settimeout(2)
    deadline = time.monotonic() + 20
    try:
        while time.monotonic() < deadline:
            if not s.recv(65536):
                counts.add("stalled_cut_off")
                break
        else:
            counts.add("stalled_kept")
    except socket.timeout:
        counts.add("stalled_silent")  # connected, but nothing more for 2 s
    except OSError:
        counts.add("stalled_cut_off")
    finally:
        s.close()


def reset(s):
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()


class Rtsp:
    """A minimal RTSP/1.0 client over one TCP connection; skips interleaved frames while reading responses."""

    def __init__(self, port, url, rcvbuf=None):
        self.url = url
        self.sock = connect(port, rcvbuf)
        self.buf = b""
        self.cseq = 0
        self.rtp = 0

    def _fill(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            self.buf += chunk

    def read_frame(self):
        """One interleaved frame (channel, length) or None when a response comes next."""
        self._fill(4)
        if self.buf[0:1] != b"$":
            return None
        length = struct.unpack(">H", self.buf[2:4])[0]
        self._fill(4 + length)
        channel = self.buf[1]
        self.buf = self.buf[4 + length:]
        if channel % 2 == 0:
            self.rtp += 1
        return channel, length

    def request(self, method, uri, *headers):
        self.cseq += 1
        text = f"{method} {uri} RTSP/1.0\r\nCSeq: {self.cseq}\r\n" + "".join(h + "\r\n" for h in headers) + "\r\n"
        self.sock.sendall(text.encode())
        while True:
            self._fill(1)
            if self.buf[0:1] == b"$":
                self.read_frame()
                continue
            end = self.buf.find(b"\r\n\r\n")
            while end < 0:
                self._fill(len(self.buf) + 1)
                end = self.buf.find(b"\r\n\r\n")
            head = self.buf[:end].decode(errors="replace").split("\r\n")
            self.buf = self.buf[end + 4:]
            fields = {}
            for line in head[1:]:
                name, _, value = line.partition(":")
                fields[name.strip().lower()] = value.strip()
            length = int(fields.get("content-length", "0"))
            self._fill(length)
            self.buf = self.buf[length:]
            return int(head[0].split(" ")[1]), fields

    def play(self, udp_port=None):
        status, _ = self.request("DESCRIBE", self.url, "Accept: application/sdp")
        if status != 200:
            raise ConnectionError(f"DESCRIBE {status}")
        transport = (f"RTP/AVP;unicast;client_port={udp_port}-{udp_port + 1}" if udp_port
                     else "RTP/AVP/TCP;unicast;interleaved=0-1")
        status, fields = self.request("SETUP", self.url + "/trackID=0", "Transport: " + transport)
        if status != 200:
            raise ConnectionError(f"SETUP {status}")
        session = fields["session"].split(";")[0]
        status, _ = self.request("PLAY", self.url, "Session: " + session)
        if status != 200:
            raise ConnectionError(f"PLAY {status}")
        return session


def udp_pair():
    """An even RTP port and the RTCP port above it (RFC 3550 11)."""
    for _ in range(50):
        rtp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        rtp.bind((HOST, 0))
        port = rtp.getsockname()[1]
        if port % 2 or port >= 65535:
            rtp.close()
            continue
        rtcp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            rtcp.bind((HOST, port + 1))
        except OSError:
            rtp.close()
            rtcp.close()
            continue
        rtp.settimeout(TIMEOUT)
        return rtp, rtcp, port
    raise OSError("no even/odd UDP port pair")


def rtsp_tcp(args, counts, leave):
    client = Rtsp(args.rtsp_port, args.url, rcvbuf=8192 if leave == "stall" else None)
    try:
        session = client.play()
        counts.add("sessions")
        counts.add(f"rtsp_tcp_{leave}")
        if leave == "stall":
            # Read nothing: the server's writes stop making progress and it disconnects us (5 s).
            time.sleep(STALL_SECONDS)
            stall_end(client.sock, counts)
            return
        end = time.monotonic() + random.uniform(0.5, 3)
        while time.monotonic() < end:
            client.read_frame()
        if leave == "teardown":
            client.request("TEARDOWN", args.url, "Session: " + session)
            client.sock.close()
        elif leave == "rst":
            reset(client.sock)
        else:
            client.sock.close()
    except (ConnectionError, OSError) as error:
        counts.add("errors")
        counts.add(f"error_{type(error).__name__}")
        client.sock.close()


def rtsp_udp(args, counts, leave):
    rtp, rtcp, port = udp_pair()
    client = Rtsp(args.rtsp_port, args.url)
    try:
        session = client.play(udp_port=port)
        counts.add("sessions")
        counts.add(f"rtsp_udp_{leave}")
        end = time.monotonic() + random.uniform(0.5, 3)
        while time.monotonic() < end:
            if leave == "stall":
                time.sleep(0.1)  # datagrams pile up in (and overflow) the socket buffer
            else:
                rtp.recv(2048)
        if leave == "teardown":
            client.request("TEARDOWN", args.url, "Session: " + session)
            client.sock.close()
        elif leave == "rst":
            reset(client.sock)
        else:
            client.sock.close()  # the session outlives the connection until the session timeout
    except (ConnectionError, OSError) as error:
        counts.add("errors")
        counts.add(f"error_{type(error).__name__}")
        client.sock.close()
    finally:
        rtp.close()
        rtcp.close()


def mjpeg(args, counts, leave):
    s = connect(args.http_port, rcvbuf=8192 if leave == "stall" else None)
    try:
        s.sendall(b"GET /streams/cam0/mjpeg HTTP/1.1\r\nHost: churn\r\n\r\n")
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = s.recv(4096)
            if not chunk:
                raise ConnectionError("closed")
            head += chunk
        status = int(head.split(b" ", 2)[1])
        if status != 200:
            counts.add(f"mjpeg_status_{status}")
            s.close()
            return
        counts.add("sessions")
        counts.add(f"mjpeg_{leave}")
        if leave == "stall":
            # Read nothing: the daemon cuts a viewer that takes no data for 10 s.
            time.sleep(STALL_SECONDS)
            stall_end(s, counts)
            return
        end = time.monotonic() + random.uniform(0.5, 3)
        while time.monotonic() < end:
            if not s.recv(65536):
                raise ConnectionError("closed")
        if leave == "rst":
            reset(s)
        else:
            s.close()
    except (ConnectionError, OSError, ValueError, IndexError) as error:
        counts.add("errors")
        counts.add(f"error_{type(error).__name__}")
        s.close()


def rude(args, counts, kind):
    port = random.choice([args.rtsp_port, args.http_port])
    s = connect(port)
    try:
        if kind == "half":
            s.sendall(b"OPTIONS * RTSP/1.0\r\nCSeq: 1\r\nUser-Ag" if port == args.rtsp_port
                      else b"GET /api/health HTTP/1.1\r\nHost: x\r\nAcc")
        counts.add(f"rude_{kind}")
        time.sleep(random.uniform(1, 4))
    finally:
        reset(s) if random.random() < 0.5 else s.close()


BEHAVIOURS = (
    [("rtsp_tcp", leave) for leave in ("teardown", "close", "rst", "stall")]
    + [("rtsp_udp", leave) for leave in ("teardown", "close", "rst", "stall")]
    + [("mjpeg", leave) for leave in ("close", "rst", "stall")]
    + [("rude", kind) for kind in ("silent", "half")]
)
RUN = {"rtsp_tcp": rtsp_tcp, "rtsp_udp": rtsp_udp, "mjpeg": mjpeg, "rude": rude}


def worker(args, counts, deadline, seed):
    rng = random.Random(seed)
    while time.monotonic() < deadline:
        kind, leave = rng.choice(BEHAVIOURS)
        try:
            RUN[kind](args, counts, leave)
        except (ConnectionError, OSError) as error:
            counts.add("errors")
            counts.add(f"error_{type(error).__name__}")
            time.sleep(0.2)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rtsp-port", type=int, required=True)
    parser.add_argument("--http-port", type=int, required=True)
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--workers", type=int, default=12)
    parser.add_argument("--seed", type=int, default=20)
    args = parser.parse_args()
    args.url = f"rtsp://{HOST}:{args.rtsp_port}/cam0"
    counts = Counts()
    deadline = time.monotonic() + args.seconds
    threads = [threading.Thread(target=worker, args=(args, counts, deadline, args.seed * 1000 + i), daemon=True)
               for i in range(args.workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(args.seconds + 60)
    json.dump(dict(sorted(counts.values.items())), sys.stdout)
    print()


if __name__ == "__main__":
    main()
