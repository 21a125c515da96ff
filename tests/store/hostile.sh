#!/bin/sh
# Hostile names from the wire (tests/store/hostile.py: quotes, ', ;, SQL,
# NUL, invalid UTF-8, newlines and control bytes in DNS answers, a TLS SNI
# and HTTP Hosts) are stored exactly as egressd names them in its JSON
# lines, and egressctl prints them back exactly: the same set of names
# from the JSON lines, the table itself, the sqlite3 shell, egressctl
# --json (jq) and egressctl --csv (Python's csv module).
set -u
. "${top_srcdir:-.}/tests/store/common.sh"
need sqlite3 python3 jq
python3 "$srcdir/tests/store/hostile.py" "$tmp/h.pcap" || exit 99
"$egressd" -r "$tmp/h.pcap" -w "$tmp/h.db" -j "$tmp/h.json" >/dev/null \
    2>"$tmp/err" || fail "egressd: exit $?: $(cat "$tmp/err")"
jq -r '.destination.domain // empty' "$tmp/h.json" | sort -u >"$tmp/json"
[ "$(wc -l <"$tmp/json")" -eq 9 ] ||
    fail "expected 9 names in the JSON lines, got $(wc -l <"$tmp/json")"
for s in 'a"b'"'"'c;d.example' 'x'"'"');\032drop\032table\032names;\032--.example' \
    'nul\000byte.example' 'bad\255\254utf8.example' \
    'new\010line\013.example' 'sni"'"'"';\xff\x00\x0a.example' \
    'h,comma "quoted".example'; do
	grep -qxF "$s" "$tmp/json" || fail "no name $s in the JSON lines"
done
q "$tmp/h.db" "SELECT name FROM names" | sort -u >"$tmp/sql"
diff -u "$tmp/json" "$tmp/sql" || fail "the store's names differ"
"$egressctl" -w "$tmp/h.db" --json names | jq -r .name | sort -u >"$tmp/cj"
diff -u "$tmp/json" "$tmp/cj" || fail "egressctl --json differs"
"$egressctl" -w "$tmp/h.db" --csv names | python3 -c '
import csv, sys
rows = list(csv.reader(sys.stdin))
assert rows[0][1] == "name", rows[0]
for r in rows[1:]:
    print(r[1])' | sort -u >"$tmp/cc"
diff -u "$tmp/json" "$tmp/cc" || fail "egressctl --csv differs"
"$egressctl" -w "$tmp/h.db" names >"$tmp/table"
while IFS= read -r n; do
	grep -qF "  $n  " "$tmp/table" || fail "the table does not show $n"
done <"$tmp/json"
[ "$(wc -l <"$tmp/table")" -eq 10 ] || fail "the table is not 10 lines"
# Every flow to a hostile name is in the store, under that name.
[ "$(q "$tmp/h.db" "SELECT count(DISTINCT name) FROM flows")" = 9 ] ||
    fail "flows do not carry the 9 names"
exit $fail
