#!/bin/sh
# A file name the operator gives is printed with its control characters
# escaped (\DDD, in decimal as in DNS names: RFC 1035 5.1), in the summary, in log messages and in configuration
# errors: a capture named "a<ESC>[31mred<BS>x.pcap" printed the terminal
# escape and the backspace raw (issue 15, "file names given by the
# operator are printed raw"), and a newline in a name started a line of
# its own.
set -u
srcdir=${top_srcdir:-.}
egressd=$(cd "${top_builddir:-.}" && pwd)/src/egressd
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
esc=$(printf '\033')
status=0
fail() { printf 'FAIL: %s\n' "$*"; status=1; }

# No byte below 0x20 but the line ends, and no DEL, in a file.
clean() {
	if LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$1"; then
		fail "$2: a control character printed raw"
		LC_ALL=C od -c "$1" | head -5
	fi
}

# 1. A capture's name, in the summary's head.
cap=$(printf '%s/a\033[31mred\010x.pcap' "$tmp")
cp "$srcdir/pcaps/site-demo.pcap" "$cap" || exit 99
"$egressd" -r "$cap" >"$tmp/summary" 2>"$tmp/err" || fail "exit $?"
clean "$tmp/summary" summary
want="capture   $tmp/a\\027[31mred\\008x.pcap"
grep -qxF "$want" "$tmp/summary" || { fail "no line '$want'"; head -3 "$tmp/summary"; }

# 2. A capture that is not there, in the log (stderr).
"$egressd" -r "$tmp/no${esc}such" >/dev/null 2>"$tmp/err2" && fail "exit 0"
clean "$tmp/err2" "missing capture"
grep -qF "$tmp/no\\027such" "$tmp/err2" || { fail "error names it not so"; cat "$tmp/err2"; }

# 3. A configuration with an error, its name with a newline and an escape.
conf=$(printf '%s/c\033\nx.conf' "$tmp")
printf 'bogus\n' >"$conf" || exit 99
"$egressd" -t -c "$conf" >/dev/null 2>"$tmp/err3" && fail "-t: exit 0"
clean "$tmp/err3" "config error"
n=$(wc -l <"$tmp/err3")
[ "$n" -eq 1 ] || { fail "-t: $n lines for one error"; cat "$tmp/err3"; }
grep -qF "$tmp/c\\027\\010x.conf:1: " "$tmp/err3" ||
    { fail "-t: the file not named escaped"; cat "$tmp/err3"; }

[ $status -eq 0 ] && echo "summary, log and config errors: names escaped"
exit $status
