#!/bin/sh
# Issue 15, item 4: one packet dated 2038 among two minutes of 2026 does
# not move the packet clock: the flow stays one flow, its record and the
# summary's time range end in 2026, and the packet is counted
# (clock.future_outliers).
. "$(dirname "$0")/common.sh"

run future -r "$blind/future.pcap"
check "one record, all 120 packets" \
    "$(flows future '.source.packets == 120')" 1
check "no record dated 2038" \
    "$(jq -s '[.[] | select(.["@timestamp"] | startswith("2038"))] |
        length' "$tmp/future.json")" 0
check "the record ends at the last 2026 packet" \
    "$(flows future '.event.end == "2026-03-02T08:01:59.000000Z"')" 1
check "the summary's time range" \
    "$(awk '$1 == "time" { print $4 }' "$tmp/future.out")" \
    2026-03-02T08:01:59.000000Z
check "the outlier is counted" \
    "$(counter future clock.future_outliers)" 1

# Issue 15, item 9a: pcap seconds with the top bit set are 2097 (the
# format's unsigned count), in the summary and the records alike (they
# were 1961 in the summary and 1970 in the records).
run old -r "$blind/old-times.pcap"
check "old-times: the summary's range" \
    "$(awk '$1 == "time" { print $2, $4 }' "$tmp/old.out")" \
    "2097-08-05T09:04:00.000000Z 2097-08-05T09:04:02.000000Z"
check "old-times: the record" \
    "$(jq -r '.event.start + " " + .event.end' "$tmp/old.json")" \
    "2097-08-05T09:04:00.000000Z 2097-08-05T09:04:02.000000Z"
exit $fail
