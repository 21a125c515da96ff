/*
 * Syslog messages from ECS lines (see syslog_msg.h).  Every format has
 * the RFC 5424 header:
 *
 *   <PRI>1 TIMESTAMP HOSTNAME egressd PROCID MSGID SD MSG
 *
 * PRI is the facility and the syslog severity that event.severity maps
 * to; TIMESTAMP is @timestamp; MSGID is event.action.  The line is parsed
 * with jansson, so every string met here is valid UTF-8 (sink_json made
 * invalid bytes U+FFFD); what remains to guard against is characters that
 * mean something in the format: quotes, brackets, bars, equals signs,
 * backslashes and control characters.
 *
 * RFC 5424 SD-PARAM values escape '"', '\' and ']' with '\' (section
 * 6.3.3); a control character becomes \n, \r, \t or \uXXXX, and a '\' in
 * MSG is doubled, so the message stays on one line and reads back
 * unambiguously.  CEF escapes '|' and '\' in the header, '\', '=' and
 * line breaks (\n, \r) in extension values; other control characters
 * become a space.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "syslog_msg.h"
#include "xmalloc.h"

#define SM_NUMLEN	32

/* A value of the line as text: a string as it is, a number printed. */
struct sm_val {
	const char	*p;
	size_t		 n;
	char		 num[SM_NUMLEN];
};

/* Structured data: a parameter and the ECS field it carries. */
static const struct { const char *param, *path; } sm_sd[] = {
	{ "id",		"event.id" },
	{ "kind",	"event.kind" },
	{ "action",	"event.action" },
	{ "severity",	"event.severity" },
	{ "rule",	"rule.name" },
	{ "src",	"source.ip" },
	{ "spt",	"source.port" },
	{ "dst",	"destination.ip" },
	{ "dpt",	"destination.port" },
	{ "proto",	"network.transport" },
	{ "domain",	"destination.domain" },
	{ "asn",	"destination.as.number" },
	{ "org",	"destination.as.organization.name" },
	{ "country",	"destination.geo.country_iso_code" },
	{ "sni",	"tls.client.server_name" },
	{ "verdict",	"egressd.verdict" },
	{ "group",	"egressd.group" },
	{ "callhome",	"egressd.callhome" },
	{ "period",	"egressd.beacon.period_s" },
	{ "beats",	"egressd.beacon.beats" },
	{ "score",	"egressd.beacon.score" },
	{ "carrier",	"egressd.beacon.carrier" },
	{ "dnsq",	"dns.question.name" },
	{ "flowid",	"egressd.flow_id" },
};

/* CEF extensions: a key, the ECS field, and a label for custom keys. */
static const struct { const char *key, *path, *label; } sm_cef_ext[] = {
	{ "rt",		"@timestamp", NULL },
	{ "externalId",	"event.id", NULL },
	{ "cat",	"event.kind", NULL },
	{ "src",	"source.ip", NULL },
	{ "spt",	"source.port", NULL },
	{ "dst",	"destination.ip", NULL },
	{ "dpt",	"destination.port", NULL },
	{ "proto",	"network.transport", NULL },
	{ "dhost",	"destination.domain", NULL },
	{ "act",	"egressd.verdict", NULL },
	{ "msg",	"message", NULL },
	{ "cs1",	"rule.name", "rule" },
	{ "cs2",	"egressd.group", "group" },
	{ "cs3",	"egressd.callhome", "callhome" },
	{ "cs4",	"destination.geo.country_iso_code", "country" },
	{ "cs5",	"dns.question.name", "dnsQuestion" },
	{ "cs6",	"tls.client.server_name", "sni" },
	{ "cn1",	"destination.as.number", "asn" },
	{ "cn2",	"egressd.beacon.beats", "beats" },
	{ "cfp1",	"egressd.beacon.period_s", "periodSeconds" },
};

static const char *const sm_fmt_names[] = {
	[SYSLOG_FMT_RFC5424] = "rfc5424",
	[SYSLOG_FMT_CEF] = "cef",
	[SYSLOG_FMT_JSON] = "json",
};

/* The name of a format, as the configuration writes it. */
const char *
syslog_fmt_name(enum syslog_fmt f)
{
	return sm_fmt_names[f];
}

/* A format by its name; 0, or -1 if there is none. */
int
syslog_fmt_byname(const char *name, enum syslog_fmt *f)
{
	size_t	i;

	for (i = 0; i < sizeof(sm_fmt_names) / sizeof(sm_fmt_names[0]); i++)
		if (strcmp(name, sm_fmt_names[i]) == 0) {
			*f = (enum syslog_fmt)i;
			return 0;
		}
	return -1;
}

/*
 * The syslog severity (RFC 5424 6.2.1) of an egressd severity (1 to 10,
 * 0: none, as for flow records).
 */
int
syslog_severity(int sev)
{
	if (sev >= 9)
		return 2;	/* critical */
	if (sev == 8)
		return 3;	/* error */
	if (sev == 7)
		return 4;	/* warning */
	if (sev >= 5)
		return 5;	/* notice */
	return 6;		/* informational */
}

/*
 * The ECS field a structured-data parameter (RFC 5424) or a CEF
 * extension key carries, or NULL; for a CEF key with a label, the label
 * in *label (else NULL).
 */
const char *
syslog_msg_field(enum syslog_fmt f, const char *key, const char **label)
{
	size_t	i;

	*label = NULL;
	if (f == SYSLOG_FMT_RFC5424) {
		for (i = 0; i < sizeof(sm_sd) / sizeof(sm_sd[0]); i++)
			if (strcmp(key, sm_sd[i].param) == 0)
				return sm_sd[i].path;
	} else if (f == SYSLOG_FMT_CEF)
		for (i = 0; i < sizeof(sm_cef_ext) / sizeof(sm_cef_ext[0]); i++)
			if (strcmp(key, sm_cef_ext[i].key) == 0) {
				*label = sm_cef_ext[i].label;
				return sm_cef_ext[i].path;
			}
	return NULL;
}

/* Free a message buffer. */
void
syslog_buf_free(struct syslog_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

/* Append n bytes. */
static void
sm_put(struct syslog_buf *b, const char *s, size_t n)
{
	if (b->cap - b->len < n + 1) {
		while (b->cap - b->len < n + 1)
			b->cap = b->cap ? b->cap * 2 : 512;
		b->p = xreallocarray(b->p, b->cap, 1);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
sm_str(struct syslog_buf *b, const char *s)
{
	sm_put(b, s, strlen(s));
}

static void
sm_c(struct syslog_buf *b, char c)
{
	sm_put(b, &c, 1);
}

/* The member at a dotted path ("destination.as.number"), or NULL. */
static json_t *
sm_get(json_t *root, const char *path)
{
	char		 key[64];
	const char	*dot;
	size_t		 n;

	while (root != NULL && json_is_object(root)) {
		if ((dot = strchr(path, '.')) == NULL)
			return json_object_get(root, path);
		if ((n = (size_t)(dot - path)) >= sizeof(key))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		root = json_object_get(root, key);
		path = dot + 1;
	}
	return NULL;
}

/* The value at path as text; 0, or -1 if there is none (or not a scalar). */
static int
sm_value(json_t *root, const char *path, struct sm_val *v)
{
	json_t	*j = sm_get(root, path);

	v->p = v->num;
	if (j == NULL)
		return -1;
	if (json_is_string(j)) {
		v->p = json_string_value(j);
		v->n = json_string_length(j);
	} else if (json_is_integer(j))
		v->n = (size_t)snprintf(v->num, sizeof(v->num), "%lld",
		    (long long)json_integer_value(j));
	else if (json_is_real(j))
		v->n = (size_t)snprintf(v->num, sizeof(v->num), "%.6g",
		    json_real_value(j));
	else if (json_is_boolean(j))
		v->n = (size_t)snprintf(v->num, sizeof(v->num), "%s",
		    json_is_true(j) ? "true" : "false");
	else
		return -1;
	return 0;
}

/*
 * A character below 0x20, DEL, or a C1 control (U+0080 to U+009F, bytes
 * C2 80 to C2 9F): how many bytes it takes at p (0: none), its code in
 * *cp.
 */
static size_t
sm_control(const unsigned char *p, size_t n, unsigned int *cp)
{
	if (p[0] < 0x20 || p[0] == 0x7f) {
		*cp = p[0];
		return 1;
	}
	if (p[0] == 0xc2 && n > 1 && p[1] >= 0x80 && p[1] <= 0x9f) {
		*cp = p[1];
		return 2;
	}
	return 0;
}

/*
 * Text of an RFC 5424 header field (PRINTUSASCII, at most max bytes), or
 * the NILVALUE when it has anything else or is empty.
 */
static void
sm_head_field(struct syslog_buf *b, const char *s, size_t n, size_t max)
{
	size_t	i;

	if (s == NULL || n == 0 || n > max)
		goto nil;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 33 || (unsigned char)s[i] > 126)
			goto nil;
	sm_put(b, s, n);
	return;
nil:
	sm_c(b, '-');
}

/*
 * Text in RFC 5424: '\' doubled, and '"' and ']' escaped in a parameter
 * value (param 1); control characters escaped.
 */
static void
sm_5424_text(struct syslog_buf *b, const char *s, size_t n, int param)
{
	const unsigned char	*p = (const unsigned char *)s;
	char			 esc[8];
	unsigned int		 cp;
	size_t			 i, k, run;

	for (i = 0, run = 0; i < n; i += k) {
		k = sm_control(p + i, n - i, &cp);
		if (k == 0 && p[i] != '\\' &&
		    (!param || (p[i] != '"' && p[i] != ']'))) {
			k = 1;
			run++;
			continue;
		}
		sm_put(b, s + i - run, run);
		run = 0;
		if (k == 0) {
			k = 1;
			esc[0] = '\\';
			esc[1] = (char)p[i];
			sm_put(b, esc, 2);
		} else if (cp == '\n')
			sm_put(b, "\\n", 2);
		else if (cp == '\r')
			sm_put(b, "\\r", 2);
		else if (cp == '\t')
			sm_put(b, "\\t", 2);
		else {
			snprintf(esc, sizeof(esc), "\\u%04x", cp);
			sm_put(b, esc, 6);
		}
	}
	sm_put(b, s + i - run, run);
}

/* The header up to MSGID and its space: "<PRI>1 TS HOST egressd PID ID ". */
static void
sm_header(struct syslog_buf *b, const struct syslog_head *h, json_t *root)
{
	struct sm_val	 v;
	char		 num[SM_NUMLEN];
	json_t		*sev = sm_get(root, "event.severity");
	int		 s;

	s = json_is_integer(sev) ? (int)json_integer_value(sev) : 0;
	snprintf(num, sizeof(num), "<%d>1 ", h->facility * 8 +
	    syslog_severity(s));
	sm_str(b, num);
	if (sm_value(root, "@timestamp", &v) == -1 || v.n > 32 ||
	    strspn(v.p, "0123456789-:.TZ") != v.n)
		sm_c(b, '-');
	else
		sm_put(b, v.p, v.n);
	sm_c(b, ' ');
	if (h->hostname != NULL)
		sm_head_field(b, h->hostname, strlen(h->hostname),
		    SYSLOG_MSG_HOSTMAX);
	else
		sm_c(b, '-');
	snprintf(num, sizeof(num), " egressd %d ", h->pid);
	sm_str(b, num);
	if (sm_value(root, "event.action", &v) == -1)
		v.p = NULL;
	sm_head_field(b, v.p, v.n, 32);
	sm_c(b, ' ');
}

/* RFC 5424: the key fields as structured data, the message as MSG. */
static void
sm_rfc5424(struct syslog_buf *b, json_t *root)
{
	struct sm_val	v;
	size_t		i;

	sm_str(b, "[" SYSLOG_MSG_SDID);
	for (i = 0; i < sizeof(sm_sd) / sizeof(sm_sd[0]); i++) {
		if (sm_value(root, sm_sd[i].path, &v) == -1)
			continue;
		sm_c(b, ' ');
		sm_str(b, sm_sd[i].param);
		sm_str(b, "=\"");
		sm_5424_text(b, v.p, v.n, 1);
		sm_c(b, '"');
	}
	sm_c(b, ']');
	if (sm_value(root, "message", &v) == 0 && v.n > 0) {
		sm_c(b, ' ');
		sm_5424_text(b, v.p, v.n, 0);
	}
}

/*
 * CEF text: in the header (ext 0) '|' and '\' escaped, in an extension
 * value '=' and '\' escaped and line breaks as \n and \r; other control
 * characters become a space.
 */
static void
sm_cef_text(struct syslog_buf *b, const char *s, size_t n, int ext)
{
	const unsigned char	*p = (const unsigned char *)s;
	unsigned int		 cp;
	size_t			 i, k;
	char			 esc[2] = { '\\', 0 };

	for (i = 0; i < n; i += k) {
		if ((k = sm_control(p + i, n - i, &cp)) > 0) {
			if (ext && cp == '\n')
				sm_put(b, "\\n", 2);
			else if (ext && cp == '\r')
				sm_put(b, "\\r", 2);
			else
				sm_c(b, ' ');
			continue;
		}
		k = 1;
		if (p[i] == '\\' || (ext ? p[i] == '=' : p[i] == '|')) {
			esc[1] = (char)p[i];
			sm_put(b, esc, 2);
		} else
			sm_c(b, (char)p[i]);
	}
}

/* @timestamp as milliseconds since 1970 (CEF rt); -1 if it is not one. */
static long long
sm_epoch_ms(const char *ts)
{
	struct tm	tm;
	int		y, mo, d, h, mi, s, us = 0, n = 0;

	if (sscanf(ts, "%4d-%2d-%2dT%2d:%2d:%2d.%6dZ%n", &y, &mo, &d, &h,
	    &mi, &s, &us, &n) != 7 || n == 0 || ts[n] != '\0')
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return (long long)timegm(&tm) * 1000 + us / 1000;
}

/* CEF:0|egressd|egressd|VERSION|action|name|severity|extensions */
static void
sm_cef(struct syslog_buf *b, json_t *root)
{
	struct sm_val	 v;
	json_t		*sev = sm_get(root, "event.severity");
	size_t		 i;
	long long	 ms;
	char		 num[SM_NUMLEN];
	int		 first = 1;

	sm_str(b, "CEF:0|egressd|egressd|" PACKAGE_VERSION "|");
	if (sm_value(root, "event.action", &v) == 0)
		sm_cef_text(b, v.p, v.n, 0);
	sm_c(b, '|');
	if (sm_value(root, "rule.name", &v) == 0 ||
	    sm_value(root, "event.action", &v) == 0)
		sm_cef_text(b, v.p, v.n, 0);
	snprintf(num, sizeof(num), "|%d|", json_is_integer(sev) ?
	    (int)json_integer_value(sev) : 1);
	sm_str(b, num);
	for (i = 0; i < sizeof(sm_cef_ext) / sizeof(sm_cef_ext[0]); i++) {
		if (sm_value(root, sm_cef_ext[i].path, &v) == -1)
			continue;
		if (!first)
			sm_c(b, ' ');
		first = 0;
		sm_str(b, sm_cef_ext[i].key);
		sm_c(b, '=');
		if (strcmp(sm_cef_ext[i].key, "rt") == 0 &&
		    (ms = sm_epoch_ms(v.p)) >= 0) {
			snprintf(num, sizeof(num), "%lld", ms);
			sm_str(b, num);
		} else
			sm_cef_text(b, v.p, v.n, 1);
		if (sm_cef_ext[i].label != NULL) {
			sm_c(b, ' ');
			sm_str(b, sm_cef_ext[i].key);
			sm_str(b, "Label=");
			sm_str(b, sm_cef_ext[i].label);
		}
	}
}

/*
 * JSON: the line as MSG.  It parsed, so a byte below 0x20 can only be
 * white space between tokens (a string cannot hold one): left out.  DEL
 * and the C1 controls, which JSON lets stand in a string, are written as
 * \u escapes: the same string, and nothing a receiver may take for a
 * line break.
 */
static void
sm_json(struct syslog_buf *b, const char *line, size_t len)
{
	const unsigned char	*p = (const unsigned char *)line;
	char			 esc[8];
	unsigned int		 cp;
	size_t			 i, k, run;

	for (i = 0, run = 0; i < len; i += k) {
		if ((k = sm_control(p + i, len - i, &cp)) == 0) {
			k = 1;
			run++;
			continue;
		}
		sm_put(b, line + i - run, run);
		run = 0;
		if (cp >= 0x20) {
			snprintf(esc, sizeof(esc), "\\u%04x", cp);
			sm_put(b, esc, 6);
		}
	}
	sm_put(b, line + i - run, run);
}

/*
 * Append the message for one ECS line (len bytes, a trailing newline
 * allowed) to b, in format f.  0, or -1 if the line is not a JSON object
 * (b is left as it was).
 */
int
syslog_msg(enum syslog_fmt f, const struct syslog_head *h, const char *line,
    size_t len, struct syslog_buf *b)
{
	json_t		*root;
	json_error_t	 err;

	root = json_loadb(line, len, JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES,
	    &err);
	if (root == NULL)
		return -1;
	if (!json_is_object(root)) {
		json_decref(root);
		return -1;
	}
	sm_header(b, h, root);
	switch (f) {
	case SYSLOG_FMT_RFC5424:
		sm_rfc5424(b, root);
		break;
	case SYSLOG_FMT_CEF:
		sm_str(b, "- ");
		sm_cef(b, root);
		break;
	case SYSLOG_FMT_JSON:
		sm_str(b, "- ");
		sm_json(b, line, len);
		break;
	}
	json_decref(root);
	return 0;
}
