#!/usr/bin/env python3
# No SQL built from strings in egressd's sources: every statement handed
# to SQLite (sqlite3_prepare*, sqlite3_exec, store_exec) is a string
# literal or an element of a constant table of literals, and no
# sprintf/snprintf/strcat/strncat/asprintf/vsnprintf/memcpy call writes
# anything that reads like SQL.  Prints each offence as file:line and
# exits 1 if there is one.
import re
import sys

CALLS = re.compile(r'\b(sqlite3_prepare(?:_v2|_v3)?|sqlite3_exec|store_exec)\s*\(')
BUILD = re.compile(r'\b(v?sn?printf|strn?cat|strlcat|v?asprintf|stpcpy|memcpy|strcpy)\s*\(')
SQL = re.compile(r'\b(SELECT|INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|PRAGMA|'
                 r'WHERE|VALUES|REPLACE|ATTACH|UNION)\b')
# SQL arguments that are not literals but constant tables of literals.
TABLES = {'store_sql[i]', 'c->sql', '*sql'}
# Constant tables: must be "static const char *const" arrays of literals.
TABLE_DECL = re.compile(r'static const char \*const (\w+)\[[\w ]*\] = \{(.*?)\n\};',
                        re.S)


def args(text, start):
    """The argument list of the call whose '(' is at start."""
    depth, i, out, cur, quote = 0, start, [], '', None
    while i < len(text):
        ch = text[i]
        if quote:
            cur += ch
            if ch == '\\':
                cur += text[i + 1]
                i += 1
            elif ch == quote:
                quote = None
        elif ch in '"\'':
            quote = ch
            cur += ch
        elif ch == '(':
            depth += 1
            if depth > 1:
                cur += ch
        elif ch == ')':
            depth -= 1
            if depth == 0:
                out.append(cur.strip())
                return out
            cur += ch
        elif ch == ',' and depth == 1:
            out.append(cur.strip())
            cur = ''
        else:
            cur += ch
        i += 1
    return out


def strip_comments(text):
    return re.sub(r'/\*.*?\*/', lambda m: re.sub(r'[^\n]', ' ', m.group(0)),
                  text, flags=re.S)


def check(path):
    bad = 0
    text = strip_comments(open(path, encoding='latin-1').read())
    for m in CALLS.finditer(text):
        line = text.count('\n', 0, m.start()) + 1
        a = args(text, m.end() - 1)
        if len(a) < 2:
            continue  # a declaration or prototype
        sql = a[1]
        if sql.startswith('const char'):
            continue  # a definition or prototype
        if m.group(1) == 'sqlite3_exec' and sql == 'sql' and \
                'store_exec(sqlite3 *db, const char *sql)' in text:
            continue  # store_exec's body: its callers are checked
        literal = re.fullmatch(r'("([^"\\]|\\.)*"\s*)+', sql)
        if not literal and sql not in TABLES:
            print('%s:%d: SQL that is not a constant: %s' % (path, line, sql))
            bad = 1
    for m in BUILD.finditer(text):
        line = text.count('\n', 0, m.start()) + 1
        a = ' '.join(args(text, m.end() - 1))
        if SQL.search(a):
            print('%s:%d: SQL built with %s' % (path, line, m.group(1)))
            bad = 1
    for m in TABLE_DECL.finditer(text):
        body = re.sub(r'\[\w+\]\s*=', '', m.group(2))
        items = [x.strip() for x in re.split(r',\s*\n', body) if x.strip()]
        for it in items:
            it = it.rstrip(',').strip()
            if it != 'NULL' and not re.fullmatch(r'("([^"\\]|\\.)*"\s*)+', it):
                line = text.count('\n', 0, m.start()) + 1
                print('%s:%d: %s holds a statement that is not a literal'
                      % (path, line, m.group(1)))
                bad = 1
    return bad


status = 0
for p in sys.argv[1:]:
    status |= check(p)
sys.exit(status)
