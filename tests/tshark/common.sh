# common.sh: what the tshark cross-checks (crosscheck.sh, names.sh,
# dnsnames.sh) all start with, sourced from beside them: the source tree
# and egressd, tshark and jq or a skip (77), and a temporary directory
# removed on exit ($tmp).
srcdir=${top_srcdir:-.}
egressd=$(cd "${top_builddir:-.}" && pwd)/src/egressd
command -v tshark >/dev/null 2>&1 || { echo "no tshark: skip"; exit 77; }
command -v jq >/dev/null 2>&1 || { echo "no jq: skip"; exit 77; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

# The egressd options a bundled capture needs: the mirrors of vxlan.pcap
# and erspan.pcap arrive in tunnels, which egressd enters only when told.
capture_opts() {
	case ${1##*/} in
	vxlan.pcap) echo --vxlan ;;
	erspan.pcap) echo --tunnel gre,erspan ;;
	esac
}
