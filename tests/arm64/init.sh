#!/bin/busybox sh
# init of the arm64 guest's initramfs (tests/arm64/make-guest.sh packs it with Debian's arm64
# busybox-static and the kernel modules listed in /lib/modules/order). Two modes, from the kernel
# command line:
#   camstreamd.mode=stage2  run debootstrap's second stage in the root disk, print STAGE2-EXIT N, power off
#   camstreamd.mode=test    mount the 9p share (the package and guest.sh) at /share, add a unit that
#                           runs /share/guest.sh once multi-user.target is reached, and exec systemd
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
for m in $(cat /lib/modules/order); do insmod /lib/modules/$m.ko || echo "INIT: insmod $m failed"; done
mode=$(sed -n 's/.*camstreamd\.mode=\([a-z0-9]*\).*/\1/p' /proc/cmdline)
n=0
while [ ! -b /dev/vda ] && [ $n -lt 300 ]; do sleep 0.1; n=$((n + 1)); done
mount -t ext4 -o rw /dev/vda /newroot || { echo "INIT: mounting the root disk /dev/vda failed"; poweroff -f; }
echo "INIT: mode $mode, root mounted at $(cut -d' ' -f1 /proc/uptime) s"

if [ "$mode" = stage2 ]; then
  mount --bind /dev /newroot/dev
  chroot /newroot /debootstrap/debootstrap --second-stage
  rc=$?
  if [ $rc -eq 0 ]; then
    # The guest gets its address from slirp's fixed plan (10.0.2.15, gateway 10.0.2.2) through
    # systemd-networkd: no DHCP wait, no ifupdown.
    mkdir -p /newroot/etc/systemd/network
    printf '[Match]\nName=en* eth*\n\n[Network]\nAddress=10.0.2.15/24\nGateway=10.0.2.2\nDNS=10.0.2.3\n' \
      > /newroot/etc/systemd/network/10-qemu.network
    chroot /newroot systemctl enable systemd-networkd.service || rc=$?
    echo camstreamd-arm64 > /newroot/etc/hostname
    chroot /newroot apt-get clean
  fi
  umount /newroot/proc /newroot/sys 2>/dev/null
  umount /newroot/dev
  sync
  umount /newroot
  echo "STAGE2-EXIT $rc"
  poweroff -f
fi

SD=/newroot/etc/systemd/system
# Consoles, logins, timers and first-boot prompts: a serial getty would hold ttyAMA0, a timer would
# only load the TCG CPUs (the root disk is a snapshot: nothing here outlives the run).
for u in getty.target serial-getty@ttyAMA0.service getty@tty1.service console-getty.service systemd-firstboot.service \
  systemd-logind.service systemd-user-sessions.service apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer \
  e2scrub_all.timer e2scrub_reap.service fstrim.timer systemd-tmpfiles-clean.timer systemd-update-utmp.service \
  systemd-update-utmp-runlevel.service systemd-pstore.service systemd-networkd-wait-online.service; do
  ln -sf /dev/null $SD/$u
done
cat /proc/sys/kernel/random/uuid | tr -d - > /newroot/etc/machine-id
mkdir -p /newroot/share
mount -t 9p -o ro,trans=virtio,version=9p2000.L,msize=512000 share /newroot/share || echo "INIT: mounting the share failed"
cat > $SD/camstreamd-arm64-test.service <<'UNIT_EOF'
[Unit]
Description=camstreamd arm64 guest test script
After=multi-user.target

[Service]
Type=simple
ExecStart=/bin/sh -c 'echo "GUEST-SCRIPT-START $(cut -d" " -f1 /proc/uptime)"; /bin/sh /share/guest.sh; echo "GUEST-EXIT $?"; sync; systemctl poweroff --force --force'
StandardOutput=tty
StandardError=tty
TTYPath=/dev/console
UNIT_EOF
mkdir -p $SD/multi-user.target.wants
ln -sf ../camstreamd-arm64-test.service $SD/multi-user.target.wants/camstreamd-arm64-test.service
echo "INIT: switching to systemd"
mount --move /dev /newroot/dev
umount /proc /sys
exec switch_root /newroot /lib/systemd/systemd
