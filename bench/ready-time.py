#!/usr/bin/python3
"""Starts a daemon as systemd would for Type=notify and times it to READY=1.

    ready-time.py LOG -- COMMAND [ARGS...]

Binds an AF_UNIX datagram socket, starts COMMAND with NOTIFY_SOCKET naming it (stdout and
stderr to LOG), waits for a datagram holding READY=1 (60 s at most) and prints
"pid PID ready_seconds S" (from the fork to the datagram's arrival). The daemon keeps running
after this script exits; the caller stops it by its pid.
"""
import os
import socket
import subprocess
import sys
import tempfile
import time


def main():
    log_path = sys.argv[1]
    command = sys.argv[sys.argv.index("--") + 1:]
    directory = tempfile.mkdtemp(prefix="ready-time.")
    path = os.path.join(directory, "notify")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    env = dict(os.environ, NOTIFY_SOCKET=path)
    with open(log_path, "wb") as log:
        started = time.monotonic()
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    deadline = started + 60
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or process.poll() is not None:
                print(f"pid {process.pid} ready_seconds nan")
                return 1
            sock.settimeout(min(remaining, 0.5))
            try:
                message = sock.recv(4096).decode("utf-8", "replace")
            except socket.timeout:
                continue
            if "READY=1" in message.split("\n"):
                print(f"pid {process.pid} ready_seconds {time.monotonic() - started:.3f}")
                return 0
    finally:
        sock.close()
        os.unlink(path)
        os.rmdir(directory)


if __name__ == "__main__":
    sys.exit(main())
