#!/bin/sh
# The README's two commands on a fresh, minimal Debian 12, as a new user
# would run them: a debootstrap --variant=minbase chroot (or a copy of the
# one $PKG_CHROOT names) gets a copy of the tree, then the first fenced
# block of README.md is run in it line by line (install, build, audit of
# the demo capture), then the second (the test suite).  Needs root,
# debootstrap and a Debian mirror; skipped (77) otherwise.  Not part of
# make check: it takes a quarter of an hour and the network.
set -u
srcdir=$(cd "${top_srcdir:-.}" && pwd)
mirror=${PKG_MIRROR:-http://deb.debian.org/debian}
[ "$(id -u)" -eq 0 ] || { echo "not root: skip"; exit 77; }
command -v debootstrap >/dev/null 2>&1 || { echo "no debootstrap: skip"; exit 77; }
tmp=$(mktemp -d /var/tmp/egressd-readme.XXXXXX) || exit 99
root=$tmp/root
cleanup() {
	for m in run/netns dev/pts dev sys proc run ""; do
		umount -l "$root/$m" 2>/dev/null
	done
	[ -n "${KEEP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

if [ -n "${PKG_CHROOT:-}" ]; then
	cp -a "$PKG_CHROOT" "$root" || fail "copy $PKG_CHROOT"
else
	debootstrap --variant=minbase bookworm "$root" "$mirror" \
	    >"$tmp/debootstrap.log" 2>&1 || fail "debootstrap"
fi
# The root a mount point of its own, as in a container: ip netns exec
# remounts / as a slave, which fails on a plain directory.
mount --bind "$root" "$root" || fail "bind the chroot onto itself"
for m in proc sys dev dev/pts run; do
	mkdir -p "$root/$m"
	case $m in
	proc) mount -t proc proc "$root/proc" ;;
	sys) mount -t sysfs sys "$root/sys" ;;
	run) mount -t tmpfs run "$root/run" ;;
	*) mount --bind "/$m" "$root/$m" ;;
	esac || fail "mount /$m"
done
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null
mkdir -p "$root/src/egressd"
(cd "$srcdir" && { git ls-files; git ls-files --others --exclude-standard; } |
    sort -u | while read -r f; do [ -f "$f" ] && echo "$f"; done |
    tar -cf - -T -) | tar -xf - -C "$root/src/egressd" || fail "copy the tree"
# The first fenced block of the README: its two lines.
awk '/^```/ { if (inb) exit; inb = 1; next } inb' "$srcdir/README.md" \
    >"$root/src/readme.sh"
[ "$(wc -l <"$root/src/readme.sh")" -eq 2 ] ||
    fail "the README's first block is not two commands"
head -1 "$root/src/readme.sh" >"$root/src/one.sh"
tail -1 "$root/src/readme.sh" >"$root/src/two.sh"
run() {
	chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
	    HOME=/root TERM=dumb sh -c "cd /src/egressd && sh -e /src/$1"
}
echo "== $(cat "$root/src/one.sh" | cut -c1-100)..."
run one.sh >"$tmp/one.log" 2>&1 || { tail -30 "$tmp/one.log"; fail "the first command"; }
grep -q "^appliances: " "$tmp/one.log" || fail "the first command printed no audit"
echo "ok: the first command installs, builds and audits the demo capture"
echo "== $(cat "$root/src/two.sh")"
run two.sh >"$tmp/two.log" 2>&1
rc=$?
grep -E "^(# (TOTAL|PASS|SKIP|FAIL|ERROR)|(FAIL|ERROR|SKIP):)" "$tmp/two.log"
[ $rc -eq 0 ] || { tail -30 "$tmp/two.log"; fail "the second command (exit $rc)"; }
echo "ok: the second command runs the whole suite"
