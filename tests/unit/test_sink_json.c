/*
 * The JSON lines sink against its reference (json_ref.c, jansson): random
 * flow records and alerts, with every combination of the fields that
 * decide the order of members, and names made of every byte value, valid
 * and invalid UTF-8; each line must be the reference's byte for byte,
 * parse with jansson, and hold one newline, at its end.  Then the
 * file-level behaviour: appending, whole lines.
 */
#include "config.h"

#include <sys/stat.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "alert.h"
#include "app.h"
#include "beacon.h"
#include "event.h"
#include "flow.h"
#include "geo.h"
#include "json_ref.h"
#include "sink.h"
#include "sink_json.h"
#include "test.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

/* xorshift64*: the same sequence on every run. */
static uint64_t
rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

/* A number below n. */
static unsigned
rnd(unsigned n)
{
	return (unsigned)(rng() % n);
}

#define NSTR	24
static char strs[NSTR][512];
static int nstr;

/*
 * A name for a field: NULL, empty, plain ASCII, or bytes of every kind:
 * any byte but NUL, control characters, quotes and backslashes, valid
 * UTF-8 of each length, and broken sequences (cut, overlong, surrogates,
 * past U+10FFFF, stray continuation bytes, 0xF5..0xFF).
 */
static char *
rstr(int may_null)
{
	static const char *const pieces[] = {
		"a", "cam.example", "\"", "\\", "\n", "\r", "\t", "\b", "\f",
		"\x01", "\x1f", "\x7f", "/", "\xc3\xa9", "\xe2\x80\xa8",
		"\xef\xbf\xbd", "\xf0\x9f\x98\x80", "\xf4\x8f\xbf\xbf",
		"\xc3", "\xe2\x82", "\xf0\x9f\x98", "\xc0\x80", "\xc1\xbf",
		"\xe0\x80\xaf", "\xed\xa0\x80", "\xed\xbf\xbf",
		"\xf4\x90\x80\x80", "\xf8\x88\x80\x80\x80", "\x80", "\xbf",
		"\xfe", "\xff", "\xf5", "\xe0\xa0", "\xdf\xbf",
	};
	const char	*p;
	char		*s;
	size_t		 len = 0, k;
	int		 n, i;

	if (may_null && rnd(5) == 0)
		return NULL;
	s = strs[nstr++ % NSTR];
	n = (int)rnd(8);
	for (i = 0; i < n; i++) {
		if (rnd(3) == 0) {
			s[len++] = (char)(1 + rnd(255));
			continue;
		}
		p = pieces[rnd(sizeof(pieces) / sizeof(pieces[0]))];
		k = strlen(p);
		memcpy(s + len, p, k);
		len += k;
	}
	s[len] = '\0';
	return s;
}

/* A time stamp: mostly now-ish, sometimes before 1970 or after 9999. */
static int64_t
rtime(void)
{
	switch (rnd(8)) {
	case 0:
		return -(int64_t)(rng() % 4000000000000000ULL);
	case 1:
		return 253402300800000000LL + (int64_t)rnd(1000000000);
	case 2:
		return (int64_t)rnd(2);
	default:
		return 1772438400000000LL + (int64_t)(rng() % 400000000000ULL);
	}
}

/* A real: ordinary, tiny, huge, integral, negative, not finite. */
static double
rreal(void)
{
	static const double	 odd[] = { 0.0, -0.0, 1.0, 60.0, 1e6, 1e21,
		1e-7, 123456789.0, 0.1, 1e300, 5e-324, 1.0 / 0.0, -1.0 / 0.0,
		0.0 / 0.0, 999999.5, 0.00001, 100000.0, 1000000.0 };

	if (rnd(3) == 0)
		return odd[rnd(sizeof(odd) / sizeof(odd[0]))];
	return ((double)(int64_t)rng() / 9.2e18) *
	    (double)(1ULL << rnd(60)) / (double)(1ULL << rnd(60));
}

/* Fill an address of af. */
static void
raddr(uint8_t af, uint8_t *a)
{
	int	i;

	memset(a, 0, 16);
	for (i = 0; i < (af == 4 ? 4 : 16); i++)
		a[i] = rnd(4) == 0 ? 0 : (uint8_t)rng();
	if (rnd(3) == 0)
		a[0] = af == 4 ? 10 : 0xfd;
}

/* A random geo answer, or NULL. */
static const struct geo_info *
rgeo(struct geo_info *g)
{
	static const char *const cc[] = { "", "US", "CN", "KP" };

	if (rnd(4) == 0)
		return NULL;
	memset(g, 0, sizeof(*g));
	g->asn = rnd(3) == 0 ? 0 : (uint32_t)rng();
	snprintf(g->country, sizeof(g->country), "%s", cc[rnd(4)]);
	snprintf(g->reg_country, sizeof(g->reg_country), "%s", cc[rnd(4)]);
	g->org = rnd(4) == 0 ? "" : rstr(0);
	return g;
}

/* Compare a sink's line with the reference's. */
static void
compare(const char *what, const char *got, size_t glen, struct ref_out *ref)
{
	json_error_t	 err;
	json_t		*v;
	const char	*nl;

	test_checks++;
	if (glen != ref->len || memcmp(got, ref->p, glen) != 0) {
		test_failures++;
		fprintf(stderr, "%s differs:\n  sink: %.*s  ref:  %s", what,
		    (int)glen, got, ref->p);
		return;
	}
	nl = memchr(got, '\n', glen);
	CHECK(nl == got + glen - 1);
	v = json_loadb(got, glen, 0, &err);
	CHECK(v != NULL);
	json_decref(v);
}

/* Numbers where a digit is added, and the largest. */
static const uint64_t	sjt_edge[] = { 0, 9, 10, 99, 100, 999, 1000, 9999,
    10000, 65535, 99999, 100000, 999999, 1000000, 4294967295u,
    9999999999999999999u, 10000000000000000000u, UINT64_MAX };
#define SJT_NEDGE	(sizeof(sjt_edge) / sizeof(sjt_edge[0]))

/* Random flow records through the sink and the reference. */

static void
test_flows(int n)
{
	struct sink_json	*s = sink_json_memory();
	struct ref_out		 ref = { NULL, 0 };
	struct event_flow	 ev;
	struct flow		 f;
	struct flow_app		 fa;
	struct geo_info		 g;
	static char		 tlsv[] = "TLSv1.3";
	const char		*line;
	size_t			 len;
	int			 i;

	for (i = 0; i < n; i++) {
		memset(&f, 0, sizeof(f));
		memset(&fa, 0, sizeof(fa));
		memset(&ev, 0, sizeof(ev));
		f.key.af = rnd(2) ? 4 : 6;
		raddr(f.key.af, f.key.addr[0]);
		raddr(f.key.af, f.key.addr[1]);
		f.key.proto = (uint8_t[]){ 6, 17, 1, 58, 132, 47, 50,
		    (uint8_t)rng() }[rnd(8)];
		f.key.port[0] = (uint16_t)rng();
		f.key.port[1] = (uint16_t)rng();
		f.nvlan = (uint8_t)rnd(3);
		f.key.vlan[0] = (uint16_t)rnd(4096);
		f.key.vlan[1] = (uint16_t)rnd(4096);
		f.init = (uint8_t)rnd(2);
		f.appliance = (uint8_t)rnd(2);
		f.pkts[0] = rng() >> rnd(64);
		f.pkts[1] = rnd(2) ? rng() : 0;
		f.bytes[0] = rng() >> rnd(64);
		f.bytes[1] = rng() >> 1;
		/* each digit count's ends */
		if ((size_t)i < 2 * SJT_NEDGE) {
			f.pkts[0] = sjt_edge[i % SJT_NEDGE];
			f.bytes[1] = sjt_edge[(i + 1) % SJT_NEDGE];
			f.key.port[0] = (uint16_t)sjt_edge[i % 11];
			f.nvlan = 2;
			f.key.vlan[0] = (uint16_t)sjt_edge[i % 9];
		}
		f.first = rtime();
		f.last = rtime();
		f.id = rng();
		f.state = (uint8_t)rnd(7);
		f.sides = (uint8_t)rnd(4);
		f.truncated = (uint8_t)rnd(2);
		f.icmp_type = (uint8_t)rng();
		f.icmp_code = (uint8_t)rng();
		if (rnd(3) != 0) {
			fa.proto = (uint8_t)rnd(12);
			fa.sni = rstr(1);
			fa.ja4 = rstr(1);
			fa.tls_version = rnd(2) ? tlsv : rstr(1);
			fa.alpn = rstr(1);
			fa.http_method = rstr(1);
			fa.http_host = rstr(1);
			fa.http_path = rstr(1);
			fa.http_ua = rstr(1);
			fa.copies = rnd(2) ? (uint32_t)rng() : 0;
			f.app = &fa;
		}
		ev.flow = &f;
		ev.reason = (enum flow_reason)rnd(5);
		ev.geo = rgeo(&g);
		ev.domain = rstr(1);
		ev.name_source = (enum app_name_source)rnd(4);
		ev.cname = rnd(2) ? NULL : rnd(2) ? "a.example,b.example" :
		    rstr(1);
		ev.verdict = (enum policy_verdict)rnd(5);
		ev.group = rstr(1);
		ev.rule = rstr(1);
		ev.rule_file = rstr(1);
		ev.rule_line = (int)rnd(100000);
		ev.evidence = rnd(8);
		sink_json_ops.flow(s, &ev);
		json_ref_flow(&ref, &ev);
		line = sink_json_lines(s, &len);
		compare("flow", line, len, &ref);
		ref.len = 0;
	}
	free(ref.p);
	sink_json_ops.close(s);
}

/* Random alerts through the sink and the reference. */
static void
test_alerts(int n)
{
	struct sink_json	*s = sink_json_memory();
	struct ref_out		 ref = { NULL, 0 };
	struct alert		 a;
	struct beacon_report	 r;
	struct geo_info		 g;
	uint8_t			 src[16], dst[16];
	const char		*line, *m;
	size_t			 len;
	int			 i;

	for (i = 0; i < n; i++) {
		memset(&a, 0, sizeof(a));
		memset(&r, 0, sizeof(r));
		a.action = (enum alert_action)rnd(7);
		a.severity = (int)rnd(11);
		a.rule = rstr(0);
		m = rstr(0);
		snprintf(a.message, sizeof(a.message), "%s", m);
		a.ts = rtime();
		a.id = rng();
		a.flow_id = rnd(3) == 0 ? 0 : rng();
		a.af = rnd(2) ? 4 : 6;
		raddr(a.af, src);
		raddr(a.af, dst);
		a.src = src;
		a.dst = rnd(3) == 0 ? NULL : dst;
		a.proto = rnd(3) == 0 ? 0 : (uint8_t)rng();
		a.dport = rnd(3) == 0 ? 0 : (uint16_t)rng();
		a.geo = rgeo(&g);
		a.domain = rstr(1);
		a.name_source = (enum app_name_source)rnd(4);
		a.verdict = (enum policy_verdict)rnd(5);
		a.group = rstr(1);
		a.rule_file = rstr(1);
		a.rule_line = (int)rnd(1000);
		a.count = rnd(3);
		if (rnd(2)) {
			r.group_by = (enum beacon_group)rnd(3);
			r.period_s = rreal();
			r.jitter = rreal();
			r.score = rreal();
			r.beats = (uint32_t)rng();
			r.missed = (uint32_t)rng();
			r.first_seen = rtime();
			r.asn = (uint32_t)rng();
			a.beacon = &r;
		}
		sink_json_ops.alert(s, &a);
		json_ref_alert(&ref, &a);
		line = sink_json_lines(s, &len);
		compare("alert", line, len, &ref);
		ref.len = 0;
	}
	free(ref.p);
	sink_json_ops.close(s);
}

/* Every single byte value, and a few sequences, as a domain name. */
static void
test_bytes(void)
{
	struct sink_json	*s = sink_json_memory();
	struct ref_out		 ref = { NULL, 0 };
	struct alert		 a;
	uint8_t			 addr[16] = { 10, 0, 0, 1 };
	static const char	 want[] = "\"domain\":\"a\xef\xbf\xbd"
	    "\xef\xbf\xbd(\xe2\x82\xac\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"";
	char			 name[8];
	const char		*line;
	size_t			 len;
	int			 c;

	memset(&a, 0, sizeof(a));
	a.rule = "r";
	a.af = 4;
	a.src = addr;
	for (c = 1; c < 256; c++) {
		snprintf(name, sizeof(name), "x%cy", c);
		a.domain = name;
		sink_json_ops.alert(s, &a);
		json_ref_alert(&ref, &a);
		line = sink_json_lines(s, &len);
		compare("byte", line, len, &ref);
		ref.len = 0;
	}
	/* A name from the wire never breaks the line. */
	a.domain = "evil\n{\"event\":{\"kind\":\"alert\"}}\r\n";
	sink_json_ops.alert(s, &a);
	line = sink_json_lines(s, &len);
	CHECK(memchr(line, '\n', len) == line + len - 1);
	CHECK(strstr(line, "evil\\n{\\\"event\\\"") != NULL);
	/* Invalid UTF-8: each byte that begins no character is U+FFFD. */
	a.domain = "a\xff\xc3(\xe2\x82\xac\xed\xa0\x80";
	sink_json_ops.alert(s, &a);
	line = sink_json_lines(s, &len);
	CHECK(memmem(line, len, want, sizeof(want) - 1) != NULL);
	free(ref.p);
	sink_json_ops.close(s);
}

/*
 * The file: opened to append (what was there stays), written in whole
 * lines, and every line there at close.
 */
static void
test_file(void)
{
	char			 path[] = "/tmp/egressd-test-json.XXXXXX";
	struct sink_json	*s;
	struct alert		 a;
	uint8_t			 addr[16] = { 10, 0, 0, 1 };
	char			 buf[4096];
	ssize_t			 n;
	int			 fd, i;

	if ((fd = mkstemp(path)) == -1) {
		perror("mkstemp");
		test_failures++;
		return;
	}
	CHECK(write(fd, "old\n", 4) == 4);
	close(fd);
	CHECK((s = sink_json_open(path)) != NULL);
	if (s == NULL)
		return;
	memset(&a, 0, sizeof(a));
	a.rule = "r";
	a.af = 4;
	a.src = addr;
	for (i = 0; i < 3; i++)
		sink_json_ops.alert(s, &a);
	CHECK_EQ(sink_json_ops.lost(s), 0);
	CHECK_EQ(sink_json_ops.close(s), 0);
	fd = open(path, O_RDONLY);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	unlink(path);
	CHECK(n > 4);
	if (n <= 4)
		return;
	buf[n] = '\0';
	CHECK(strncmp(buf, "old\n{\"@timestamp\"", 17) == 0);
	CHECK(buf[n - 1] == '\n');
	for (i = 0, n = 0; buf[n] != '\0'; n++)
		i += buf[n] == '\n';
	CHECK_EQ(i, 4);
}

int
main(void)
{
	test_bytes();
	test_flows(20000);
	test_alerts(10000);
	test_file();
	printf("test_sink_json: %d checks, %d failures\n", test_checks,
	    test_failures);
	return test_failures != 0;
}
