/*
 * fuzz_syslog: the syslog message formats.  The input's first byte picks
 * the alert's action and severity; the rest are names (split at NUL
 * bytes: domain, rule, group, call-home, DNS question, AS organisation,
 * message), arbitrary bytes as they come from the wire.  The alert goes
 * through the JSON lines writer, as the store keeps it, and each format
 * must make one message with no control byte in it that reads back
 * (tests/unit/syslog_check.c) field for field: no name starts a new
 * message or a new field.  The raw input is also given to syslog_msg as
 * a line, which must either be refused or read back the same way.
 */
#include "config.h"

#include <string.h>

#include "alert.h"
#include "fuzz.h"
#include "geo.h"
#include "sink.h"
#include "sink_json.h"
#include "syslog_check.h"
#include "syslog_msg.h"

#define FS_NAMES	7

/* Every format of one line: refused (only if not JSON) or read back. */
static void
fs_formats(const char *line, size_t len, int must)
{
	struct syslog_head	 h = { "fuzz", 1, 23 };
	struct syslog_buf	 b = { 0 };
	char			 why[256];
	int			 f, rc;

	for (f = SYSLOG_FMT_RFC5424; f <= SYSLOG_FMT_JSON; f++) {
		b.len = 0;
		rc = syslog_msg((enum syslog_fmt)f, &h, line, len, &b);
		FUZZ_ASSERT(rc == 0 || !must);
		if (rc == -1)
			continue;
		if (sc_check((enum syslog_fmt)f, b.p, b.len, line, len, why,
		    sizeof(why)) == -1) {
			fprintf(stderr, "%s: %s\n", syslog_fmt_name(
			    (enum syslog_fmt)f), why);
			FUZZ_ASSERT(0);
		}
	}
	syslog_buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t	 src[16] = { 0xfd, 0, 0, 0x20 };
	static const uint8_t	 dst[4] = { 198, 51, 100, 7 };
	static struct sink_json	*json;
	char			*buf, *names[FS_NAMES], *p, *end;
	struct geo_info		 g;
	struct alert		 a;
	const char		*line;
	size_t			 len, n;
	int			 i;

	if (json == NULL)
		json = sink_json_memory();
	fs_formats((const char *)data, size, 0);
	if (size < 1)
		return 0;
	buf = calloc(1, size + 1);
	memcpy(buf, data + 1, size - 1);
	for (i = 0, p = buf, end = buf + size - 1; i < FS_NAMES; i++) {
		names[i] = p;
		if (p < end)
			p += strlen(p) + 1;
		if (p > end)
			p = end;
	}
	memset(&g, 0, sizeof(g));
	g.asn = 64501;
	memcpy(g.country, "NL", 3);
	memcpy(g.reg_country, "NL", 3);
	g.org = names[5];
	memset(&a, 0, sizeof(a));
	a.action = (enum alert_action)(data[0] % 9);
	a.severity = data[0] >> 4;
	a.domain = names[0];
	a.rule = names[1];
	a.group = names[2];
	a.callhome = names[3];
	a.dns_name = names[4];
	a.geo = (data[0] & 8) ? &g : NULL;
	n = strlen(names[6]);
	if (n >= sizeof(a.message))
		n = sizeof(a.message) - 1;
	memcpy(a.message, names[6], n);
	a.ts = 1772438400000000LL + data[0];
	a.id = 0xfeedULL * data[0];
	a.af = (data[0] & 1) ? 6 : 4;
	a.src = src;
	a.dst = a.af == 4 ? dst : src;
	a.proto = 17;
	a.dport = 53;
	sink_json_ops.alert(json, &a);
	line = sink_json_lines(json, &len);
	fs_formats(line, len, 1);
	free(buf);
	return 0;
}
