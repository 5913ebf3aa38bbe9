/*
 * rtspload: the benchmarks' light load client. One process, many RTSP sessions (or raw sockets
 * for the floor writer), epoll, reads and discards, so the clients' CPU does not swamp the
 * server's. Loopback only: bench/ passes 127.0.0.1 URLs.
 *
 *   rtspload play URL N tcp|udp     N RTSP sessions; prints "ready" when all are playing, then
 *                                   reads until SIGTERM/SIGINT and prints per-session rates
 *                                   since ready or since the last SIGUSR1; UDP sessions
 *                                   are torn down (TEARDOWN) before it exits
 *   rtspload raw tcp|udp PORT N     N sockets to the floor writer on 127.0.0.1:PORT (UDP: each
 *                                   sends one hello datagram from its port), then as above
 *   rtspload join URL tcp|udp       one session: seconds from connect() to the last packet of
 *                                   the first complete IDR access unit (marker bit, no gap)
 *   rtspload wire URL SECONDS       one TCP session: for each access unit's last packet (marker),
 *                                   its arrival (CLOCK_REALTIME) minus its capture time, which the
 *                                   RTP timestamp gives through the latest RTCP sender report
 *                                   (NTP wall clock <-> RTP clock); prints milliseconds, one a line,
 *                                   skipping the first 2 s (the cached GOP's old frames)
 *
 * Built by bench/bench.sh with gcc -O2; not part of the daemon.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define MAX_SESSIONS 1024
#define RESPONSE_MAX 16384
#define UDP_BATCH 64

struct session {
  int tcp;              /* RTSP connection (TCP: also carries RTP) */
  int rtp, rtcp;        /* UDP sockets, or -1 */
  unsigned long long bytes;
  unsigned long long packets;
  char base[1024], id[256]; /* for the TEARDOWN at the end */
};

static struct session sessions[MAX_SESSIONS];
static volatile sig_atomic_t stop;
static char leftover[65536];
static size_t leftover_len;

static volatile sig_atomic_t restart;
static void on_signal(int sig) { (void)sig; stop = 1; }
static void on_restart(int sig) { (void)sig; restart = 1; }

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what) {
  fprintf(stderr, "rtspload: %s: %s\n", what, errno ? strerror(errno) : "failed");
  exit(1);
}

/* rtsp://HOST:PORT/path -> host, port. */
static void parse_url(const char *url, char *host, size_t host_len, int *port) {
  const char *p = url;
  if (strncmp(p, "rtsp://", 7) != 0) { errno = 0; die("URL must start with rtsp://"); }
  p += 7;
  const char *colon = strchr(p, ':');
  const char *slash = strchr(p, '/');
  if (!slash) slash = p + strlen(p);
  *port = 554;
  if (colon && colon < slash) {
    snprintf(host, host_len, "%.*s", (int)(colon - p), p);
    *port = atoi(colon + 1);
  } else {
    snprintf(host, host_len, "%.*s", (int)(slash - p), p);
  }
}

static int connect_tcp(const char *host, int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) die("socket");
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
  if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) { errno = 0; die("host must be an IPv4 address"); }
  if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) die("connect");
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

/* Sends a request and reads the response head and body; bytes after it stay in leftover.
 * Interleaved frames the server sends before the response (a shared stream already running
 * when PLAY is answered) are skipped. */
static int request(int fd, const char *text, char *response, size_t response_len) {
  size_t len = strlen(text);
  if (write(fd, text, len) != (ssize_t)len) die("write request");
  size_t have = 0;
  for (;;) {
    while (have >= 4 && response[0] == '$') {
      size_t frame = 4 + (size_t)(((unsigned char)response[2] << 8) | (unsigned char)response[3]);
      if (have < frame) break;
      memmove(response, response + frame, have - frame);
      have -= frame;
    }
    char *end = (have > 0 && response[0] != '$') ? memmem(response, have, "\r\n\r\n", 4) : NULL;
    if (end) {
      size_t head = (size_t)(end + 4 - response);
      size_t body = 0;
      response[head - 1] = 0; /* the head is text: search it for Content-Length */
      char *cl = strcasestr(response, "\nContent-Length:");
      if (cl) body = (size_t)atoi(cl + 16);
      response[head - 1] = '\n';
      if (head + body >= response_len) { errno = 0; die("response too long"); }
      while (have < head + body) {
        ssize_t n = read(fd, response + have, response_len - 1 - have);
        if (n <= 0) die("read response body");
        have += (size_t)n;
      }
      leftover_len = have - head - body;
      memcpy(leftover, response + head + body, leftover_len);
      response[head + body] = 0;
      return atoi(response + 9); /* "RTSP/1.0 200" */
    }
    if (have >= response_len - 1) { errno = 0; die("response too long"); }
    ssize_t n = read(fd, response + have, response_len - 1 - have);
    if (n <= 0) die("read response");
    have += (size_t)n;
  }
}

static void header_value(const char *response, const char *name, char *out, size_t out_len) {
  out[0] = 0;
  char key[64];
  snprintf(key, sizeof key, "\n%s:", name);
  const char *p = strcasestr(response, key);
  if (!p) return;
  p += strlen(key);
  while (*p == ' ') p++;
  size_t n = strcspn(p, "\r\n");
  snprintf(out, out_len, "%.*s", (int)n, p);
}

/* Binds an even/odd UDP port pair on 127.0.0.1 for RTP/RTCP. */
static void bind_pair(int *rtp, int *rtcp, int *port) {
  static int next = 0;
  if (next == 0) next = 20000 + (getpid() % 2000) * 10;
  for (int tries = 0; tries < 20000; tries++, next += 2) {
    if (next > 64000) next = 20000;
    int a = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0), b = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    addr.sin_port = htons((uint16_t)next);
    if (bind(a, (struct sockaddr *)&addr, sizeof addr) == 0) {
      addr.sin_port = htons((uint16_t)(next + 1));
      if (bind(b, (struct sockaddr *)&addr, sizeof addr) == 0) {
        int size = 1 << 20;
        setsockopt(a, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
        *rtp = a; *rtcp = b; *port = next;
        next += 2;
        return;
      }
    }
    close(a); close(b);
  }
  errno = 0;
  die("no free UDP port pair");
}

/* DESCRIBE, SETUP, PLAY; the session's sockets are left open. */
static void open_session(struct session *s, const char *url, int tcp) {
  char host[256], response[RESPONSE_MAX], text[4096], base[1024], control[1024], track[2048], id[256];
  int port;
  parse_url(url, host, sizeof host, &port);
  s->tcp = connect_tcp(host, port);
  s->rtp = s->rtcp = -1;
  snprintf(text, sizeof text, "DESCRIBE %s RTSP/1.0\r\nCSeq: 1\r\nAccept: application/sdp\r\nUser-Agent: rtspload\r\n\r\n", url);
  int status = request(s->tcp, text, response, sizeof response);
  if (status != 200) { errno = 0; fprintf(stderr, "DESCRIBE %s: %d\n", url, status); die("DESCRIBE"); }
  header_value(response, "Content-Base", base, sizeof base);
  if (!base[0]) snprintf(base, sizeof base, "%s", url);
  /* The video's control attribute: the first a=control after m=video. */
  control[0] = 0;
  const char *media = strstr(response, "\nm=video");
  const char *attr = media ? strstr(media, "\na=control:") : NULL;
  if (attr) {
    attr += 11;
    snprintf(control, sizeof control, "%.*s", (int)strcspn(attr, "\r\n"), attr);
  }
  if (!control[0] || strcmp(control, "*") == 0) {
    snprintf(track, sizeof track, "%s", base);
  } else if (strncmp(control, "rtsp://", 7) == 0) {
    snprintf(track, sizeof track, "%s", control);
  } else {
    size_t bl = strlen(base);
    snprintf(track, sizeof track, "%s%s%s", base, bl && base[bl - 1] == '/' ? "" : "/", control);
  }
  if (tcp) {
    snprintf(text, sizeof text, "SETUP %s RTSP/1.0\r\nCSeq: 2\r\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1\r\nUser-Agent: rtspload\r\n\r\n", track);
  } else {
    int client_port;
    bind_pair(&s->rtp, &s->rtcp, &client_port);
    snprintf(text, sizeof text, "SETUP %s RTSP/1.0\r\nCSeq: 2\r\nTransport: RTP/AVP;unicast;client_port=%d-%d\r\nUser-Agent: rtspload\r\n\r\n",
             track, client_port, client_port + 1);
  }
  status = request(s->tcp, text, response, sizeof response);
  if (status != 200) { errno = 0; fprintf(stderr, "SETUP %s: %d\n", track, status); die("SETUP"); }
  header_value(response, "Session", id, sizeof id);
  id[strcspn(id, ";")] = 0;
  snprintf(text, sizeof text, "PLAY %s RTSP/1.0\r\nCSeq: 3\r\nSession: %s\r\nRange: npt=0.000-\r\nUser-Agent: rtspload\r\n\r\n", base, id);
  status = request(s->tcp, text, response, sizeof response);
  if (status != 200) { errno = 0; fprintf(stderr, "PLAY %s: %d\n", base, status); die("PLAY"); }
  s->bytes += leftover_len;
  snprintf(s->base, sizeof s->base, "%s", base);
  snprintf(s->id, sizeof s->id, "%s", id);
}

/* Ends a UDP session at once: the server would otherwise keep sending to its ports until its
 * session timeout (a UDP session outlives its RTSP connection), and a bench measuring the next
 * client count would count those senders too. TCP sessions end with their connection. */
static void teardown(struct session *s) {
  char text[2048], response[RESPONSE_MAX];
  snprintf(text, sizeof text, "TEARDOWN %s RTSP/1.0\r\nCSeq: 4\r\nSession: %s\r\nUser-Agent: rtspload\r\n\r\n", s->base, s->id);
  (void)request(s->tcp, text, response, sizeof response);
}

static int compare_ull(const void *a, const void *b) {
  unsigned long long x = *(const unsigned long long *)a, y = *(const unsigned long long *)b;
  return x < y ? -1 : x > y;
}

/* Reads and discards until a signal; then prints the per-session receive rates. */
static void drain(int count, int tcp) {
  int ep = epoll_create1(0);
  if (ep < 0) die("epoll_create1");
  for (int i = 0; i < count; i++) {
    int fd = tcp ? sessions[i].tcp : sessions[i].rtp;
    struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (uint32_t)i };
    if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) die("epoll_ctl");
  }
  static char buffer[UDP_BATCH][2048];
  struct mmsghdr msgs[UDP_BATCH];
  struct iovec iov[UDP_BATCH];
  for (int i = 0; i < UDP_BATCH; i++) {
    iov[i].iov_base = buffer[i];
    iov[i].iov_len = sizeof buffer[i];
    memset(&msgs[i], 0, sizeof msgs[i]);
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
  }
  static char stream[262144];
  printf("ready %d\n", count);
  fflush(stdout);
  double start = now_seconds();
  for (int i = 0; i < count; i++) sessions[i].bytes = 0;
  struct epoll_event events[256];
  while (!stop) {
    if (restart) {
      /* SIGUSR1: the measurement starts now (the cached GOP's burst at PLAY stays out of it). */
      restart = 0;
      start = now_seconds();
      for (int i = 0; i < count; i++) sessions[i].bytes = 0;
    }
    int n = epoll_wait(ep, events, 256, 200);
    for (int e = 0; e < n; e++) {
      struct session *s = &sessions[events[e].data.u32];
      if (tcp) {
        ssize_t got = recv(s->tcp, stream, sizeof stream, MSG_DONTWAIT);
        if (got > 0) s->bytes += (unsigned long long)got;
        else if (got == 0) { epoll_ctl(ep, EPOLL_CTL_DEL, s->tcp, NULL); }
      } else {
        int got = recvmmsg(s->rtp, msgs, UDP_BATCH, MSG_DONTWAIT, NULL);
        for (int m = 0; m < got; m++) { s->bytes += msgs[m].msg_len; s->packets++; }
      }
    }
  }
  double seconds = now_seconds() - start;
  unsigned long long rates[MAX_SESSIONS], total = 0;
  for (int i = 0; i < count; i++) { rates[i] = sessions[i].bytes; total += sessions[i].bytes; }
  qsort(rates, (size_t)count, sizeof rates[0], compare_ull);
  printf("seconds=%.2f sessions=%d total_mbit_s=%.1f min_mbit_s=%.3f median_mbit_s=%.3f\n", seconds, count,
         (double)total * 8 / seconds / 1e6, (double)rates[0] * 8 / seconds / 1e6, (double)rates[count / 2] * 8 / seconds / 1e6);
  fflush(stdout);
}

/* Join mode: RTP packets of one session until the first IDR access unit is complete. */
static int idr_seen, idr_broken, have_seq;
static uint16_t last_seq;

static int on_rtp(const unsigned char *p, size_t len) {
  if (len < 13 || (p[0] >> 6) != 2) return 0;
  size_t header = 12 + 4u * (p[0] & 0x0F);
  if (p[0] & 0x10) {
    if (len < header + 4) return 0;
    header += 4 + 4u * ((p[header + 2] << 8) | p[header + 3]);
  }
  if (len <= header) return 0;
  uint16_t seq = (uint16_t)((p[2] << 8) | p[3]);
  int gap = have_seq && (uint16_t)(last_seq + 1) != seq;
  have_seq = 1;
  last_seq = seq;
  if (idr_seen && gap) idr_broken = 1;
  int type = p[header] & 0x1F;
  if (type == 5) idr_seen = 1;
  if (type == 28 && len > header + 1 && (p[header + 1] & 0x1F) == 5) idr_seen = 1;
  int marker = p[1] & 0x80;
  if (marker && idr_seen) {
    if (!idr_broken) return 1;
    idr_seen = idr_broken = 0; /* lost a piece: wait for the next IDR */
  }
  return 0;
}

/* The next whole interleaved frame at *pos of buffer[0..have) ('$', channel, 16-bit length,
 * RFC 2326 section 10.12), skipping RTSP messages between frames (e.g. a server request).
 * Returns 1 with the channel and payload and *pos past the frame, 0 when more bytes are needed. */
static int next_interleaved(const unsigned char *buffer, size_t have, size_t *pos,
                            int *channel, const unsigned char **payload, size_t *len) {
  while (have - *pos >= 4) {
    if (buffer[*pos] != '$') {
      const unsigned char *end = memmem(buffer + *pos, have - *pos, "\r\n\r\n", 4);
      if (!end) return 0;
      *pos = (size_t)(end + 4 - buffer);
      continue;
    }
    size_t n = (size_t)((buffer[*pos + 2] << 8) | buffer[*pos + 3]);
    if (have - *pos < 4 + n) return 0;
    *channel = buffer[*pos + 1];
    *payload = buffer + *pos + 4;
    *len = n;
    *pos += 4 + n;
    return 1;
  }
  return 0;
}

static void join(const char *url, int tcp) {
  double start = now_seconds();
  struct session *s = &sessions[0];
  open_session(s, url, tcp);
  static unsigned char buffer[262144];
  size_t have = leftover_len;
  memcpy(buffer, leftover, leftover_len);
  for (;;) {
    if (now_seconds() - start > 15) { errno = 0; die("no complete IDR within 15 s"); }
    if (tcp) {
      size_t pos = 0, len;
      int channel;
      const unsigned char *p;
      while (next_interleaved(buffer, have, &pos, &channel, &p, &len)) {
        if (channel == 0 && on_rtp(p, len)) goto done;
      }
      memmove(buffer, buffer + pos, have - pos);
      have -= pos;
      ssize_t n = read(s->tcp, buffer + have, sizeof buffer - have);
      if (n <= 0) die("read");
      have += (size_t)n;
    } else {
      struct timeval tv = { .tv_sec = 1 };
      setsockopt(s->rtp, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      int flags = 0;
      ssize_t n = recv(s->rtp, buffer, sizeof buffer, flags);
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) { usleep(1000); continue; }
      if (n < 0) die("recv");
      if (on_rtp(buffer, (size_t)n)) goto done;
    }
  }
done:
  printf("%.4f\n", now_seconds() - start);
}

/* Capture-to-wire: the server's SRs map its RTP clock to the wall clock (RFC 3550 section 6.4.1). */
static int have_sr;
static double sr_wall;   /* seconds since 1970 */
static uint32_t sr_rtp;

static double wall_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void on_rtcp(const unsigned char *p, size_t len) {
  while (len >= 8) {
    size_t packet = 4u * (((size_t)p[2] << 8 | p[3]) + 1);
    if (packet > len) return;
    if (p[1] == 200 && packet >= 28) { /* SR: NTP seconds since 1900 and fraction, then RTP time */
      uint32_t sec = (uint32_t)p[8] << 24 | (uint32_t)p[9] << 16 | (uint32_t)p[10] << 8 | p[11];
      uint32_t frac = (uint32_t)p[12] << 24 | (uint32_t)p[13] << 16 | (uint32_t)p[14] << 8 | p[15];
      sr_wall = (double)sec - 2208988800.0 + (double)frac / 4294967296.0;
      sr_rtp = (uint32_t)p[16] << 24 | (uint32_t)p[17] << 16 | (uint32_t)p[18] << 8 | p[19];
      have_sr = 1;
    }
    p += packet;
    len -= packet;
  }
}

static void wire(const char *url, double seconds) {
  struct session *s = &sessions[0];
  open_session(s, url, 1);
  double start = now_seconds();
  static unsigned char buffer[262144];
  size_t have = leftover_len;
  memcpy(buffer, leftover, leftover_len);
  while (now_seconds() - start < seconds && !stop) {
    size_t pos = 0, len;
    int channel;
    const unsigned char *p;
    while (next_interleaved(buffer, have, &pos, &channel, &p, &len)) {
      if (channel == 1) on_rtcp(p, len);
      if (channel == 0 && len >= 12 && (p[1] & 0x80) && have_sr && now_seconds() - start > 2) {
        uint32_t rtp = (uint32_t)p[4] << 24 | (uint32_t)p[5] << 16 | (uint32_t)p[6] << 8 | p[7];
        double capture = sr_wall + (double)(int32_t)(rtp - sr_rtp) / 90000.0;
        printf("%.3f\n", (wall_seconds() - capture) * 1000);
      }
    }
    memmove(buffer, buffer + pos, have - pos);
    have -= pos;
    struct timeval tv = { .tv_sec = 1 };
    setsockopt(s->tcp, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ssize_t n = read(s->tcp, buffer + have, sizeof buffer - have);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) continue;
    if (n <= 0) die("read");
    have += (size_t)n;
  }
  fflush(stdout);
}

int main(int argc, char **argv) {
  signal(SIGTERM, on_signal);
  signal(SIGINT, on_signal);
  signal(SIGPIPE, SIG_IGN);
  signal(SIGUSR1, on_restart);
  if (argc == 5 && strcmp(argv[1], "play") == 0) {
    int count = atoi(argv[3]), tcp = strcmp(argv[4], "tcp") == 0;
    if (count < 1 || count > MAX_SESSIONS) { errno = 0; die("N must be 1..1024"); }
    for (int i = 0; i < count; i++) open_session(&sessions[i], argv[2], tcp);
    drain(count, tcp);
    if (!tcp) for (int i = 0; i < count; i++) teardown(&sessions[i]);
    return 0;
  }
  if (argc == 5 && strcmp(argv[1], "raw") == 0) {
    int tcp = strcmp(argv[2], "tcp") == 0, port = atoi(argv[3]), count = atoi(argv[4]);
    if (count < 1 || count > MAX_SESSIONS) { errno = 0; die("N must be 1..1024"); }
    struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    for (int i = 0; i < count; i++) {
      if (tcp) {
        sessions[i].tcp = connect_tcp("127.0.0.1", port);
      } else {
        int client_port;
        bind_pair(&sessions[i].rtp, &sessions[i].rtcp, &client_port);
        if (sendto(sessions[i].rtp, "hello", 5, 0, (struct sockaddr *)&to, sizeof to) != 5) die("sendto hello");
      }
    }
    drain(count, tcp);
    return 0;
  }
  if (argc == 4 && strcmp(argv[1], "join") == 0) {
    join(argv[2], strcmp(argv[3], "tcp") == 0);
    return 0;
  }
  if (argc == 4 && strcmp(argv[1], "wire") == 0) {
    wire(argv[2], atof(argv[3]));
    return 0;
  }
  fprintf(stderr, "usage: rtspload play URL N tcp|udp | raw tcp|udp PORT N | join URL tcp|udp | wire URL SECONDS\n");
  return 64;
}
