# common.sh: what the tests of tests/blind/ (What an appliance cannot
# hide) start with, sourced from beside them: the source tree, egressd
# ($EGRESSD, else the build's) and jq or a skip (77), a temporary
# directory removed on exit ($tmp), and check/finish to report.
# EGRESSD=/path/to/old/egressd sh tests/blind/X.sh runs a test against
# another build (to see it fail before a fix).
srcdir=${top_srcdir:-.}
egressd=${EGRESSD:-$(cd "${top_builddir:-.}" && pwd)/src/egressd}
blind=$srcdir/tests/blind
command -v jq >/dev/null 2>&1 || { echo "no jq: skip"; exit 77; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0

# check WHAT GOT WANT: one expectation.
check() {
	if [ "$2" = "$3" ]; then
		echo "ok: $1 ($2)"
	else
		echo "FAIL: $1: $2, expected $3"
		fail=1
	fi
}

# run NAME ARGS...: egressd ARGS -j $tmp/NAME.json > $tmp/NAME.out.
run() {
	name=$1
	shift
	"$egressd" "$@" -j "$tmp/$name.json" >"$tmp/$name.out" \
	    2>"$tmp/$name.err"
	rc=$?
	[ $rc -le 1 ] || { echo "FAIL: egressd $*: exit $rc"; fail=1; }
}

# flows NAME JQ-FILTER: how many flow records match.
flows() {
	jq -s "[.[] | select(.event.action == \"flow\") | select($2)] |
	    length" "$tmp/$1.json"
}

# counter NAME COUNTER: its value in the summary, 0 when not there.
counter() {
	awk -v c="$2" '$1 == c { v = $2 } END { print v + 0 }' "$tmp/$1.out"
}
