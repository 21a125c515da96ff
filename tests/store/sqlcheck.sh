#!/bin/sh
# No SQL built by string concatenation anywhere (tests/store/sqlcheck.py
# over every C source and the grammar); and the checker finds the
# offences it is meant to find (a sample of each, made here).
set -u
. "${top_srcdir:-.}/tests/store/common.sh"
need python3
check=$srcdir/tests/store/sqlcheck.py
python3 "$check" "$srcdir"/src/*.c "$srcdir"/src/*.y "$srcdir"/src/*.h ||
    fail "SQL built from strings in src/"
cat >"$tmp/bad1.c" <<'C'
static void
f(sqlite3 *db, const char *name)
{
	char	sql[256];

	snprintf(sql, sizeof(sql), "SELECT * FROM names WHERE name = '%s'",
	    name);
	sqlite3_exec(db, sql, NULL, NULL, NULL);
}
C
cat >"$tmp/bad2.c" <<'C'
static void
g(sqlite3 *db, char *q, const char *t)
{
	strcat(q, " WHERE x = ");
	strcat(q, t);
	sqlite3_prepare_v2(db, q, -1, &st, NULL);
}
C
cat >"$tmp/bad3.c" <<'C'
static const char *const tbl[] = {
	"SELECT 1",
	[2] = "SELECT 2"
	    " FROM t",
	buf,
	NULL
};
C
cat >"$tmp/good.c" <<'C'
static void
h(sqlite3 *db)
{
	sqlite3_prepare_v2(db, "SELECT name FROM names"
	    " WHERE name = ?1", -1, &st, NULL);
}
C
for b in bad1 bad2 bad3; do
	python3 "$check" "$tmp/$b.c" >"$tmp/$b.out" &&
	    fail "the checker let $b.c through"
done
grep -q "bad1.c:6: SQL built with snprintf" "$tmp/bad1.out" ||
    fail "snprintf into SQL not found: $(cat "$tmp/bad1.out")"
grep -q "bad1.c:8: SQL that is not a constant: sql" "$tmp/bad1.out" ||
    fail "a variable statement not found: $(cat "$tmp/bad1.out")"
grep -q "bad2.c:4: SQL built with strcat" "$tmp/bad2.out" ||
    fail "strcat into SQL not found: $(cat "$tmp/bad2.out")"
grep -q "bad3.c:1: tbl holds a statement that is not a literal" \
    "$tmp/bad3.out" || fail "a table with a variable not found: $(cat "$tmp/bad3.out")"
python3 "$check" "$tmp/good.c" || fail "the checker refused a literal"
exit $fail
