#!/bin/sh
# Issue 15, item 7: when passive DNS gives names away to make room, it
# says so.  An appliance resolves 280,000 addresses (more than the
# 262,144 kept), then connects to the first: that flow has no name, and
# the summary counts the names evicted before their TTL ran out.
. "$(dirname "$0")/common.sh"
command -v python3 >/dev/null 2>&1 || { echo "no python3: skip"; exit 77; }

python3 "$blind/mkcaps.py" pdns-flood "$tmp/flood.pcap" || exit 99
run flood -r "$tmp/flood.pcap"
check "the first address has lost its name" \
    "$(flows flood '.destination.ip == "240.0.0.0" and
        .destination.domain == null')" 1
check "names evicted, counted" \
    "$(counter flood pdns.names_evicted)" $((280000 - 262144))
check "... before their TTL ran out" \
    "$(counter flood pdns.names_evicted_unexpired)" $((280000 - 262144))
exit $fail
