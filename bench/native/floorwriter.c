/*
 * floorwriter: the physical floor of RTP fan-out. Packetizes a raw H.264 clip once (RFC 6184:
 * single NAL unit packets and FU-A, 1400-byte packets like camstreamd and rtph264pay), then at
 * FPS sends every frame to every client with one write per frame per socket: TCP as RTSP
 * interleaved frames ('$', channel 0, length), UDP as one sendmmsg per frame per client in which
 * each run of full-size packets is one message segmented by the kernel (UDP_SEGMENT, GSO), as
 * camstreamd sends; FLOOR_GSO=0 sends one message per packet instead.
 *
 *   floorwriter tcp|udp N CLIP FPS     listens on 127.0.0.1 (port printed as "port P"), waits
 *                                      for N clients (TCP connections, or UDP hello datagrams),
 *                                      prints "ready N", sends until SIGTERM/SIGINT
 *
 * Built by bench/bench.sh with gcc -O2; not part of the daemon.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CLIENTS 1024
#define MAX_PACKET 1400
#define MAX_PACKETS_PER_FRAME 4096

struct frame {
  unsigned char *tcp;   /* interleaved packets back to back: one write */
  size_t tcp_len;
  struct iovec *packets; /* into tcp (past each 4-byte interleave header) */
  int count;
  int *runs;             /* packets per UDP message: runs of one size, the last may be shorter */
  int run_count;
};

/* CMSG_SPACE(sizeof(uint16_t)) with the alignment of a cmsghdr. */
union segment_control { char buf[CMSG_SPACE(sizeof(uint16_t))]; struct cmsghdr align; };

/* Groups a frame's packets as camstreamd's SegmentedDatagrams does: up to 64 datagrams and 65000 bytes a message. */
static void group_runs(struct frame *fr, int gso) {
  fr->runs = malloc(sizeof(int) * (size_t)fr->count);
  fr->run_count = 0;
  for (int first = 0; first < fr->count;) {
    size_t size = fr->packets[first].iov_len, bytes = size;
    int run = 1;
    while (gso && first + run < fr->count && run < 64 && bytes + fr->packets[first + run].iov_len <= 65000
           && fr->packets[first + run].iov_len <= size) {
      int shorter = fr->packets[first + run].iov_len < size;
      bytes += fr->packets[first + run].iov_len;
      run++;
      if (shorter) break;
    }
    fr->runs[fr->run_count++] = run;
    first += run;
  }
}

static volatile sig_atomic_t stop;
static void on_signal(int sig) { (void)sig; stop = 1; }

static void die(const char *what) {
  fprintf(stderr, "floorwriter: %s: %s\n", what, errno ? strerror(errno) : "failed");
  exit(1);
}

static size_t next_start(const unsigned char *d, size_t len, size_t from, size_t *code) {
  for (size_t i = from; i + 2 < len; i++) {
    if (d[i] == 0 && d[i + 1] == 0 && d[i + 2] == 1) {
      size_t s = (i > from && d[i - 1] == 0) ? i - 1 : i;
      *code = i + 3 - s;
      return s;
    }
  }
  *code = 0;
  return len;
}

static unsigned char rtp_out[MAX_PACKETS_PER_FRAME * (MAX_PACKET + 4)];
static size_t out_len;
static int out_count;
static uint16_t seq = 1000;

static void emit(const unsigned char *head, size_t head_len, const unsigned char *body, size_t body_len, uint32_t ts, int marker) {
  if (out_count >= MAX_PACKETS_PER_FRAME) { errno = 0; die("frame too large"); }
  size_t len = 12 + head_len + body_len;
  unsigned char *p = rtp_out + out_len;
  p[0] = '$'; p[1] = 0; p[2] = (unsigned char)(len >> 8); p[3] = (unsigned char)len;
  p += 4;
  p[0] = 0x80; p[1] = (unsigned char)((marker ? 0x80 : 0) | 96);
  p[2] = (unsigned char)(seq >> 8); p[3] = (unsigned char)seq; seq++;
  p[4] = (unsigned char)(ts >> 24); p[5] = (unsigned char)(ts >> 16); p[6] = (unsigned char)(ts >> 8); p[7] = (unsigned char)ts;
  p[8] = 0x12; p[9] = 0x34; p[10] = 0x56; p[11] = 0x78;
  memcpy(p + 12, head, head_len);
  memcpy(p + 12 + head_len, body, body_len);
  out_len += 4 + len;
  out_count++;
}

/* The NAL units of one access unit into RTP packets (AUDs dropped, as camstreamd does). */
static void packetize(const unsigned char *au, size_t len, uint32_t ts) {
  size_t code, pos = next_start(au, len, 0, &code);
  const unsigned char *nals[512];
  size_t nal_len[512];
  int n = 0;
  while (pos < len && n < 512) {
    size_t start = pos + code, next_code;
    size_t next = next_start(au, len, start, &next_code);
    if (next > start && (au[start] & 0x1F) != 9) { nals[n] = au + start; nal_len[n] = next - start; n++; }
    pos = next;
    code = next_code;
  }
  for (int i = 0; i < n; i++) {
    int last = i == n - 1;
    if (nal_len[i] <= MAX_PACKET - 12) { emit(nals[i], nal_len[i], NULL, 0, ts, last); continue; }
    unsigned char fu[2];
    size_t off = 1, room = MAX_PACKET - 12 - 2;
    while (off < nal_len[i]) {
      size_t chunk = nal_len[i] - off < room ? nal_len[i] - off : room;
      fu[0] = (unsigned char)((nals[i][0] & 0xE0) | 28);
      fu[1] = (unsigned char)((off == 1 ? 0x80 : 0) | (off + chunk == nal_len[i] ? 0x40 : 0) | (nals[i][0] & 0x1F));
      emit(fu, 2, nals[i] + off, chunk, ts, last && off + chunk == nal_len[i]);
      off += chunk;
    }
  }
}

int main(int argc, char **argv) {
  if (argc != 5) { fprintf(stderr, "usage: floorwriter tcp|udp N CLIP FPS\n"); return 64; }
  int tcp = strcmp(argv[1], "tcp") == 0, clients = atoi(argv[2]);
  double fps = atof(argv[4]);
  const char *gso_env = getenv("FLOOR_GSO");
  int gso = !(gso_env && strcmp(gso_env, "0") == 0);
  if (clients < 1 || clients > MAX_CLIENTS || fps <= 0) { errno = 0; die("N must be 1..1024 and FPS positive"); }
  signal(SIGTERM, on_signal);
  signal(SIGINT, on_signal);
  signal(SIGPIPE, SIG_IGN);

  FILE *f = fopen(argv[3], "rb");
  if (!f) die(argv[3]);
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  unsigned char *clip = malloc((size_t)size);
  if (!clip || fread(clip, 1, (size_t)size, f) != (size_t)size) die("read clip");
  fclose(f);

  /* Access units: a new one starts at an SPS/PPS/SEI/AUD or a first slice after a slice. */
  size_t *starts = malloc(sizeof(size_t) * ((size_t)size / 4 + 2));
  int units = 0, saw_slice = 0;
  size_t code, pos = next_start(clip, (size_t)size, 0, &code);
  while (pos < (size_t)size) {
    size_t h = pos + code, next_code;
    size_t next = next_start(clip, (size_t)size, h, &next_code);
    int type = clip[h] & 0x1F, slice = type == 1 || type == 5;
    int opens = type == 6 || type == 7 || type == 8 || type == 9 || (slice && h + 1 < (size_t)size && (clip[h + 1] & 0x80));
    if (units == 0) starts[units++] = pos;
    else if (saw_slice && opens) { starts[units++] = pos; saw_slice = 0; }
    saw_slice |= slice;
    pos = next;
    code = next_code;
  }
  starts[units] = (size_t)size;
  struct frame *frames = calloc((size_t)units, sizeof *frames);
  for (int u = 0; u < units; u++) {
    out_len = 0;
    out_count = 0;
    packetize(clip + starts[u], starts[u + 1] - starts[u], (uint32_t)(u * 3000));
    frames[u].tcp = malloc(out_len);
    memcpy(frames[u].tcp, rtp_out, out_len);
    frames[u].tcp_len = out_len;
    frames[u].count = out_count;
    frames[u].packets = malloc(sizeof(struct iovec) * (size_t)out_count);
    size_t p = 0;
    for (int i = 0; i < out_count; i++) {
      size_t len = (size_t)((frames[u].tcp[p + 2] << 8) | frames[u].tcp[p + 3]);
      frames[u].packets[i].iov_base = frames[u].tcp + p + 4;
      frames[u].packets[i].iov_len = len;
      p += 4 + len;
    }
    group_runs(&frames[u], gso);
  }

  int listener = socket(AF_INET, tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
  int one = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(listener, (struct sockaddr *)&addr, sizeof addr) < 0) die("bind");
  socklen_t alen = sizeof addr;
  getsockname(listener, (struct sockaddr *)&addr, &alen);
  if (tcp && listen(listener, 1024) < 0) die("listen");
  printf("port %d\n", ntohs(addr.sin_port));
  fflush(stdout);

  int fds[MAX_CLIENTS];
  struct sockaddr_in peers[MAX_CLIENTS];
  for (int i = 0; i < clients; i++) {
    if (tcp) {
      fds[i] = accept(listener, NULL, NULL);
      if (fds[i] < 0) die("accept");
    } else {
      char hello[16];
      socklen_t plen = sizeof peers[i];
      if (recvfrom(listener, hello, sizeof hello, 0, (struct sockaddr *)&peers[i], &plen) < 0) die("recvfrom");
    }
  }
  printf("ready %d units=%d\n", clients, units);
  fflush(stdout);

  struct mmsghdr *msgs = calloc(MAX_PACKETS_PER_FRAME, sizeof *msgs);
  union segment_control *controls = calloc(MAX_PACKETS_PER_FRAME, sizeof *controls);
  struct timespec next;
  clock_gettime(CLOCK_MONOTONIC, &next);
  long period = (long)(1e9 / fps);
  unsigned long long short_writes = 0;
  for (long n = 0; !stop; n++) {
    struct frame *fr = &frames[n % units];
    if (tcp) {
      for (int i = 0; i < clients; i++) {
        ssize_t w = send(fds[i], fr->tcp, fr->tcp_len, MSG_DONTWAIT);
        if (w != (ssize_t)fr->tcp_len) short_writes++;
      }
    } else {
      for (int i = 0; i < clients; i++) {
        for (int m = 0, p = 0; m < fr->run_count; p += fr->runs[m], m++) {
          memset(&msgs[m].msg_hdr, 0, sizeof msgs[m].msg_hdr);
          msgs[m].msg_hdr.msg_name = &peers[i];
          msgs[m].msg_hdr.msg_namelen = sizeof peers[i];
          msgs[m].msg_hdr.msg_iov = &fr->packets[p];
          msgs[m].msg_hdr.msg_iovlen = (size_t)fr->runs[m];
          if (fr->runs[m] > 1) {
            memset(&controls[m], 0, sizeof controls[m]);
            msgs[m].msg_hdr.msg_control = controls[m].buf;
            msgs[m].msg_hdr.msg_controllen = sizeof controls[m].buf;
            struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msgs[m].msg_hdr);
            cmsg->cmsg_level = SOL_UDP;
            cmsg->cmsg_type = UDP_SEGMENT;
            cmsg->cmsg_len = CMSG_LEN(sizeof(uint16_t));
            *(uint16_t *)CMSG_DATA(cmsg) = (uint16_t)fr->packets[p].iov_len;
          }
        }
        if (sendmmsg(listener, msgs, (unsigned)fr->run_count, MSG_DONTWAIT) != fr->run_count) short_writes++;
      }
    }
    next.tv_nsec += period;
    while (next.tv_nsec >= 1000000000L) { next.tv_nsec -= 1000000000L; next.tv_sec++; }
    clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
  }
  printf("short_writes=%llu\n", short_writes);
  return 0;
}
