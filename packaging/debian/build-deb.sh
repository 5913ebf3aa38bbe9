#!/usr/bin/env bash
# Builds camstreamd_<version>_<arch>.deb with dpkg-deb (no debhelper needed). Called by `./build.sh deb`.
#   DEB_ARCH=amd64|arm64   target (default: this machine's)
#   DEB_FLAVOR=self-contained|framework-dependent
#       amd64 default self-contained (the .NET runtime inside, nothing else to install);
#       arm64 default framework-dependent (needs the aspnetcore-runtime-10.0 package), because the
#       registry here has no linux-arm64 runtime pack. Where it is reachable, build the arm64
#       self-contained package with DEB_ARCH=arm64 DEB_FLAVOR=self-contained.
#   DEB_OUT=DIR            output directory (default: artifacts/deb)
set -euo pipefail
cd "$(dirname "$0")/../.."

arch=${DEB_ARCH:-$(dpkg --print-architecture)}
case "$arch" in
  amd64) rid=linux-x64; default_flavor=self-contained ;;
  arm64) rid=linux-arm64; default_flavor=framework-dependent ;;
  *) echo "build-deb.sh: unsupported architecture $arch (amd64, arm64)" >&2; exit 64 ;;
esac
flavor=${DEB_FLAVOR:-$default_flavor}
out=${DEB_OUT:-artifacts/deb}
upstream=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)
revision=$(sed -n '1s/^camstreamd (\([^)]*\)).*/\1/p' packaging/debian/changelog)
[ "${revision%-*}" = "$upstream" ] || { echo "build-deb.sh: packaging/debian/changelog is at $revision, Directory.Build.props at $upstream" >&2; exit 65; }
version=$revision
root="$out/root-$arch"
rm -rf "$root"
mkdir -p "$root/DEBIAN" "$root/usr/bin" "$root/usr/lib/camstreamd" "$root/lib/systemd/system" \
  "$root/etc" "$root/usr/share/camstreamd" "$root/usr/share/doc/camstreamd"

# FFmpeg: any supported major (5.1 = 59, 6.x = 60, 7.x = 61); the daemon picks the one installed.
depends="adduser, init-system-helpers (>= 1.54~), libavcodec59 | libavcodec60 | libavcodec61, libavutil57 | libavutil58 | libavutil59, libswscale6 | libswscale7 | libswscale8, libavformat59 | libavformat60 | libavformat61"
publish=(dotnet publish src/CamStreamd/CamStreamd.csproj -c Release -nologo -v quiet -p:DebugType=none -p:GenerateDocumentationFile=false)
if [ "$flavor" = self-contained ]; then
  # ReadyToRun: our own code is compiled ahead of time too (the runtime's already is), so a slow
  # board JITs less at start (here: health answering after 0.57 s instead of 0.66 s).
  "${publish[@]}" -r "$rid" --self-contained true -p:PublishReadyToRun=true -o "$root/usr/lib/camstreamd"
  ln -s ../lib/camstreamd/camstreamd "$root/usr/bin/camstreamd"
  # What the .NET runtime itself links (libicu is not needed: invariant globalization).
  depends="libc6, libgcc-s1, libstdc++6, zlib1g, $depends"
  install -D -m 0644 packaging/debian/lintian-overrides "$root/usr/share/lintian/overrides/camstreamd"
else
  # Portable IL: runs on any architecture with the shared framework installed.
  "${publish[@]}" --self-contained false -p:UseAppHost=false -o "$root/usr/lib/camstreamd"
  printf '#!/bin/sh\nexec /usr/bin/dotnet /usr/lib/camstreamd/camstreamd.dll "$@"\n' > "$root/usr/bin/camstreamd"
  chmod 0755 "$root/usr/bin/camstreamd"
  depends="libc6, aspnetcore-runtime-10.0, $depends"
fi

install -m 0644 systemd/camstreamd.service "$root/lib/systemd/system/camstreamd.service"
install -m 0644 packaging/debian/camstreamd.json "$root/etc/camstreamd.json"
install -m 0644 packaging/debian/camstreamd.schema.json "$root/usr/share/camstreamd/camstreamd.schema.json"
install -m 0644 packaging/debian/copyright "$root/usr/share/doc/camstreamd/copyright"
gzip -9n -c packaging/debian/changelog > "$root/usr/share/doc/camstreamd/changelog.Debian.gz"
chmod 0644 "$root/usr/share/doc/camstreamd/changelog.Debian.gz"
find "$root/usr/lib/camstreamd" -type f -exec chmod 0644 {} +
[ -f "$root/usr/lib/camstreamd/camstreamd" ] && chmod 0755 "$root/usr/lib/camstreamd/camstreamd"
# Native libraries of the runtime are shipped as Microsoft built them, but without symbols.
find "$root/usr/lib/camstreamd" -name '*.so' -exec strip --strip-unneeded {} + 2>/dev/null || true

install -m 0644 packaging/debian/conffiles "$root/DEBIAN/conffiles"
for script in postinst prerm postrm; do
  install -m 0755 "packaging/debian/$script" "$root/DEBIAN/$script"
done
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@INSTALLED_SIZE@/$size/" -e "s/@DEPENDS@/$depends/" \
  packaging/debian/control.in > "$root/DEBIAN/control"

deb="$out/camstreamd_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb"
