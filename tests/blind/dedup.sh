#!/bin/sh
# Issue 15, item 1: SPAN de-duplication cannot be steered by the sender.
#  - 400 datagrams with IP id 0, UDP checksum 0 and the same first 72
#    payload bytes, 100 us apart, each new further on: every one counted,
#    with its bytes, none a "duplicate".
#  - Bursts of five byte-identical datagrams 100 us apart (60 of them):
#    at most three copies of a packet are dropped, the fifth is counted
#    (decode.duplicate.excess); the flow says how many copies it lost
#    (egressd.flow.duplicates), the summary counts such flows
#    (alert.copy_flows) and a duplicate-flood alert names it.
. "$(dirname "$0")/common.sh"

run steer -r "$blind/dedup-steer.pcap"
check "steered datagrams: all counted" \
    "$(flows steer '.source.ip == "10.20.1.50" and .source.packets == 400 and
        .source.bytes == 113600 and .egressd.flow.duplicates == null')" 1
check "identical bursts: packets counted" \
    "$(flows steer '.source.ip == "10.20.1.51" and .source.packets == 120')" 1
check "identical bursts: copies dropped, in the record" \
    "$(flows steer '.source.ip == "10.20.1.51" and
        .egressd.flow.duplicates == 180')" 1
check "identical bursts: past what a mirror makes" \
    "$(counter steer decode.duplicate.excess)" 60
check "identical bursts: a flow mostly copies" \
    "$(counter steer alert.copy_flows)" 1
check "identical bursts: a duplicate-flood alert" \
    "$(jq -s '[.[] | select(.event.action == "duplicate-flood" and
        .destination.ip == "198.51.100.10")] | length' "$tmp/steer.json")" 1
check "duplicates dropped in all" "$(counter steer decode.duplicate)" 180
exit $fail
