/*
 * fuzz_json: the JSON lines sink against jansson.  The input chooses which
 * fields a flow record and an alert have (its first bytes) and gives
 * every name as arbitrary bytes (the rest, split at NUL bytes): domain,
 * CNAMEs, SNI, JA4, ALPN, HTTP fields, group, rule, file, message, AS
 * organisation.  Each line the sink writes must be the one the reference
 * (tests/unit/json_ref.c: the old jansson renderer, empty objects left
 * out, invalid UTF-8 replaced as jansson judges it) writes, byte for
 * byte, parse with jansson, and end at its only newline.
 */
#include "config.h"

#include <string.h>

#include <jansson.h>

#include "alert.h"
#include "app.h"
#include "beacon.h"
#include "event.h"
#include "flow.h"
#include "fuzz.h"
#include "geo.h"
#include "json_ref.h"
#include "sink.h"
#include "sink_json.h"

#define FJ_HEAD		24
#define FJ_NAMES	14

/* One line from the sink against the reference's. */
static void
fj_check(const char *got, size_t len, const struct ref_out *ref)
{
	json_error_t	 err;
	json_t		*v;

	FUZZ_ASSERT(len == ref->len && memcmp(got, ref->p, len) == 0);
	FUZZ_ASSERT(len > 0 && memchr(got, '\n', len) == got + len - 1);
	FUZZ_ASSERT((v = json_loadb(got, len, 0, &err)) != NULL);
	json_decref(v);
}

/* A name: NULL when absent, else the bytes given (never NUL). */
static char *
fj_name(char *names[], int i, unsigned int mask)
{
	return (mask & (1u << i)) ? names[i] : NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sink_json	*s;
	struct ref_out		 ref = { NULL, 0 };
	struct event_flow	 ev;
	struct flow		 f;
	struct flow_app		 fa;
	struct geo_info		 g;
	struct alert		 a;
	struct beacon_report	 r;
	uint8_t			 h[FJ_HEAD], dst[16];
	char			*copy, *names[FJ_NAMES], *p, *end;
	const char		*line;
	unsigned int		 mask;
	size_t			 len;
	int			 i;

	if (s == NULL)
		s = sink_json_memory();
	memset(h, 0, sizeof(h));
	memcpy(h, data, size < FJ_HEAD ? size : FJ_HEAD);
	copy = malloc(size + 1);
	FUZZ_ASSERT(copy != NULL);
	len = size > FJ_HEAD ? size - FJ_HEAD : 0;
	memcpy(copy, data + (size - len), len);
	copy[len] = '\0';
	for (i = 0, p = copy, end = copy + len; i < FJ_NAMES; i++) {
		names[i] = p;
		p += strlen(p);
		if (p < end)
			p++;
	}
	mask = (unsigned int)h[0] | (unsigned int)h[1] << 8;

	memset(&f, 0, sizeof(f));
	memset(&fa, 0, sizeof(fa));
	memset(&g, 0, sizeof(g));
	memset(&ev, 0, sizeof(ev));
	f.key.af = h[2] & 1 ? 6 : 4;
	memcpy(f.key.addr[0], h + 3, 4);
	memcpy(f.key.addr[1], h + 7, 4);
	f.key.proto = h[11];
	f.key.port[0] = (uint16_t)(h[12] << 8 | h[13]);
	f.key.port[1] = (uint16_t)(h[13] << 8 | h[12]);
	f.nvlan = h[2] >> 1 & 3;
	f.key.vlan[0] = h[14];
	f.init = h[2] >> 3 & 1;
	f.appliance = h[2] >> 4 & 1;
	f.pkts[0] = (uint64_t)h[15] << (h[16] & 63);
	f.bytes[1] = (uint64_t)h[16] << 40;
	f.first = (int64_t)(int8_t)h[17] * ((int64_t)1 << 40) + h[18];
	f.last = f.first + ((int64_t)h[18] << 20);
	f.id = (uint64_t)h[19] * 0x9e3779b97f4a7c15ULL;
	f.state = h[20] % 7;
	f.sides = h[20] >> 3 & 3;
	f.truncated = h[20] >> 5 & 1;
	if (h[2] & 0x20) {
		fa.proto = h[21] % 12;
		fa.sni = fj_name(names, 0, mask);
		fa.ja4 = fj_name(names, 1, mask);
		fa.tls_version = fj_name(names, 2, mask);
		fa.alpn = fj_name(names, 3, mask);
		fa.http_method = fj_name(names, 4, mask);
		fa.http_host = fj_name(names, 5, mask);
		fa.http_path = fj_name(names, 6, mask);
		fa.http_ua = fj_name(names, 7, mask);
		f.app = &fa;
	}
	if (h[2] & 0x40) {
		g.asn = h[22];
		memcpy(g.country, h[21] & 1 ? "CN" : "", h[21] & 1 ? 3 : 1);
		memcpy(g.reg_country, h[21] & 2 ? "US" : "", h[21] & 2 ? 3 : 1);
		g.org = names[13];
		ev.geo = &g;
	}
	ev.flow = &f;
	ev.reason = (enum flow_reason)(h[21] % 5);
	ev.domain = fj_name(names, 8, mask);
	ev.name_source = (enum app_name_source)(h[22] & 3);
	ev.cname = fj_name(names, 9, mask);
	ev.verdict = (enum policy_verdict)(h[23] % 5);
	ev.group = fj_name(names, 10, mask);
	ev.rule = fj_name(names, 11, mask);
	ev.rule_file = fj_name(names, 12, mask);
	ev.rule_line = h[23];
	ev.evidence = h[22] >> 2 & 7;
	sink_json_ops.flow(s, &ev);
	json_ref_flow(&ref, &ev);
	line = sink_json_lines(s, &len);
	fj_check(line, len, &ref);

	memset(&a, 0, sizeof(a));
	memset(&r, 0, sizeof(r));
	a.action = (enum alert_action)(h[21] % 7);
	a.severity = h[22] % 11;
	a.rule = names[11];
	snprintf(a.message, sizeof(a.message), "%s", names[13]);
	a.ts = f.last;
	a.id = f.id;
	a.flow_id = h[19];
	a.af = f.key.af;
	a.src = f.key.addr[0];
	memcpy(dst, f.key.addr[1], sizeof(dst));
	a.dst = h[2] & 0x80 ? dst : NULL;
	a.proto = f.key.proto;
	a.dport = f.key.port[1];
	a.geo = ev.geo;
	a.domain = ev.domain;
	a.name_source = ev.name_source;
	a.verdict = ev.verdict;
	a.group = ev.group;
	a.rule_file = ev.rule_file;
	a.rule_line = ev.rule_line;
	a.count = h[15] & 3;
	if (h[20] & 0x40) {
		r.group_by = (enum beacon_group)(h[20] % 3);
		memcpy(&r.period_s, h + 3, sizeof(double));
		memcpy(&r.jitter, h + 11, sizeof(double));
		r.score = (double)h[16] / 7.0;
		r.beats = h[17];
		r.first_seen = f.first;
		a.beacon = &r;
	}
	ref.len = 0;
	sink_json_ops.alert(s, &a);
	json_ref_alert(&ref, &a);
	line = sink_json_lines(s, &len);
	fj_check(line, len, &ref);

	free(ref.p);
	free(copy);
	return 0;
}
