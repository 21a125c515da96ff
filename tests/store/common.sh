# Shared by the store tests: paths, a temporary directory removed at the
# end, and fail/skip helpers.  Sourced, with "set -u" in force.
srcdir=${top_srcdir:-.}
builddir=${top_builddir:-.}
egressd=$(cd "$builddir" && pwd)/src/egressd
egressctl=$(cd "$builddir" && pwd)/src/egressctl
pcapgen=$(cd "$builddir" && pwd)/pcaps/pcapgen
srcdir=$(cd "$srcdir" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/egressd-store.XXXXXX") || exit 99
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
fail=0

# fail MESSAGE: note a failure and go on.
fail() {
	echo "FAIL: $*"
	fail=1
}

# skip MESSAGE: the test cannot run here (automake's 77).
skip() {
	echo "SKIP: $*"
	exit 77
}

# need TOOL...: skip unless every tool is there.
need() {
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 || skip "$t is not installed"
	done
}

# q DB SQL: one query through the sqlite3 shell.
q() {
	sqlite3 -batch "$1" "$2"
}
