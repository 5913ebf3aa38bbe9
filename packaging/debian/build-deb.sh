#!/usr/bin/env bash
# Builds camstreamd_<version>_<arch>.deb with dpkg-deb (no debhelper needed). Called by `./build.sh deb`.
# The package carries one NativeAOT binary (/usr/bin/camstreamd): no .NET runtime on the board,
# start in tens of milliseconds, less memory than the JIT build. Both architectures are built on
# an amd64 machine; arm64 is cross-compiled with Debian's clang-14, the aarch64 cross binutils and
# libc (gcc-aarch64-linux-gnu, libc6-dev-arm64-cross), the toolchain toolchain/aarch64.cmake names.
#   DEB_ARCH="amd64 arm64"  targets (default on amd64: both; elsewhere this machine's)
#   DEB_OUT=DIR             output directory (default: artifacts/deb)
# Prints the path of each package built, one a line.
set -euo pipefail
cd "$(dirname "$0")/../.."

host_arch=$(dpkg --print-architecture)
if [ "$host_arch" = amd64 ]; then default_archs="amd64 arm64"; else default_archs=$host_arch; fi
archs=${DEB_ARCH:-$default_archs}
out=${DEB_OUT:-artifacts/deb}
mkdir -p "$out"
out=$(cd "$out" && pwd)
upstream=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)
revision=$(sed -n '1s/^camstreamd (\([^)]*\)).*/\1/p' packaging/debian/changelog)
[ "${revision%-*}" = "$upstream" ] || { echo "build-deb.sh: packaging/debian/changelog is at $revision, Directory.Build.props at $upstream" >&2; exit 65; }
version=$revision

build_one() {
  local arch=$1 rid
  case "$arch" in
    amd64) rid=linux-x64 ;;
    arm64) rid=linux-arm64 ;;
    *) echo "build-deb.sh: unsupported architecture $arch (amd64, arm64)" >&2; exit 64 ;;
  esac
  local root="$out/root-$arch" publish="$out/publish-$arch"
  rm -rf "$root" "$publish"
  mkdir -p "$root/DEBIAN" "$root/usr/bin" "$root/lib/systemd/system" \
    "$root/etc" "$root/usr/share/camstreamd" "$root/usr/share/doc/camstreamd"

  # clang-14 for both targets: the SDK passes --target=<triple> to the compiler driver, which gcc
  # does not take; clang finds the aarch64 cross binutils and libc under /usr/aarch64-linux-gnu.
  # Warnings are errors (Directory.Build.props), so a trim or AOT warning fails the package.
  dotnet publish src/CamStreamd/CamStreamd.csproj -c Release -nologo -v quiet -r "$rid" \
    -p:PublishAot=true -p:CppCompilerAndLinker=clang-14 -p:StripSymbols=true -p:DebugType=none \
    -p:GenerateDocumentationFile=false -o "$publish" >&2
  install -m 0755 "$publish/camstreamd" "$root/usr/bin/camstreamd"
  rm -rf "$publish"

  # What the binary loads. Linked: libc (libm, the loader) at the newest GLIBC_ symbol version it
  # uses. Opened at run time: libssl (.NET's cryptography: RandomNumberGenerator, the Digest MD5;
  # without it the runtime aborts at start with "No usable version of libssl was found") and
  # libx264.so.164 (the x264 engine binds it directly; Debian 12 and 13 both ship libx264-164), and
  # FFmpeg, any supported major (5.1 = 59, 6.x = 60, 7.x = 61: the daemon picks the one installed)
  # for the hardware engines, conversions, JPEG, decoding and recording.
  # Not the .NET runtime: it is compiled in. libgpiod only for gpio.driver "libgpiod".
  local glibc
  glibc=$(readelf -V -W "$root/usr/bin/camstreamd" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n 1)
  [ -n "$glibc" ] || { echo "build-deb.sh: no GLIBC_ version found in the $arch binary" >&2; exit 70; }
  local depends="adduser, init-system-helpers (>= 1.54~), libc6 (>= $glibc), libssl3 | libssl3t64"
  depends="$depends, libx264-164, libavcodec59 | libavcodec60 | libavcodec61, libavutil57 | libavutil58 | libavutil59, libswscale6 | libswscale7 | libswscale8, libavformat59 | libavformat60 | libavformat61"
  local suggests="libgpiod2 | libgpiod3"

  install -m 0644 systemd/camstreamd.service "$root/lib/systemd/system/camstreamd.service"
  install -m 0644 packaging/debian/camstreamd.json "$root/etc/camstreamd.json"
  install -m 0644 packaging/debian/camstreamd.schema.json "$root/usr/share/camstreamd/camstreamd.schema.json"
  install -m 0644 packaging/debian/copyright "$root/usr/share/doc/camstreamd/copyright"
  gzip -9n -c packaging/debian/changelog > "$root/usr/share/doc/camstreamd/changelog.Debian.gz"
  chmod 0644 "$root/usr/share/doc/camstreamd/changelog.Debian.gz"

  install -m 0644 packaging/debian/conffiles "$root/DEBIAN/conffiles"
  for script in postinst prerm postrm; do
    install -m 0755 "packaging/debian/$script" "$root/DEBIAN/$script"
  done
  local size
  size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
  sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@INSTALLED_SIZE@/$size/" \
    -e "s/@DEPENDS@/$depends/" -e "s/@SUGGESTS@/$suggests/" \
    packaging/debian/control.in > "$root/DEBIAN/control"

  local deb="$out/camstreamd_${version}_${arch}.deb"
  dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
  rm -rf "$root"
  echo "$deb"
}

for arch in $archs; do
  build_one "$arch"
done
