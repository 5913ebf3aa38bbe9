#!/usr/bin/python3
"""End-to-end latency reader for bench/bench.sh: reads decoded gray frames (WIDTHxHEIGHT, one
byte per pixel) from stdin, as `ffmpeg ... -f rawvideo -pix_fmt gray pipe:1` writes them, reads
each frame's capture time from the test pattern's time stripe (TestPatternRenderer: 32 cells of
width/40 pixels along the bottom edge, black 0 / white 1, the low 32 bits of CLOCK_MONOTONIC in
milliseconds, most significant first) and prints now minus that, in milliseconds, one a line.
Frames of the first SKIP seconds are left out (the cached GOP a new viewer gets first is old).

    latency-reader.py WIDTH HEIGHT [SKIP [SECONDS]]   (SECONDS: stop after measuring this long)
"""
import sys
import time


def main():
    width, height = int(sys.argv[1]), int(sys.argv[2])
    skip = float(sys.argv[3]) if len(sys.argv) > 3 else 2.0
    seconds = float(sys.argv[4]) if len(sys.argv) > 4 else float("inf")
    cell = max(2, (width // 40) & ~1)
    stripe_height = min(16, max(2, (height // 16) & ~1))
    row = (height - stripe_height + stripe_height // 2) * width
    centers = [row + bit * cell + cell // 2 for bit in range(32)]
    size = width * height
    stdin = sys.stdin.buffer
    first = None
    while True:
        frame = stdin.read(size)
        if len(frame) < size:
            break
        now = time.clock_gettime(time.CLOCK_MONOTONIC)
        if first is None:
            first = now
        if now - first < skip:
            continue
        if now - first > skip + seconds:
            break
        stamp = 0
        for center in centers:
            stamp = (stamp << 1) | (1 if frame[center] >= 128 else 0)
        delta = (int(now * 1000) - stamp) & 0xFFFFFFFF
        if delta >= 0x80000000:
            delta -= 0x100000000
        # Milliseconds: the stripe holds whole ms, now has sub-ms precision.
        print(f"{now * 1000 - int(now * 1000) + delta:.1f}", flush=True)


if __name__ == "__main__":
    main()
