#!/bin/sh
# Issue 15, item 5: an HTTP request whose header section runs past the
# 16 KiB egressd reads (a 20 kB Cookie after Host and User-Agent) is
# named all the same: Host and User-Agent are taken as soon as their lines
# are read.
. "$(dirname "$0")/common.sh"

run big -r "$blind/http-big.pcap"
check "a 20 kB header section: url.domain" \
    "$(flows big '.url.domain == "big.vendor.example" and
        .destination.domain == "big.vendor.example"')" 1
check "a 20 kB header section: user_agent.original" \
    "$(flows big '.user_agent.original == "cam-fw/9.1"')" 1
check "named before the end of its header section" \
    "$(counter big app.http.named_before_end)" 1
exit $fail
