/*
 * The syslog message formats (src/syslog_msg.c): alerts with names from
 * the wire that carry newlines, NUL, ']', '|', '=', quotes, backslashes
 * and invalid UTF-8 go through the JSON lines writer and each format, and
 * must read back (tests/unit/syslog_check.c) field for field, on one
 * line; the severity mapping; the header.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "geo.h"
#include "sink.h"
#include "sink_json.h"
#include "syslog_check.h"
#include "syslog_msg.h"
#include "test.h"

static const char *const hostile[] = {
	"plain.example",
	"a]b\"c\\d.example",
	"evil\n<13>1 2026-01-01T00:00:00Z host app - - [x@1 a=\"b\"] hi",
	"bar|pipe|CEF:0|x|y|z|1|2|3 act=forged",
	"eq=sign dst=6.6.6.6 msg\\=x",
	"bad\xff\xfeutf8\xc3(.example",
	"nul\0hidden",		/* cut at the NUL by C strings */
	"cr\rlf\nnel\xc2\x85tab\tdel\x7f.example",
	"]\"]\\]\"",
};

static struct sink_json	*json;

/* The ECS line of an alert whose names are all s. */
static char *
alert_line(const char *s, int action, int sev, size_t *len)
{
	static const uint8_t	 src[4] = { 10, 20, 1, 11 };
	static const uint8_t	 dst[4] = { 203, 0, 113, 7 };
	struct geo_info		 g;
	struct alert		 a;
	const char		*l;
	char			*p;

	memset(&g, 0, sizeof(g));
	g.asn = 64500;
	memcpy(g.country, "US", 3);
	memcpy(g.reg_country, "US", 3);
	g.org = s;
	memset(&a, 0, sizeof(a));
	a.action = (enum alert_action)action;
	a.severity = sev;
	a.rule = s;
	snprintf(a.message, sizeof(a.message), "message about %s", s);
	a.ts = 1772438400123456LL;
	a.id = 0x0123456789abcdefULL;
	a.af = 4;
	a.src = src;
	a.dst = dst;
	a.proto = 6;
	a.dport = 443;
	a.geo = &g;
	a.domain = s;
	a.name_source = APP_NAME_DNS;
	a.verdict = POLICY_UNAPPROVED;
	a.group = s;
	a.callhome = s;
	a.dns_name = s;
	a.dns_domain = s;
	sink_json_ops.alert(json, &a);
	l = sink_json_lines(json, len);
	p = malloc(*len + 1);
	memcpy(p, l, *len);
	p[*len] = '\0';
	return p;
}

/* Every hostile name in every format reads back. */
static void
test_hostile(void)
{
	struct syslog_head	 h = { "sensor-1", 4242, 16 };
	struct syslog_buf	 b = { 0 };
	struct sc_msg		 m;
	char			 why[256], *line;
	size_t			 i, len;
	int			 f;

	for (i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		line = alert_line(hostile[i], ALERT_UNAPPROVED, 5, &len);
		for (f = SYSLOG_FMT_RFC5424; f <= SYSLOG_FMT_JSON; f++) {
			b.len = 0;
			CHECK(syslog_msg((enum syslog_fmt)f, &h, line, len,
			    &b) == 0);
			CHECK(memchr(b.p, '\n', b.len) == NULL);
			CHECK(memchr(b.p, '\0', b.len) == NULL);
			if (sc_check((enum syslog_fmt)f, b.p, b.len, line, len,
			    why, sizeof(why)) == -1) {
				fprintf(stderr, "%s, name %zu: %s\n  %s\n",
				    syslog_fmt_name((enum syslog_fmt)f), i,
				    why, b.p);
				CHECK(0);
			}
			CHECK(sc_parse((enum syslog_fmt)f, b.p, b.len, &m,
			    why, sizeof(why)) == 0);
			CHECK_STR(m.head[1], "sensor-1");
			CHECK_STR(m.head[2], "egressd");
			CHECK_STR(m.head[3], "4242");
			CHECK_STR(m.head[4], "unapproved-destination");
			CHECK_STR(m.head[0], "2026-03-02T08:00:00.123456Z");
			if (f == SYSLOG_FMT_RFC5424) {
				CHECK_STR(m.sdid, "egressd@32473");
				CHECK_STR(sc_get(&m, "id"), "0123456789abcdef");
				CHECK_STR(sc_get(&m, "dst"), "203.0.113.7");
				CHECK_STR(sc_get(&m, "dpt"), "443");
			}
			if (f == SYSLOG_FMT_CEF) {
				CHECK_STR(m.cef[3], "unapproved-destination");
				CHECK_STR(m.cef[5], "5");
				CHECK_STR(m.cef[0], "egressd");
				CHECK_STR(sc_get(&m, "rt"), "1772438400123");
				CHECK_STR(sc_get(&m, "dst"), "203.0.113.7");
				CHECK_STR(sc_get(&m, "externalId"),
				    "0123456789abcdef");
				CHECK_STR(sc_get(&m, "cs3Label"), "callhome");
			}
			sc_free(&m);
		}
		free(line);
	}
	syslog_buf_free(&b);
}

/* What a few names look like on the wire, byte for byte. */
static void
test_escapes(void)
{
	struct syslog_head	 h = { NULL, 1, 16 };
	struct syslog_buf	 b = { 0 };
	char			*line;
	size_t			 len;

	line = alert_line("a]b\"c\\d\ne", ALERT_DENIED, 9, &len);
	CHECK(syslog_msg(SYSLOG_FMT_RFC5424, &h, line, len, &b) == 0);
	CHECK(strstr(b.p, " domain=\"a\\]b\\\"c\\\\d\\ne\"") != NULL);
	CHECK(strncmp(b.p, "<130>1 2026-03-02T08:00:00.123456Z - egressd 1 "
	    "denied-destination [egressd@32473 ", 80) == 0);
	free(line);

	line = alert_line("p|q=r\\s\nt", ALERT_BEACON, 8, &len);
	b.len = 0;
	CHECK(syslog_msg(SYSLOG_FMT_CEF, &h, line, len, &b) == 0);
	CHECK(strstr(b.p, "|beacon|p\\|q=r\\\\s t|8|") != NULL);
	CHECK(strstr(b.p, " dhost=p|q\\=r\\\\s\\nt ") != NULL);
	CHECK(strncmp(b.p, "<131>1 ", 7) == 0);
	free(line);

	/* not an object, not JSON: nothing */
	b.len = 0;
	CHECK(syslog_msg(SYSLOG_FMT_JSON, &h, "[1]", 3, &b) == -1);
	CHECK(syslog_msg(SYSLOG_FMT_CEF, &h, "{\"a\":", 5, &b) == -1);
	CHECK(b.len == 0);
	/* white space between tokens, newlines included, is left out */
	CHECK(syslog_msg(SYSLOG_FMT_JSON, &h, "{\"a\":\n1}\n", 9, &b) == 0);
	CHECK_STR(b.p, "<134>1 - - egressd 1 - - {\"a\":1}");
	syslog_buf_free(&b);
}

/* egressd severity to syslog severity, and the format names. */
static void
test_severity(void)
{
	enum syslog_fmt	f;

	CHECK_EQ(syslog_severity(10), 2);
	CHECK_EQ(syslog_severity(9), 2);
	CHECK_EQ(syslog_severity(8), 3);
	CHECK_EQ(syslog_severity(7), 4);
	CHECK_EQ(syslog_severity(6), 5);
	CHECK_EQ(syslog_severity(5), 5);
	CHECK_EQ(syslog_severity(4), 6);
	CHECK_EQ(syslog_severity(0), 6);
	CHECK(syslog_fmt_byname("cef", &f) == 0 && f == SYSLOG_FMT_CEF);
	CHECK(syslog_fmt_byname("rfc5424", &f) == 0 &&
	    f == SYSLOG_FMT_RFC5424);
	CHECK(syslog_fmt_byname("json", &f) == 0 && f == SYSLOG_FMT_JSON);
	CHECK(syslog_fmt_byname("leef", &f) == -1);
}

int
main(void)
{
	json = sink_json_memory();
	test_hostile();
	test_escapes();
	test_severity();
	sink_json_ops.close(json);
	return test_done("test_syslog_msg");
}
