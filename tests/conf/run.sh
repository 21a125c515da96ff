#!/bin/sh
# Config golden test.  For NN.conf: "egressd -tv -c NN.conf" must exit 0
# with nothing on stderr and print NN.ok; what it printed must parse again
# and print the same (the round trip).  For bad-NN.conf: "egressd -t -c
# bad-NN.conf" must exit 1, print nothing on stdout and exactly bad-NN.err
# on stderr.  egressd runs in the source tree with the path relative to
# it, so file names in messages do not depend on the build directory.
# With UPDATE_GOLDEN=1 the expected file is rewritten instead (and a
# person reads the diff before committing it).
set -u
srcdir=${top_srcdir:-.}
builddir=${top_builddir:-.}
egressd=$(cd "$builddir" && pwd)/src/egressd
conf=${1#"$srcdir"/}
name=${conf%.conf}
case ${name##*/} in
bad-*) want=$name.err ;;
*) want=$name.ok ;;
esac
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
cd "$srcdir" || exit 99

case ${name##*/} in
bad-*)
	"$egressd" -t -c "$conf" >"$tmp/stdout" 2>"$tmp/stderr"
	rc=$?
	result=$tmp/stderr
	;;
*)
	"$egressd" -tv -c "$conf" >"$tmp/stdout" 2>"$tmp/stderr"
	rc=$?
	result=$tmp/stdout
	;;
esac
if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
	cp "$result" "$want"
	echo "updated $want"
	exit 0
fi
if [ ! -f "$want" ]; then
	echo "missing $want (run make update-golden)"
	exit 1
fi
fail=0
if ! diff -u "$want" "$result"; then
	echo "FAIL: output differs from $want"
	fail=1
fi
case ${name##*/} in
bad-*)
	if [ "$rc" -ne 1 ]; then
		echo "FAIL: exit status $rc, expected 1"
		fail=1
	fi
	if [ -s "$tmp/stdout" ]; then
		echo "FAIL: output on stdout:"
		cat "$tmp/stdout"
		fail=1
	fi
	;;
*)
	if [ "$rc" -ne 0 ] || [ -s "$tmp/stderr" ]; then
		echo "FAIL: exit status $rc, stderr:"
		cat "$tmp/stderr"
		fail=1
	fi
	# The round trip: the normal form parses to the same normal form.
	cp "$tmp/stdout" "$tmp/again.conf"
	"$egressd" -tv -c "$tmp/again.conf" >"$tmp/again" 2>&1
	rc=$?
	if [ "$rc" -ne 0 ] || ! diff -u "$tmp/stdout" "$tmp/again"; then
		echo "FAIL: the printed form does not parse to itself" \
		    "(exit status $rc)"
		fail=1
	fi
	;;
esac
exit $fail
