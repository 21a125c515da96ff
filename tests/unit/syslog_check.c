/*
 * Reading egressd's syslog messages back (see syslog_check.h).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "syslog_check.h"

/* Say why a message does not read back; -1. */
static int __attribute__((format(printf, 3, 4)))
sc_fail(char *why, size_t len, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return -1;
}

static char *
sc_dup(const char *s, size_t n)
{
	char	*p = malloc(n + 1);

	if (p == NULL)
		abort();
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* Free what sc_parse made. */
void
sc_free(struct sc_msg *m)
{
	int	i;

	for (i = 0; i < 5; i++)
		free(m->head[i]);
	for (i = 0; i < 7; i++)
		free(m->cef[i]);
	for (i = 0; i < m->nf; i++)
		free(m->f[i].val);
	free(m->sdid);
	free(m->msg);
	memset(m, 0, sizeof(*m));
}

/* The value of a field by its key, or NULL. */
const char *
sc_get(const struct sc_msg *m, const char *key)
{
	int	i;

	for (i = 0; i < m->nf; i++)
		if (strcmp(m->f[i].key, key) == 0)
			return m->f[i].val;
	return NULL;
}

/* One hex digit's value, or -1. */
static int
sc_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * Undo egressd's RFC 5424 text escapes (\" \\ \] \n \r \t \uXXXX) of n
 * bytes into out (as long); the length, or -1 for an escape it never
 * writes.
 */
static long
sc_unescape_5424(const char *s, size_t n, char *out)
{
	size_t		i, o = 0;
	unsigned int	cp;
	int		k, d;

	for (i = 0; i < n; i++) {
		if (s[i] != '\\') {
			out[o++] = s[i];
			continue;
		}
		if (++i == n)
			return -1;
		switch (s[i]) {
		case '"': case '\\': case ']':
			out[o++] = s[i];
			break;
		case 'n':
			out[o++] = '\n';
			break;
		case 'r':
			out[o++] = '\r';
			break;
		case 't':
			out[o++] = '\t';
			break;
		case 'u':
			if (n - i < 5)
				return -1;
			for (cp = 0, k = 1; k <= 4; k++) {
				if ((d = sc_hex(s[i + (size_t)k])) < 0)
					return -1;
				cp = cp * 16 + (unsigned int)d;
			}
			i += 4;
			if (cp < 0x80)
				out[o++] = (char)cp;
			else if (cp <= 0x9f) {
				out[o++] = (char)0xc2;
				out[o++] = (char)cp;
			} else
				return -1;
			break;
		default:
			return -1;
		}
	}
	out[o] = '\0';
	return (long)o;
}

/* Undo CEF escapes (\\ \= \| \n \r); the length, or -1. */
static long
sc_unescape_cef(const char *s, size_t n, char *out, int ext)
{
	size_t	i, o = 0;

	for (i = 0; i < n; i++) {
		if (s[i] != '\\') {
			out[o++] = s[i];
			continue;
		}
		if (++i == n)
			return -1;
		if (s[i] == '\\' || (ext && s[i] == '=') ||
		    (!ext && s[i] == '|'))
			out[o++] = s[i];
		else if (ext && s[i] == 'n')
			out[o++] = '\n';
		else if (ext && s[i] == 'r')
			out[o++] = '\r';
		else
			return -1;
	}
	out[o] = '\0';
	return (long)o;
}

/* The next space-separated header token at *p; NULL at the end. */
static char *
sc_token(const char **p, const char *end)
{
	const char	*s = *p, *sp;

	if (s >= end)
		return NULL;
	if ((sp = memchr(s, ' ', (size_t)(end - s))) == NULL || sp == s)
		return NULL;
	*p = sp + 1;
	return sc_dup(s, (size_t)(sp - s));
}

/* Add a field (key, escaped value) unescaped; 0 or -1. */
static int
sc_add(struct sc_msg *m, const char *key, size_t klen, const char *v,
    size_t n, enum syslog_fmt f)
{
	struct sc_field	*fl;
	long		 r;
	int		 i;

	if (m->nf == SC_FIELDS || klen == 0 || klen >= sizeof(fl->key))
		return -1;
	fl = &m->f[m->nf];
	memcpy(fl->key, key, klen);
	fl->key[klen] = '\0';
	for (i = 0; i < m->nf; i++)
		if (strcmp(m->f[i].key, fl->key) == 0)
			return -1;	/* a field twice */
	fl->val = malloc(n + 1);
	if (fl->val == NULL)
		abort();
	r = f == SYSLOG_FMT_RFC5424 ? sc_unescape_5424(v, n, fl->val) :
	    sc_unescape_cef(v, n, fl->val, 1);
	if (r < 0) {
		free(fl->val);
		return -1;
	}
	fl->n = (size_t)r;
	m->nf++;
	return 0;
}

/* [SDID name="value" ...]: the one SD element; 0 or -1. */
static int
sc_sd(const char **pp, const char *end, struct sc_msg *m)
{
	const char	*p = *pp, *k, *v;

	if (p < end && *p == '-') {
		*pp = p + 1;
		return 0;
	}
	if (p >= end || *p++ != '[')
		return -1;
	for (k = p; p < end && *p != ' ' && *p != ']'; p++)
		if (*p == '=' || *p == '"')
			return -1;
	m->sdid = sc_dup(k, (size_t)(p - k));
	while (p < end && *p == ' ') {
		for (k = ++p; p < end && *p != '='; p++)
			if (*p == ' ' || *p == ']' || *p == '"')
				return -1;
		if (end - p < 2 || p[1] != '"')
			return -1;
		v = p + 2;
		for (p = v; p < end && *p != '"'; p++)
			if (*p == '\\')
				p++;
			else if (*p == ']')
				return -1;	/* unescaped */
		if (p >= end)
			return -1;
		if (sc_add(m, k, (size_t)(v - 2 - k), v, (size_t)(p - v),
		    SYSLOG_FMT_RFC5424) == -1)
			return -1;
		p++;
	}
	if (p >= end || *p != ']')
		return -1;
	*pp = p + 1;
	return 0;
}

/* CEF:0|h1|...|h6|ext: the header fields and the extensions; 0 or -1. */
static int
sc_cef(const char *p, const char *end, struct sc_msg *m)
{
	const char	*s, *k, *v, *next;
	long		 r;
	int		 i;

	if (end - p < 6 || memcmp(p, "CEF:0|", 6) != 0)
		return -1;
	p += 6;
	for (i = 0; i < 6; i++) {
		for (s = p; p < end && *p != '|'; p++)
			if (*p == '\\')
				p++;
		if (p >= end)
			return -1;
		m->cef[i] = malloc((size_t)(p - s) + 1);
		if ((r = sc_unescape_cef(s, (size_t)(p - s), m->cef[i], 0)) < 0)
			return -1;
		p++;
	}
	/* key=value, the value up to " key=" with '=' unescaped */
	while (p < end) {
		for (k = p; p < end && *p != '='; p++)
			if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' &&
			    *p <= 'Z') || (*p >= '0' && *p <= '9')))
				return -1;
		if (p >= end || p == k)
			return -1;
		v = ++p;
		next = end;
		for (; p < end; p++) {
			if (*p == '\\') {
				p++;
				continue;
			}
			if (*p == '=')
				return -1;	/* unescaped, not a key's */
			if (*p == ' ') {
				for (s = p + 1; s < end && ((*s >= 'a' &&
				    *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
				    (*s >= '0' && *s <= '9')); s++)
					;
				if (s < end && s > p + 1 && *s == '=') {
					next = p;
					break;
				}
			}
		}
		if (sc_add(m, k, (size_t)(v - 1 - k), v, (size_t)(next - v),
		    SYSLOG_FMT_CEF) == -1)
			return -1;
		p = next < end ? next + 1 : end;
	}
	return 0;
}

/*
 * Parse one message (no framing) of format f into m; 0, or -1 with the
 * reason in why (m is then to be freed all the same).
 */
int
sc_parse(enum syslog_fmt f, const char *s, size_t len, struct sc_msg *m,
    char *why, size_t wlen)
{
	const char	*p = s, *end = s + len;
	size_t		 i;
	long		 mn;
	int		 n;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return sc_fail(why, wlen, "a control byte 0x%02x at %zu",
			    (unsigned char)s[i], i);
	if (sscanf(p, "<%d>1 %n", &m->pri, &n) != 1 || n == 0 ||
	    m->pri < 0 || m->pri > 191)
		return sc_fail(why, wlen, "no <PRI>1");
	p += n;
	for (i = 0; i < 5; i++)
		if ((m->head[i] = sc_token(&p, end)) == NULL)
			return sc_fail(why, wlen, "header field %zu", i + 1);
	if (f == SYSLOG_FMT_RFC5424) {
		if (sc_sd(&p, end, m) == -1)
			return sc_fail(why, wlen, "structured data");
		if (p < end && *p++ != ' ')
			return sc_fail(why, wlen, "no space after SD");
		m->msg = malloc((size_t)(end - p) + 1);
		if ((mn = sc_unescape_5424(p, (size_t)(end - p), m->msg)) < 0)
			return sc_fail(why, wlen, "MSG escapes");
		m->msgn = (size_t)mn;	/* it may hold a NUL (\u0000) */
		return 0;
	}
	if (end - p < 2 || memcmp(p, "- ", 2) != 0)
		return sc_fail(why, wlen, "SD is not \"-\"");
	p += 2;
	if (f == SYSLOG_FMT_CEF && sc_cef(p, end, m) == -1)
		return sc_fail(why, wlen, "CEF");
	m->msg = sc_dup(p, (size_t)(end - p));
	m->msgn = (size_t)(end - p);
	return 0;
}

/* The ECS field at a dotted path as text (as syslog_msg prints it). */
static int
sc_ecs(json_t *root, const char *path, char *buf, size_t len,
    const char **p, size_t *n)
{
	char		 key[64];
	const char	*dot;
	json_t		*j = root;

	while (j != NULL && (dot = strchr(path, '.')) != NULL) {
		snprintf(key, sizeof(key), "%.*s", (int)(dot - path), path);
		j = json_object_get(j, key);
		path = dot + 1;
	}
	if (j == NULL || (j = json_object_get(j, path)) == NULL)
		return -1;
	*p = buf;
	if (json_is_string(j)) {
		*p = json_string_value(j);
		*n = json_string_length(j);
	} else if (json_is_integer(j))
		*n = (size_t)snprintf(buf, len, "%lld",
		    (long long)json_integer_value(j));
	else if (json_is_real(j))
		*n = (size_t)snprintf(buf, len, "%.6g", json_real_value(j));
	else
		return -1;
	return 0;
}

/* CEF's loss: control characters other than line breaks read as spaces. */
static void
sc_cef_lossy(const char *s, size_t n, char *out, int ext)
{
	size_t	i, o = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
		    (unsigned char)s[i + 1] <= 0x9f) {
			out[o++] = ' ';
			i++;
		} else if ((c < 0x20 || c == 0x7f) &&
		    !(ext && (c == '\n' || c == '\r')))
			out[o++] = ' ';
		else
			out[o++] = (char)c;
	}
	out[o] = '\0';
}

/*
 * Check that a message (no framing) made from an ECS line reads back:
 * it parses, each field is one syslog_msg_field names and says what the
 * line says, and a JSON body is the line.  0, or -1 with why.
 */
int
sc_check(enum syslog_fmt f, const char *s, size_t len, const char *line,
    size_t llen, char *why, size_t wlen)
{
	struct sc_msg	 m;
	json_t		*root, *body;
	const char	*path, *label, *v;
	char		 num[64], *want = NULL;
	size_t		 n;
	int		 i, rv = -1;

	if ((root = json_loadb(line, llen, JSON_ALLOW_NUL, NULL)) == NULL)
		return sc_fail(why, wlen, "the line is not JSON");
	if (sc_parse(f, s, len, &m, why, wlen) == -1)
		goto out;
	for (i = 0; i < m.nf; i++) {
		if ((path = syslog_msg_field(f, m.f[i].key, &label)) == NULL) {
			/* a CEF label key */
			n = strlen(m.f[i].key);
			if (f == SYSLOG_FMT_CEF && n > 5 &&
			    strcmp(m.f[i].key + n - 5, "Label") == 0)
				continue;
			sc_fail(why, wlen, "unknown field %s", m.f[i].key);
			goto out;
		}
		if (strcmp(m.f[i].key, "rt") == 0)
			continue;
		if (sc_ecs(root, path, num, sizeof(num), &v, &n) == -1) {
			sc_fail(why, wlen, "%s: not in the line", m.f[i].key);
			goto out;
		}
		want = malloc(n + 1);
		if (f == SYSLOG_FMT_CEF)
			sc_cef_lossy(v, n, want, 1);
		else {
			memcpy(want, v, n);
			want[n] = '\0';
		}
		n = f == SYSLOG_FMT_CEF ? strlen(want) : n;
		if (m.f[i].n != n || memcmp(m.f[i].val, want, n) != 0) {
			sc_fail(why, wlen, "%s reads \"%s\", not \"%s\"",
			    m.f[i].key, m.f[i].val, want);
			goto out;
		}
		free(want);
		want = NULL;
	}
	if (f == SYSLOG_FMT_RFC5424 && sc_ecs(root, "message", num,
	    sizeof(num), &v, &n) == 0 && (m.msgn != n ||
	    memcmp(m.msg, v, n) != 0)) {
		sc_fail(why, wlen, "MSG reads \"%s\"", m.msg);
		goto out;
	}
	if (f == SYSLOG_FMT_JSON) {
		body = json_loadb(m.msg, m.msgn, JSON_ALLOW_NUL, NULL);
		if (body == NULL || !json_equal(body, root)) {
			json_decref(body);
			sc_fail(why, wlen, "the JSON body is not the line");
			goto out;
		}
		json_decref(body);
	}
	rv = 0;
out:
	free(want);
	sc_free(&m);
	json_decref(root);
	return rv;
}
