/*
 * JSON lines output.  Field names follow the Elastic Common Schema, nested
 * as ECS documents are; what ECS has no name for lives under "egressd".
 *
 * Each record is written straight into one reused buffer, in the order of
 * its fields: no object tree, no allocation a record, and the buffer goes
 * to the file in whole lines, with one write(2) for many records (at once
 * for an alert when live).  The bytes are those jansson gave with
 * JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6), the members
 * in the order the old object tree made them, except that an object with
 * no member is left out.  Every string is escaped here: '"', '\' and the
 * control characters as jansson escapes them, and a byte that is not part
 * of valid UTF-8 as U+FFFD, so nothing can break a line or the document
 * (tests/unit/test_sink_json.c and fuzz/fuzz_json.c check all of it
 * against jansson).
 *
 * With a second thread (sink_json_thread), a full buffer is handed to a
 * writer thread (fdwrite.c) and the records go on into the other one;
 * the file gets the same bytes in the same order.  Everything else, an
 * alert written at once, a flush, a reopen, the retries after a failure
 * and the close, first waits for that buffer and then writes here, as
 * with one thread.
 *
 * The file is opened to append and never truncated.  A failed write is
 * said at once; the lines wait in memory (up to SJ_KEEP_MAX) and go out
 * when there is room again, records past that are counted as lost, and
 * alerts are logged while the file cannot take them.
 */
#include "config.h"

#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alert.h"
#include "app.h"
#include "beacon.h"
#include "community_id.h"
#include "fdwrite.h"
#include "geo.h"
#include "log.h"
#include "policy.h"
#include "sink.h"
#include "sink_json.h"
#include "util.h"
#include "xmalloc.h"

#define SJ_FLUSH_AT	(256 * 1024)	/* write when the buffer holds this */
#define SJ_KEEP_MAX	(8 * 1024 * 1024) /* kept while writes fail */
#define SJ_DEPTH	8		/* objects open at once */
#define SJ_US_DAY	86400000000LL
#define SJ_US_MAX	253402300800000000LL	/* 10000-01-01 */
#define SJ_TIME_MAX	(UTIL_TIMESTRLEN + 2)

/*
 * The record being written: the buffer, and for each open object or
 * array where its key began (to take it back if it stays empty) and how
 * many members it has.
 */
struct sj_buf {
	char	*p;
	size_t	 len, cap;
	int	 depth;
	size_t	 at[SJ_DEPTH];
	int	 n[SJ_DEPTH];
};

/*
 * The members sj_geo wrote last for a destination's ASN, organisation and
 * country, kept by those values (never by pointer: the databases may be
 * opened anew), so that the thousands of records to one network copy
 * them instead of writing them again.
 */
#define SJ_GEO_MEMO	64
#define SJ_GEO_ORG	96	/* longer organisation names: not kept */
#define SJ_GEO_TEXT	(SJ_GEO_ORG * 6 + 96)

struct sj_geo_memo {
	uint32_t	asn;
	char		country[3];
	int		members;	/* 0: empty slot */
	size_t		len;
	char		org[SJ_GEO_ORG];
	char		text[SJ_GEO_TEXT];
};

/*
 * A second written lately, "YYYY-MM-DDTHH:MM:SS": a flow record's start
 * and end each keep their own, and most records end in a second that
 * the one before ended in too.
 */
#define SJ_SECS		2
#define SJ_SEC_LEN	19

struct sj_second {
	int64_t		 sec;		/* -1: none */
	char		 str[SJ_SEC_LEN];
};

struct sink_json {
	int		 fd;		/* -1: lines stay in memory */
	char		*path;
	int		 is_stdout;
	int		 live;		/* alerts at once; lines wait */
	struct sj_buf	 b;
	struct fdwrite	*w;		/* NULL: written here */
	char		*out;		/* the buffer w writes, or NULL */
	size_t		 out_len, out_cap;
	char		*spare;		/* the next buffer to fill */
	size_t		 spare_cap;
	int64_t		 day;		/* of day_str; -1: none */
	char		 day_str[16];	/* "YYYY-MM-DDT" */
	struct sj_second secs[SJ_SECS];
	int		 failing;	/* the last write failed */
	int		 failed;	/* a write ever failed */
	time_t		 retry;		/* when failing: next try */
	uint64_t	 lost;		/* records never written */
	uint64_t	 lost_said;	/* lost when last said */
	struct sj_geo_memo geo[SJ_GEO_MEMO];
};

#define SJ_K(k)		k, sizeof(k) - 1
#define SJ_INLINE	static inline __attribute__((always_inline))

/* Room for n more bytes. */
SJ_INLINE void
sj_reserve(struct sj_buf *b, size_t n)
{
	if (b->len + n <= b->cap)
		return;
	while (b->len + n > b->cap)
		b->cap = b->cap ? b->cap * 2 : 64 * 1024;
	b->p = xreallocarray(b->p, b->cap, 1);
}

/* Append bytes. */
SJ_INLINE void
sj_put(struct sj_buf *b, const char *s, size_t n)
{
	sj_reserve(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

/* Append one byte (room reserved). */
SJ_INLINE void
sj_c(struct sj_buf *b, char c)
{
	b->p[b->len++] = c;
}

/*
 * Start a member of the innermost object ("key":) or an element of the
 * innermost array (key NULL), after a comma when it is not the first.
 */
SJ_INLINE void
sj_key(struct sj_buf *b, const char *key, size_t klen)
{
	char	*o;

	sj_reserve(b, klen + 4);
	o = b->p + b->len;	/* bytes stored through o may alias b */
	if (b->n[b->depth]++ > 0)
		*o++ = ',';
	if (key != NULL) {
		*o++ = '"';
		memcpy(o, key, klen);
		o += klen;
		*o++ = '"';
		*o++ = ':';
	}
	b->len = (size_t)(o - b->p);
}

/* Open an object or array member: "key":{ or "key":[. */
SJ_INLINE void
sj_open(struct sj_buf *b, const char *key, size_t klen, char brace)
{
	size_t	at = b->len;

	if (b->depth + 1 >= SJ_DEPTH)
		fatalx("json: nested too deep");
	sj_key(b, key, klen);
	sj_reserve(b, 1);
	sj_c(b, brace);
	b->depth++;
	b->at[b->depth] = at;
	b->n[b->depth] = 0;
}

/* Close the innermost object or array; one with no member is taken back. */
SJ_INLINE void
sj_close(struct sj_buf *b, char brace)
{
	if (b->n[b->depth] == 0) {
		b->len = b->at[b->depth];
		b->depth--;
		b->n[b->depth]--;
		return;
	}
	sj_reserve(b, 1);
	sj_c(b, brace);
	b->depth--;
}

#define sj_obj(b, k)	sj_open(b, SJ_K(k), '{')
#define sj_end(b)	sj_close(b, '}')

/*
 * How each byte is written inside a string: 0 as it is, 1 escaped, 2 the
 * start (or not) of a multi-byte UTF-8 sequence, to be checked.
 */
static const uint8_t sj_class[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
};

/*
 * The length of the well-formed UTF-8 sequence at s (at most n bytes), or
 * 0 when there is none (Unicode 15, table 3-7: no overlong forms, no
 * surrogates, nothing past U+10FFFF).
 */
static size_t
sj_utf8_len(const uint8_t *s, size_t n)
{
	uint8_t	c = s[0], lo = 0x80, hi = 0xbf;
	size_t	len, i;

	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

/*
 * May any of the 8 bytes at s need more than a copy (class 1 or 2 of
 * sj_class)?  A word at a time: a byte below 0x20, '"' or '\\' makes a
 * zero byte in x - 0x20.., x ^ '"'.. or x ^ '\\'.. whose top bit the
 * borrow sets, and a byte of 0x80 or more has its own top bit set.  It
 * may say yes for a clean byte above one that is not (the borrow runs
 * on); the byte loop then looks.  It never says no for one that is.
 */
SJ_INLINE int
sj_special8(const uint8_t *s)
{
	const uint64_t	ones = 0x0101010101010101ULL;
	const uint64_t	high = 0x8080808080808080ULL;
	uint64_t	x, q, bs;

	memcpy(&x, s, sizeof(x));
	q = x ^ (ones * '"');
	bs = x ^ (ones * '\\');
	return (((x - ones * 0x20) & ~x) | ((q - ones) & ~q) |
	    ((bs - ones) & ~bs) | x) & high ? 1 : 0;
}

/*
 * Append n bytes of s as a JSON string: '"' and '\' escaped, \b \f \n \r
 * \t and \u00XX for the other control characters (as jansson writes
 * them), well-formed UTF-8 as it is, and each byte of anything else as
 * U+FFFD.
 */
static void
sj_escape(struct sj_buf *b, const char *str, size_t n)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const uint8_t		*s = (const uint8_t *)str;
	size_t			 i = 0, run, k;
	char			*o;

	sj_reserve(b, 6 * n + 2);	/* the longest: \u00XX a byte */
	o = b->p + b->len;
	*o++ = '"';
	while (i < n) {
		for (run = i; run + 8 <= n && !sj_special8(s + run); run += 8)
			;
		for (; run < n && sj_class[s[run]] == 0; run++)
			;
		memcpy(o, s + i, run - i);
		o += run - i;
		if ((i = run) == n)
			break;
		if (sj_class[s[i]] == 2) {
			if ((k = sj_utf8_len(s + i, n - i)) == 0) {
				memcpy(o, "\xef\xbf\xbd", 3);
				o += 3;
				i++;
			} else {
				memcpy(o, s + i, k);
				o += k;
				i += k;
			}
			continue;
		}
		*o++ = '\\';
		switch (s[i]) {
		case '"':
		case '\\':
			*o++ = (char)s[i];
			break;
		case '\b':
			*o++ = 'b';
			break;
		case '\f':
			*o++ = 'f';
			break;
		case '\n':
			*o++ = 'n';
			break;
		case '\r':
			*o++ = 'r';
			break;
		case '\t':
			*o++ = 't';
			break;
		default:
			memcpy(o, "u00", 3);
			o[3] = hex[s[i] >> 4];
			o[4] = hex[s[i] & 15];
			o += 5;
			break;
		}
		i++;
	}
	*o++ = '"';
	b->len = (size_t)(o - b->p);
}

/* A string member. */
SJ_INLINE void
sj_strn(struct sj_buf *b, const char *key, size_t klen, const char *v,
    size_t n)
{
	sj_key(b, key, klen);
	sj_escape(b, v, n);
}

#define sj_string(b, k, v)	sj_strn(b, SJ_K(k), v, strlen(v))

/*
 * A string member made here, of printable ASCII with no '"' or '\\'
 * (addresses, words for enums, base64): written without a look at its
 * bytes.
 */
SJ_INLINE void
sj_safen(struct sj_buf *b, const char *key, size_t klen, const char *v,
    size_t n)
{
	char	*o;

	sj_key(b, key, klen);
	sj_reserve(b, n + 2);
	o = b->p + b->len;
	*o++ = '"';
	memcpy(o, v, n);
	o += n;
	*o++ = '"';
	b->len = (size_t)(o - b->p);
}

#define sj_safe(b, k, v)	sj_safen(b, SJ_K(k), v, strlen(v))

/* A word for an enum, when there is one (NULL or "": none). */
#define sj_word(b, k, v) do {						\
	const char *w_ = (v);						\
	if (w_ != NULL && w_[0] != '\0')				\
		sj_safen(b, SJ_K(k), w_, strlen(w_));			\
} while (0)

/* A string member when the value exists and is not empty (as sj_str was). */
#define sj_str(b, k, v) do {						\
	const char *v_ = (v);						\
	if (v_ != NULL && v_[0] != '\0')				\
		sj_strn(b, SJ_K(k), v_, strlen(v_));			\
} while (0)

/* A member whose value is written as it is (a number, true, null). */
SJ_INLINE void
sj_raw(struct sj_buf *b, const char *key, size_t klen, const char *v,
    size_t n)
{
	sj_key(b, key, klen);
	sj_put(b, v, n);
}

/* The two digits of each number below 100. */
static const char	sj_pairs[] =
    "00010203040506070809101112131415161718192021222324252627282930"
    "31323334353637383940414243444546474849505152535455565758596061"
    "6263646566676869707172737475767778798081828384858687888990919293"
    "949596979899";

/* Digits of v, ending at end; returns where they begin. */
static inline char *
sj_digits(char *end, uint64_t v)
{
	const char	*pairs = sj_pairs;

	while (v >= 100) {
		end -= 2;
		memcpy(end, pairs + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10) {
		end -= 2;
		memcpy(end, pairs + 2 * v, 2);
	} else
		*--end = (char)('0' + v);
	return end;
}

/* An integer member, as jansson prints a json_int_t. */
SJ_INLINE void
sj_int(struct sj_buf *b, const char *key, size_t klen, int64_t v)
{
	char	buf[24], *end = buf + sizeof(buf), *p;

	p = sj_digits(end, v < 0 ? 0 - (uint64_t)v : (uint64_t)v);
	if (v < 0)
		*--p = '-';
	sj_raw(b, key, klen, p, (size_t)(end - p));
}

#define sj_integer(b, k, v)	sj_int(b, SJ_K(k), (int64_t)(v))

/*
 * A real member as jansson writes it with JSON_REAL_PRECISION(6): %.6g,
 * ".0" added when that looks like an integer, the exponent without '+'
 * or leading zeros.  JSON has no infinity or NaN: those are null.
 */
static void
sj_real(struct sj_buf *b, const char *key, size_t klen, double v)
{
	char	buf[40], *e, *d;
	int	n;

	if (!isfinite(v)) {
		sj_raw(b, key, klen, "null", 4);
		return;
	}
	n = snprintf(buf, sizeof(buf) - 2, "%.6g", v);
	if (n < 0 || (size_t)n >= sizeof(buf) - 2)
		n = snprintf(buf, sizeof(buf), "0.0");
	if (strchr(buf, '.') == NULL && strchr(buf, 'e') == NULL) {
		memcpy(buf + n, ".0", 3);
		n += 2;
	}
	if ((e = strchr(buf, 'e')) != NULL) {
		e++;
		if (*e == '-')
			e++;
		for (d = e; *d == '+' || *d == '0'; d++)
			;
		if (*d == '\0' && d > e)	/* an exponent of zero */
			d--;
		memmove(e, d, strlen(d) + 1);
		n = (int)strlen(buf);
	}
	sj_raw(b, key, klen, buf, (size_t)n);
}

/* Two digits of v < 100 at o. */
static inline void
sj_2d(char *o, int64_t v)
{
	memcpy(o, sj_pairs + 2 * v, 2);
}

/*
 * A time stamp at o, quoted, as util_time_str writes it
 * ("2026-03-02T08:00:00.127035Z"; at most SJ_TIME_MAX bytes); the date
 * is worked out once a day, the rest up to the second once a second in
 * each of the SJ_SECS slots.  Returns the end.
 */
static char *
sj_time_at(struct sink_json *s, char *o, int64_t us, int slot)
{
	struct sj_second	*c = &s->secs[slot];
	char			 buf[UTIL_TIMESTRLEN];
	int64_t			 day, rem, frac;
	size_t			 n;

	if (us < 0 || us >= SJ_US_MAX) {
		util_time_str(us, buf, sizeof(buf));
		n = strlen(buf);
		o[0] = '"';
		memcpy(o + 1, buf, n);
		o[n + 1] = '"';
		return o + n + 2;
	}
	if (us / 1000000 != c->sec) {
		day = us / SJ_US_DAY;
		rem = us % SJ_US_DAY / 1000000;
		if (day != s->day) {
			util_time_str(day * SJ_US_DAY, buf, sizeof(buf));
			memcpy(s->day_str, buf, 11);
			s->day = day;
		}
		memcpy(c->str, s->day_str, 11);
		sj_2d(c->str + 11, rem / 3600);
		c->str[13] = ':';
		sj_2d(c->str + 14, rem / 60 % 60);
		c->str[16] = ':';
		sj_2d(c->str + 17, rem % 60);
		c->sec = us / 1000000;
	}
	frac = us % 1000000;
	o[0] = '"';
	memcpy(o + 1, c->str, SJ_SEC_LEN);
	o[20] = '.';
	sj_2d(o + 21, frac / 10000);
	sj_2d(o + 23, frac / 100 % 100);
	sj_2d(o + 25, frac % 100);
	o[27] = 'Z';
	o[28] = '"';
	return o + 29;
}

/* A time stamp member. */
static void
sj_time(struct sink_json *s, const char *key, size_t klen, int64_t us)
{
	struct sj_buf	*b = &s->b;

	sj_key(b, key, klen);
	sj_reserve(b, SJ_TIME_MAX);
	b->len = (size_t)(sj_time_at(s, b->p + b->len, us, 0) - b->p);
}

/* Bytes at o; returns the end. */
static inline char *
sj_cpy(char *o, const char *v, size_t n)
{
	memcpy(o, v, n);
	return o + n;
}

#define SJ_LIT(o, lit)	sj_cpy(o, lit, sizeof(lit) - 1)

/*
 * A number at o; returns the end.  Its digits are counted first and
 * written in place, from the last: no copy of a length known only here.
 */
static inline char *
sj_u64_at(char *o, uint64_t v)
{
	uint64_t	t = v;
	size_t		n;

	/* most are ports, packets and bytes of a short flow: compares */
	if (v < 100000)
		n = v < 100 ? 1 + (v >= 10) : 3 + (v >= 1000) + (v >= 10000);
	else {
		for (n = 1; t >= 100; n += 2)
			t /= 100;
		if (t >= 10)
			n++;
	}
	sj_digits(o + n, v);
	return o + n;
}

/* A count at o as jansson printed it, a json_int_t; returns the end. */
static inline char *
sj_count_at(char *o, uint64_t v)
{
	if ((int64_t)v < 0) {
		*o++ = '-';
		v = 0 - v;
	}
	return sj_u64_at(o, v);
}

/* An address at o, quoted; returns the end. */
static inline char *
sj_addr_at(char *o, uint8_t af, const uint8_t *addr)
{
	*o++ = '"';
	o = util_addr_put(o, af, addr);
	*o++ = '"';
	return o;
}

/* The two hex digits of each byte. */
static const char	sj_hex2[] =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
    "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
    "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
    "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
    "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
    "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
    "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
    "e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";

/* An id at o, as 16 hex digits, quoted; returns the end. */
static char *
sj_id_at(char *o, uint64_t id)
{
	int	i;

	o[0] = o[17] = '"';
	for (i = 15; i >= 1; i -= 2, id >>= 8)
		memcpy(o + i, sj_hex2 + 2 * (id & 0xff), 2);
	return o + 18;
}

/* An address member. */
static void
sj_addr(struct sj_buf *b, const char *key, size_t klen, uint8_t af,
    const uint8_t *addr)
{
	sj_key(b, key, klen);
	sj_reserve(b, UTIL_ADDRSTRLEN + 2);
	b->len = (size_t)(sj_addr_at(b->p + b->len, af, addr) - b->p);
}

/* An id member, as 16 hex digits. */
static void
sj_id(struct sj_buf *b, const char *key, size_t klen, uint64_t id)
{
	sj_key(b, key, klen);
	sj_reserve(b, 18);
	b->len = (size_t)(sj_id_at(b->p + b->len, id) - b->p);
}

/* No date and no second written yet. */
static void
sj_seconds_none(struct sink_json *s)
{
	int	i;

	s->day = -1;
	for (i = 0; i < SJ_SECS; i++)
		s->secs[i].sec = -1;
}

/* Open path to append; -1 with errno on failure. */
static int
sj_open_file(const char *path)
{
	return open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
}

/* Open path for appending ("-" is standard output); NULL with errno on failure. */
struct sink_json *
sink_json_open(const char *path)
{
	struct sink_json	*s;
	int			 fd;

	if (strcmp(path, "-") == 0) {
		if (fflush(stdout) == EOF)
			return NULL;
		fd = STDOUT_FILENO;
	} else if ((fd = sj_open_file(path)) == -1)
		return NULL;
	s = xcalloc(1, sizeof(*s));
	s->fd = fd;
	s->path = xstrdup(path);
	s->is_stdout = fd == STDOUT_FILENO;
	sj_seconds_none(s);
	return s;
}

/* A sink that keeps its lines in memory (sink_json_lines), for the tests. */
struct sink_json *
sink_json_memory(void)
{
	struct sink_json	*s;

	s = xcalloc(1, sizeof(*s));
	s->fd = -1;
	s->path = xstrdup("(memory)");
	sj_seconds_none(s);
	return s;
}

/*
 * Write full buffers in a thread of their own (fdwrite.c) while the next
 * records are made; the file gets the same bytes.
 */
void
sink_json_thread(struct sink_json *s)
{
	if (s->fd != -1 && s->w == NULL)
		s->w = fdwrite_new();
}

/* The lines a memory sink holds; taken: the next call starts afresh. */
const char *
sink_json_lines(struct sink_json *s, size_t *len)
{
	*len = s->b.len;
	s->b.len = 0;
	return s->b.p != NULL ? s->b.p : "";
}

/*
 * Live: write each alert as soon as it is made, not with the next batch,
 * and keep lines a write failed on for the next flush (a second later).
 * Offline, a flush that fails (the end of the run) loses them.
 */
void
sink_json_live(struct sink_json *s)
{
	s->live = 1;
}

/* The number of whole lines in n bytes. */
static uint64_t
sj_lines(const char *p, size_t n)
{
	uint64_t	k = 0;
	const char	*q;

	while (n > 0 && (q = memchr(p, '\n', n)) != NULL) {
		k++;
		n -= (size_t)(q - p) + 1;
		p = q + 1;
	}
	return k;
}

/*
 * A write came back short: off bytes of the buffer p are in the file.  If
 * that ends inside a line, take the part written off the end of a regular
 * file so the file holds whole lines only; the line stays in the buffer.
 * Returns the bytes of the buffer done with.
 */
static size_t
sj_whole_lines(struct sink_json *s, const char *p, size_t off)
{
	struct stat	st;
	size_t		keep = off;

	while (keep > 0 && p[keep - 1] != '\n')
		keep--;
	if (keep == off)
		return off;
	/* Standard output may be a file not opened to append: seek back. */
	if (fstat(s->fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_size >= (off_t)(off - keep) &&
	    ftruncate(s->fd, st.st_size - (off_t)(off - keep)) == 0 &&
	    lseek(s->fd, st.st_size - (off_t)(off - keep), SEEK_SET) != -1)
		return keep;
	return off;		/* not a file: the line goes on next time */
}

/*
 * A write failed (errno err): try again a second later, and say it if
 * the last one did not fail.
 */
static void
sj_failed(struct sink_json *s, int err)
{
	s->retry = time(NULL) + 1;
	if (s->failing)
		return;
	s->failing = s->failed = 1;
	errno = err;
	log_warn("%s: write failed; records wait in memory (up to %d MiB), "
	    "then are lost, and alerts go to the log meanwhile", s->path,
	    SJ_KEEP_MAX / (1024 * 1024));
}

/*
 * Write the whole lines of the buffer.  On failure the first is said at
 * once, what was not written stays for the next try, and -1 is returned;
 * success after a failure is said too.
 */
static int
sj_write(struct sink_json *s)
{
	size_t	off = 0;
	ssize_t	n;
	int	saved;

	if (s->fd == -1)
		return 0;
	while (off < s->b.len) {
		if ((n = write(s->fd, s->b.p + off, s->b.len - off)) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		off += (size_t)n;
	}
	if (off == s->b.len) {
		s->b.len = 0;
		if (s->failing) {
			s->failing = 0;
			log_warnx("%s: writing again; %" PRIu64 " records "
			    "lost in all", s->path, s->lost);
			s->lost_said = s->lost;
		}
		return 0;
	}
	saved = errno;
	off = sj_whole_lines(s, s->b.p, off);
	memmove(s->b.p, s->b.p + off, s->b.len - off);
	s->b.len -= off;
	sj_failed(s, saved);
	return -1;
}

/*
 * Take back the buffer the writer thread has (waiting for it to be
 * written).  When its write failed, what it did not write goes before
 * the records made since, in the one buffer, and writing is failing, as
 * when sj_write fails.
 */
static void
sj_reap(struct sink_json *s)
{
	char	*p = s->out, *later = s->b.p;
	size_t	 off, nlater = s->b.len, cap = s->b.cap;
	int	 err;

	if (p == NULL)
		return;
	off = fdwrite_wait(s->w, &err);
	s->out = NULL;
	if (off == s->out_len) {
		s->spare = p;
		s->spare_cap = s->out_cap;
		return;
	}
	off = sj_whole_lines(s, p, off);
	memmove(p, p + off, s->out_len - off);
	s->b.p = p;
	s->b.cap = s->out_cap;
	s->b.len = s->out_len - off;
	if (nlater > 0)
		sj_put(&s->b, later, nlater);
	s->spare = later;
	s->spare_cap = cap;
	sj_failed(s, err);
}

/* Hand the full buffer to the writer thread and go on into the other. */
static void
sj_hand(struct sink_json *s)
{
	fdwrite_put(s->w, s->fd, s->b.p, s->b.len);
	s->out = s->b.p;
	s->out_len = s->b.len;
	s->out_cap = s->b.cap;
	s->b.p = s->spare;
	s->b.cap = s->spare_cap;
	s->b.len = 0;
	s->spare = NULL;
	s->spare_cap = 0;
}

/*
 * A record is whole in the buffer from start: write the buffer when it is
 * full enough, or now (an alert, live).  While writes fail, one is tried
 * a second at most, and a record past SJ_KEEP_MAX is dropped and counted.
 * 0, or -1 when the record is lost.
 */
static int
sj_commit(struct sink_json *s, size_t start, int now)
{
	size_t	rec;

	if (s->fd == -1)
		return 0;
	if (s->out != NULL && (now || s->b.len >= SJ_FLUSH_AT ||
	    fdwrite_done(s->w))) {
		rec = s->b.len - start;
		sj_reap(s);		/* may put lines before the record */
		start = s->b.len - rec;
	}
	if (s->failing) {
		if (time(NULL) >= s->retry)
			sj_write(s);
		if (s->failing && s->b.len > SJ_KEEP_MAX) {
			s->b.len = start;
			s->lost++;
			return -1;
		}
		return 0;
	}
	if (s->w != NULL && !now && s->b.len >= SJ_FLUSH_AT)
		sj_hand(s);
	else if (now || s->b.len >= SJ_FLUSH_AT)
		sj_write(s);
	return 0;
}

/* Begin a record: the root object and @timestamp. */
static size_t
sj_begin(struct sink_json *s, int64_t ts)
{
	struct sj_buf	*b = &s->b;
	size_t		 start = b->len;

	b->depth = 0;
	b->n[0] = 0;
	sj_reserve(b, 1);
	sj_c(b, '{');
	b->n[0] = 0;
	sj_time(s, SJ_K("@timestamp"), ts);
	return start;
}

/* End a record: the root object closed, the line ended. */
static void
sj_finish(struct sj_buf *b)
{
	sj_reserve(b, 2);
	sj_c(b, '}');
	sj_c(b, '\n');
}

/*
 * The event object: event.kind, event.category ("network", and cat2 if
 * given), event.action; left open for the caller's members.
 */
static void
sj_event(struct sj_buf *b, const char *kind, const char *cat2,
    const char *action)
{
	sj_obj(b, "event");
	sj_safe(b, "kind", kind);
	sj_open(b, SJ_K("category"), '[');
	sj_safen(b, NULL, 0, SJ_K("network"));
	if (cat2 != NULL)
		sj_safen(b, NULL, 0, cat2, strlen(cat2));
	sj_close(b, ']');
	sj_safe(b, "action", action);
}

/* One endpoint's members at o: ip, port, packets, bytes; returns the end. */
static char *
sj_endpoint_at(char *o, const struct flow *f, int side)
{
	o = SJ_LIT(o, "\"ip\":");
	o = sj_addr_at(o, f->key.af, f->key.addr[side]);
	if (util_proto_has_ports(f->key.proto)) {
		o = SJ_LIT(o, ",\"port\":");
		o = sj_u64_at(o, f->key.port[side]);
	}
	o = SJ_LIT(o, ",\"packets\":");
	o = sj_count_at(o, f->pkts[side]);
	o = SJ_LIT(o, ",\"bytes\":");
	return sj_count_at(o, f->bytes[side]);
}

/*
 * The head of a flow record, whose members are always there, in one go:
 * @timestamp, the event object, source, and the destination's endpoint
 * members, leaving the destination object open.
 */
static size_t
sj_flow_head(struct sink_json *s, const struct flow *f)
{
	struct sj_buf	*b = &s->b;
	size_t		 start = b->len, tlen;
	char		*o, *t;

	sj_reserve(b, 512);
	o = SJ_LIT(b->p + start, "{\"@timestamp\":");
	t = o;
	o = sj_time_at(s, o, f->last, 0);
	tlen = (size_t)(o - t);
	o = SJ_LIT(o, ",\"event\":{\"kind\":\"event\",\"category\":"
	    "[\"network\"],\"action\":\"flow\",\"start\":");
	o = sj_time_at(s, o, f->first, 1);
	o = SJ_LIT(o, ",\"end\":");
	o = sj_cpy(o, t, tlen);		/* f->last again */
	o = SJ_LIT(o, ",\"id\":");
	o = sj_id_at(o, f->id);
	o = SJ_LIT(o, "},\"source\":{");
	o = sj_endpoint_at(o, f, f->appliance);
	o = SJ_LIT(o, "},\"destination\":{");
	o = sj_endpoint_at(o, f, !f->appliance);
	b->len = (size_t)(o - b->p);
	b->depth = 1;
	b->n[0] = 4;		/* @timestamp, event, source, destination */
	b->n[1] = 3;		/* ip, packets, bytes at least */
	b->at[1] = start;
	return start;
}

/*
 * ECS network.direction, from who opened the flow: from inside (private
 * address space, or multicast, broadcast and the like: util_addr_inside)
 * to outside is outbound, from outside in inbound.
 */
static const char *
sj_direction(const struct flow *f)
{
	int	from = util_addr_inside(f->key.af, f->key.addr[f->init]);
	int	to = util_addr_inside(f->key.af, f->key.addr[!f->init]);

	if (from && to)
		return "internal";
	if (from)
		return "outbound";
	if (to)
		return "inbound";
	return "external";
}

/*
 * network.community_id at o, oriented from the initiator (null: none);
 * made in place, with room for COMMUNITY_ID_LEN + 2 bytes at o (its NUL
 * goes where the closing quote does).
 */
static char *
sj_community_id_at(char *o, const struct flow *f)
{
	int		 s = f->init;
	uint16_t	 sp = f->key.port[s], dp = f->key.port[!s];

	if (f->key.proto == 1 || f->key.proto == 58) {
		sp = f->icmp_type;
		dp = f->icmp_code;
	}
	if (community_id_v1(0, f->key.af, f->key.proto, f->key.addr[s],
	    f->key.addr[!s], sp, dp, o + 1, COMMUNITY_ID_LEN) == -1)
		return SJ_LIT(o, "null");
	o[0] = '"';
	o[1 + COMMUNITY_ID_STRLEN] = '"';
	return o + 2 + COMMUNITY_ID_STRLEN;
}

/* A word at o (printable ASCII, nothing to escape), quoted; the end. */
static inline char *
sj_word_at(char *o, const char *w)
{
	*o++ = '"';
	o = sj_cpy(o, w, strlen(w));
	*o++ = '"';
	return o;
}

/* network.transport: the protocol's name, else its number. */
static void
sj_transport(struct sj_buf *b, uint8_t proto)
{
	const char	*name = util_proto_name(proto);

	if (name != NULL)
		sj_safe(b, "transport", name);
	else
		sj_integer(b, "transport", proto);
}

/*
 * The network object of a flow, never empty, in one go: transport (the
 * protocol's name, else its number), type, VLANs, direction, community
 * id, and the application protocol.
 */
static void
sj_network(struct sj_buf *b, const struct flow *f)
{
	const char	*v;
	char		*o;

	sj_key(b, SJ_K("network"));
	sj_reserve(b, 384);	/* the longest network object, and more */
	o = SJ_LIT(b->p + b->len, "{\"transport\":");
	if ((v = util_proto_name(f->key.proto)) != NULL)
		o = sj_word_at(o, v);
	else
		o = sj_u64_at(o, f->key.proto);
	if (f->key.af == 4)
		o = SJ_LIT(o, ",\"type\":\"ipv4\"");
	else
		o = SJ_LIT(o, ",\"type\":\"ipv6\"");
	if (f->nvlan > 0) {
		o = SJ_LIT(o, ",\"vlan\":{\"id\":");
		o = sj_u64_at(o, f->key.vlan[0]);
		*o++ = '}';
	}
	if (f->nvlan > 1) {
		o = SJ_LIT(o, ",\"inner\":{\"vlan\":{\"id\":");
		o = sj_u64_at(o, f->key.vlan[1]);
		o = SJ_LIT(o, "}}");
	}
	o = SJ_LIT(o, ",\"direction\":");
	o = sj_word_at(o, sj_direction(f));
	o = SJ_LIT(o, ",\"community_id\":");
	o = sj_community_id_at(o, f);
	if (f->app != NULL && (v = app_proto_name(f->app->proto)) != NULL) {
		o = SJ_LIT(o, ",\"protocol\":");
		o = sj_word_at(o, v);
	}
	*o++ = '}';
	b->len = (size_t)(o - b->p);
}

/*
 * What the databases say of the destination, inside its object:
 * destination.as.number, destination.as.organization.name,
 * destination.geo.country_iso_code.
 */
static void
sj_geo_write(struct sj_buf *b, const struct geo_info *g)
{
	if (g->asn != 0) {
		sj_obj(b, "as");
		sj_integer(b, "number", g->asn);
		if (g->org[0] != '\0') {
			sj_obj(b, "organization");
			sj_string(b, "name", g->org);
			sj_end(b);
		}
		sj_end(b);
	}
	if (g->country[0] != '\0') {
		sj_obj(b, "geo");
		sj_string(b, "country_iso_code", g->country);
		sj_end(b);
	}
}

/* The same, copied from the memo when the last record there had the same. */
static void
sj_geo(struct sink_json *s, const struct geo_info *g)
{
	struct sj_buf		*b = &s->b;
	struct sj_geo_memo	*m;
	size_t			 olen, at;
	int			 n0;

	olen = strlen(g->org);
	m = &s->geo[(g->asn * 2654435761u ^ (uint8_t)g->country[0] ^
	    (uint8_t)g->country[1] << 8) % SJ_GEO_MEMO];
	if (m->members > 0 && b->n[b->depth] > 0 && m->asn == g->asn &&
	    memcmp(m->country, g->country, 3) == 0 &&
	    strcmp(m->org, g->org) == 0) {
		sj_reserve(b, m->len);
		/* kept after a member, so it begins with a comma */
		memcpy(b->p + b->len, m->text, m->len);
		b->len += m->len;
		b->n[b->depth] += m->members;
		return;
	}
	at = b->len;
	n0 = b->n[b->depth];
	sj_geo_write(b, g);
	if (olen >= SJ_GEO_ORG || b->n[b->depth] == n0 || n0 == 0 ||
	    b->len - at > SJ_GEO_TEXT)
		return;
	m->asn = g->asn;
	memcpy(m->country, g->country, 3);
	memcpy(m->org, g->org, olen + 1);
	m->len = b->len - at;
	memcpy(m->text, b->p + at, m->len);
	m->members = b->n[b->depth] - n0;
}

/* Does the registered country differ from the country (egressd.destination)? */
static int
sj_geo_registered(const struct geo_info *g)
{
	return g != NULL && g->reg_country[0] != '\0' &&
	    strcmp(g->reg_country, g->country) != 0;
}

/* egressd.rule: where a rule was said, "file:line". */
static void
sj_rule_at(struct sj_buf *b, const char *file, int line)
{
	size_t	n = strlen(file);
	char	*tmp, num[16];
	int	k;

	k = snprintf(num, sizeof(num), ":%d", line);
	tmp = xmalloc(n + (size_t)k + 1);
	memcpy(tmp, file, n);
	memcpy(tmp + n, num, (size_t)k + 1);
	sj_strn(b, SJ_K("rule"), tmp, n + (size_t)k);
	free(tmp);
}

/* egressd.destination.cname: the names after the first, in order. */
static void
sj_cname(struct sj_buf *b, const char *cname)
{
	const char	*p, *c;

	sj_open(b, SJ_K("cname"), '[');
	for (p = cname; p != NULL; p = c ? c + 1 : NULL) {
		c = strchr(p, ',');
		sj_strn(b, NULL, 0, p, c ? (size_t)(c - p) : strlen(p));
	}
	sj_close(b, ']');
}

/*
 * egressd.flow, never empty, in one go: the flow's state, whether it was
 * seen one way only or cut short, the copies dropped, why it ended, and
 * ICMP's type and code.
 */
static void
sj_flow_state(struct sj_buf *b, const struct event_flow *e)
{
	const struct flow	*f = e->flow;
	char			*o;

	sj_key(b, SJ_K("flow"));
	sj_reserve(b, 256);	/* the longest flow object, and more */
	o = SJ_LIT(b->p + b->len, "{\"state\":");
	o = sj_word_at(o, flow_state_name(f->state));
	if (f->sides != 3)
		o = SJ_LIT(o, ",\"one_sided\":true");
	else
		o = SJ_LIT(o, ",\"one_sided\":false");
	if (f->truncated)
		o = SJ_LIT(o, ",\"truncated\":true");
	else
		o = SJ_LIT(o, ",\"truncated\":false");
	if (f->app != NULL && f->app->copies > 0) {
		o = SJ_LIT(o, ",\"duplicates\":");
		o = sj_u64_at(o, f->app->copies);
	}
	o = SJ_LIT(o, ",\"reason\":");
	o = sj_word_at(o, flow_reason_name(e->reason));
	if (f->key.proto == 1 || f->key.proto == 58) {
		o = SJ_LIT(o, ",\"icmp_type\":");
		o = sj_u64_at(o, f->icmp_type);
		o = SJ_LIT(o, ",\"icmp_code\":");
		o = sj_u64_at(o, f->icmp_code);
	}
	*o++ = '}';
	b->len = (size_t)(o - b->p);
}

/*
 * The egressd object of a flow record: where its name and registered
 * country came from, the ALPN offered, the verdict and the flow's state.
 */
static void
sj_flow_egressd(struct sj_buf *b, const struct event_flow *e)
{
	const struct flow	*f = e->flow;
	const struct flow_app	*fa = f->app;

	sj_obj(b, "egressd");
	if (sj_geo_registered(e->geo) || e->domain != NULL) {
		sj_obj(b, "destination");
		if (sj_geo_registered(e->geo))
			sj_string(b, "registered_country",
			    e->geo->reg_country);
		if (e->domain != NULL) {
			sj_word(b, "name_source",
			    app_name_source_name(e->name_source));
			if (e->cname != NULL && e->cname[0] != '\0')
				sj_cname(b, e->cname);
		}
		sj_end(b);
	}
	if (fa != NULL && (fa->sni != NULL || fa->ja4 != NULL) &&
	    fa->alpn != NULL) {
		sj_obj(b, "tls");
		sj_str(b, "alpn_offered", fa->alpn);
		sj_end(b);
	}
	sj_word(b, "verdict", policy_verdict_name(e->verdict));
	sj_str(b, "group", e->group);
	if (e->rule_file != NULL)
		sj_rule_at(b, e->rule_file, e->rule_line);
	sj_word(b, "evidence", policy_evidence_name(e->evidence));
	sj_flow_state(b, e);
	sj_end(b);
}

/*
 * What the first bytes said: tls.client.server_name, tls.client.ja4,
 * tls.version_protocol and tls.version (highest offered).
 */
static void
sj_tls(struct sj_buf *b, const struct flow_app *fa)
{
	const char	*v;

	sj_obj(b, "tls");
	sj_obj(b, "client");
	sj_str(b, "server_name", fa->sni);
	sj_str(b, "ja4", fa->ja4);
	sj_end(b);
	if ((v = fa->tls_version) != NULL && strncmp(v, "TLSv", 4) == 0) {
		sj_safe(b, "version_protocol", "tls");
		sj_str(b, "version", v + 4);
	}
	sj_end(b);
}

/* http.request.method, url.domain, url.path, user_agent.original. */
static void
sj_http(struct sj_buf *b, const struct flow_app *fa)
{
	sj_obj(b, "http");
	sj_obj(b, "request");
	sj_str(b, "method", fa->http_method);
	sj_end(b);
	sj_end(b);
	sj_obj(b, "url");
	sj_str(b, "domain", fa->http_host);
	sj_str(b, "path", fa->http_path);
	sj_end(b);
	sj_obj(b, "user_agent");
	sj_str(b, "original", fa->http_ua);
	sj_end(b);
}

/*
 * One flow record, with what is known of its destination.  The egressd
 * object comes where the object tree first made it: after network when
 * the destination has a registered country of its own or a name, else
 * after tls when an ALPN was offered, else after the HTTP fields.
 */
static void
sink_json_flow(void *arg, const struct event_flow *e)
{
	struct sink_json	*s = arg;
	struct sj_buf		*b = &s->b;
	const struct flow	*f = e->flow;
	const struct flow_app	*fa = f->app;
	size_t			 start;
	int			 done = 0, tls;

	start = sj_flow_head(s, f);
	if (e->geo != NULL)
		sj_geo(s, e->geo);
	if (e->domain != NULL)
		sj_str(b, "domain", e->domain);
	sj_end(b);
	sj_network(b, f);
	if (sj_geo_registered(e->geo) || e->domain != NULL) {
		sj_flow_egressd(b, e);
		done = 1;
	}
	tls = fa != NULL && (fa->sni != NULL || fa->ja4 != NULL);
	if (tls)
		sj_tls(b, fa);
	if (tls && fa->alpn != NULL && !done) {
		sj_flow_egressd(b, e);
		done = 1;
	}
	if (fa != NULL && fa->http_method != NULL)
		sj_http(b, fa);
	if (!done)
		sj_flow_egressd(b, e);
	if (e->rule != NULL) {
		sj_obj(b, "rule");
		sj_string(b, "name", e->rule);
		sj_end(b);
	}
	sj_finish(b);
	sj_commit(s, start, 0);
}

/*
 * What a beacon alert adds, in egressd.beacon: the period and how regular
 * it is, then what the call-home adds (its carrier, the new addresses
 * folded into it).
 */
static void
sj_beacon(struct sink_json *s, const struct alert *a)
{
	struct sj_buf			*b = &s->b;
	const struct beacon_report	*r = a->beacon;
	size_t				 i;

	sj_obj(b, "beacon");
	if (r == NULL)
		goto callhome;
	sj_real(b, SJ_K("period_s"), r->period_s);
	sj_real(b, SJ_K("jitter"), r->jitter);
	sj_integer(b, "beats", r->beats);
	sj_integer(b, "missed", r->missed);
	sj_time(s, SJ_K("first_seen"), r->first_seen);
	sj_real(b, SJ_K("score"), r->score);
	sj_safe(b, "group_by", beacon_group_name(r->group_by));
	if (r->group_by == BEACON_G_ASN)
		sj_integer(b, "asn", r->asn);
callhome:
	if (a->carrier != ALERT_CARRIER_NONE)
		sj_safe(b, "carrier", a->carrier == ALERT_CARRIER_DNS ? "dns" :
		    "connection");
	if (a->naddrs > 0) {
		sj_open(b, SJ_K("new_addresses"), '[');
		for (i = 0; i < a->naddrs; i++)
			sj_addr(b, NULL, 0, a->addrs[i].af, a->addrs[i].addr);
		sj_close(b, ']');
	}
	if (a->addrs_more > 0)
		sj_integer(b, "new_addresses_more", (int64_t)a->addrs_more);
	sj_end(b);
}

/* A DNS tunnel's figures, egressd.dns_tunnel. */
static void
sj_tunnel(struct sj_buf *b, const struct alert_tunnel *t)
{
	sj_obj(b, "dns_tunnel");
	sj_integer(b, "names", (int64_t)t->names);
	sj_integer(b, "encoded", (int64_t)t->encoded);
	sj_integer(b, "answers", (int64_t)t->answers);
	sj_integer(b, "longest_label", t->longest);
	sj_integer(b, "window_s", t->window / 1000000);
	sj_end(b);
}

/* A DNS poll's figures, egressd.dns_poll. */
static void
sj_poll(struct sj_buf *b, const struct alert_poll *pl)
{
	sj_obj(b, "dns_poll");
	sj_integer(b, "polls", pl->polls);
	sj_real(b, SJ_K("after_min_s"), (double)pl->after_min / 1e6);
	sj_real(b, SJ_K("after_max_s"), (double)pl->after_max / 1e6);
	sj_integer(b, "query_type", pl->qtype);
	sj_end(b);
}

/* The question of a DNS alert: dns.question.name and registered_domain. */
static void
sj_question(struct sj_buf *b, const struct alert *a)
{
	if (a->dns_name == NULL && a->dns_domain == NULL)
		return;
	sj_obj(b, "dns");
	sj_obj(b, "question");
	sj_str(b, "name", a->dns_name);
	sj_str(b, "registered_domain", a->dns_domain);
	sj_end(b);
	sj_end(b);
}

/* The egressd object of an alert. */
static void
sj_alert_egressd(struct sink_json *s, const struct alert *a)
{
	struct sj_buf	*b = &s->b;

	sj_obj(b, "egressd");
	sj_obj(b, "destination");
	if (sj_geo_registered(a->geo))
		sj_string(b, "registered_country", a->geo->reg_country);
	if (a->domain != NULL)
		sj_word(b, "name_source", app_name_source_name(a->name_source));
	sj_end(b);
	sj_word(b, "verdict", policy_verdict_name(a->verdict));
	sj_str(b, "group", a->group);
	if (a->rule_file != NULL)
		sj_rule_at(b, a->rule_file, a->rule_line);
	if (a->count > 1)
		sj_integer(b, "count", (int64_t)a->count);
	if (a->flow_id != 0)
		sj_id(b, SJ_K("flow_id"), a->flow_id);
	if (a->beacon != NULL || a->carrier != ALERT_CARRIER_NONE ||
	    a->naddrs > 0 || a->addrs_more > 0)
		sj_beacon(s, a);
	sj_str(b, "callhome", a->callhome);
	if (a->tunnel != NULL)
		sj_tunnel(b, a->tunnel);
	if (a->poll != NULL)
		sj_poll(b, a->poll);
	sj_end(b);
}

/* While the file takes nothing, an alert goes to the log as well. */
static void
sj_alert_log(struct sink_json *s, const struct alert *a, int lost)
{
	log_warnx("%s: alert %s (severity %d)%s: %s", s->path,
	    alert_action_name(a->action), a->severity,
	    lost ? ", lost from the file" : "", a->message);
}

/*
 * An alert: event.kind "alert", the same ECS fields as a flow record for
 * what is known, rule.name, event.severity and a message to read.  The
 * egressd object follows the destination when it has a registered country
 * of its own or a name, else the network object.
 */
static void
sink_json_alert(void *arg, const struct alert *a)
{
	struct sink_json	*s = arg;
	struct sj_buf		*b = &s->b;
	size_t			 start;
	int			 early, lost;

	start = sj_begin(s, a->ts);
	sj_event(b, "alert", "intrusion_detection",
	    alert_action_name(a->action));
	sj_integer(b, "severity", a->severity);
	sj_id(b, SJ_K("id"), a->id);
	if (a->action == ALERT_LONG)
		sj_integer(b, "duration", (int64_t)a->duration * 1000);
	sj_end(b);
	sj_obj(b, "rule");
	if (a->rule != NULL)
		sj_string(b, "name", a->rule);
	else
		sj_raw(b, SJ_K("name"), "null", 4);
	sj_end(b);
	sj_string(b, "message", a->message);
	sj_obj(b, "source");
	sj_addr(b, SJ_K("ip"), a->af, a->src);
	if (a->action == ALERT_LONG)
		sj_integer(b, "bytes", (int64_t)a->bytes_out);
	sj_end(b);
	sj_obj(b, "destination");
	if (a->dst != NULL) {
		sj_addr(b, SJ_K("ip"), a->af, a->dst);
		if (a->dport != 0)
			sj_integer(b, "port", a->dport);
	}
	if (a->geo != NULL)
		sj_geo(s, a->geo);
	if (a->domain != NULL)
		sj_str(b, "domain", a->domain);
	if (a->action == ALERT_LONG)
		sj_integer(b, "bytes", (int64_t)a->bytes_in);
	sj_end(b);
	early = sj_geo_registered(a->geo) || a->domain != NULL;
	if (early)
		sj_alert_egressd(s, a);
	sj_obj(b, "network");
	if (a->proto != 0)
		sj_transport(b, a->proto);
	sj_safe(b, "type", a->af == 4 ? "ipv4" : "ipv6");
	sj_end(b);
	if (!early)
		sj_alert_egressd(s, a);
	sj_question(b, a);
	sj_finish(b);
	lost = sj_commit(s, start, s->live) == -1;
	if (s->failing || lost)
		sj_alert_log(s, a, lost);
}

/*
 * Write what is buffered: once a second live, at the end offline (where
 * what cannot be written now is lost, and counted).  -1 if it failed.
 */
static int
sink_json_flush(void *arg)
{
	struct sink_json	*s = arg;

	sj_reap(s);
	if (s->b.len == 0 || s->fd == -1)
		return 0;
	if (sj_write(s) == 0)
		return 0;
	if (!s->live) {
		s->lost += sj_lines(s->b.p, s->b.len);
		s->b.len = 0;
	}
	return -1;
}

/*
 * Open the file again (SIGHUP, after it was rotated): what is buffered
 * goes to the old one first.  If the file cannot be opened, writing goes
 * on to the old one, and that is said.  Standard output stays.
 */
static int
sink_json_reopen(void *arg)
{
	struct sink_json	*s = arg;
	int			 fd;

	if (s->is_stdout || s->fd == -1)
		return 0;
	sj_reap(s);
	if (s->b.len > 0)
		sj_write(s);
	if ((fd = sj_open_file(s->path)) == -1) {
		log_warn("%s: cannot reopen; writing on to the file open "
		    "before", s->path);
		return -1;
	}
	close(s->fd);
	s->fd = fd;
	log_info("%s: reopened", s->path);
	if (s->failing)		/* a new file may have room */
		s->retry = 0;
	return 0;
}

/* Records that could not be written. */
static uint64_t
sink_json_lost(void *arg)
{
	struct sink_json	*s = arg;

	return s->lost;
}

/*
 * Write what is left and close; -1 (with a message) if a record was lost
 * (writes that failed for a while and then went through lost none).
 */
static int
sink_json_close(void *arg)
{
	struct sink_json	*s = arg;
	int			 rv = 0;

	if (s == NULL)
		return 0;
	sj_reap(s);
	fdwrite_free(s->w);
	if (s->b.len > 0 && s->fd != -1 && sj_write(s) == -1)
		s->lost += sj_lines(s->b.p, s->b.len);
	if (s->fd != -1 && !s->is_stdout && close(s->fd) == -1) {
		log_warn("%s", s->path);
		rv = -1;
	}
	if (s->lost > 0) {
		log_warnx("%s: write error; %" PRIu64 " records lost",
		    s->path, s->lost);
		rv = -1;
	}
	free(s->b.p);
	free(s->spare);
	free(s->path);
	free(s);
	return rv;
}

const struct sink_ops sink_json_ops = {
	.name = "json",
	.flow = sink_json_flow,
	.alert = sink_json_alert,
	.flush = sink_json_flush,
	.reopen = sink_json_reopen,
	.lost = sink_json_lost,
	.close = sink_json_close,
};
