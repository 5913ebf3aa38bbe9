#!/usr/bin/env bash
# Unpacks Debian's nginx with libnginx-mod-rtmp into a cache directory (never installed: installing
# nginx starts a service on port 80), for the RTMP publishing tests. Prints the directory; the
# binary is DIR/usr/sbin/nginx, the module DIR/usr/lib/nginx/modules/ngx_rtmp_module.so.
#   tests/nginx/fetch-nginx-rtmp.sh     (cached in ~/.cache/camstreamd/nginx-rtmp)
set -euo pipefail

DIR=${CAMSTREAMD_NGINX_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/camstreamd/nginx-rtmp}
STAMP="$DIR/.camstreamd-complete"
if [ -f "$STAMP" ]; then
  echo "$DIR"
  exit 0
fi

mkdir -p "$DIR"
exec 9>"$DIR.lock"
flock -w 600 9 || { echo "timed out waiting for another fetch-nginx-rtmp.sh" >&2; exit 75; }
if [ -f "$STAMP" ]; then
  echo "$DIR"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# _apt cannot write into a root-only temp dir; let it.
chmod 755 "$work"
(cd "$work" && apt-get download -q nginx nginx-common libnginx-mod-rtmp >&2) || {
  echo "apt-get download nginx nginx-common libnginx-mod-rtmp failed (run apt-get update?)" >&2
  exit 69
}
for deb in "$work"/*.deb; do
  dpkg -x "$deb" "$DIR"
done
test -x "$DIR/usr/sbin/nginx"
test -f "$DIR/usr/lib/nginx/modules/ngx_rtmp_module.so"
touch "$STAMP"
echo "$DIR"
