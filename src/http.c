/*
 * HTTP/1.x request dissector: the request line and header section of the
 * first request a client sends on a TCP connection, for the name it asks
 * for (Host, or the target's authority) and the software that sent it
 * (User-Agent).  RFC 9112 sections 2, 3 and 5; RFC 9110 sections 5 and
 * 7.2; RFC 3986 section 3.2 for the authority.
 *
 *	HTTP-message   = start-line CRLF *( field-line CRLF ) CRLF [ body ]
 *	request-line   = method SP request-target SP HTTP-version
 *	method         = token
 *	request-target = origin-form		"/" path [ "?" query ]
 *	               / absolute-form		scheme "://" authority path ...
 *	               / authority-form		uri-host ":" port (CONNECT)
 *	               / asterisk-form		"*" (OPTIONS)
 *	HTTP-version   = "HTTP/" DIGIT "." DIGIT
 *	field-line     = field-name ":" OWS field-value OWS
 *	Host           = uri-host [ ":" port ]
 *	uri-host       = IP-literal / IPv4address / reg-name
 *
 * Where the RFCs leave the recipient a choice:
 * - a bare LF ends a line, as most servers accept (RFC 9112 2.2), and sets
 *   HTTP_F_BARE_LF; a CR anywhere but right before LF is HTTP_BAD;
 * - obs-fold, or any field line that starts with SP or HT, is HTTP_BAD with
 *   HTTP_F_OBS_FOLD (RFC 9112 5.2 lets a server answer 400; a joined value
 *   is one that some servers never saw);
 * - a second Host field is HTTP_BAD with HTTP_F_DUP_HOST, the first value
 *   kept (RFC 9112 3.2 requires a 400: which host is meant is ambiguous,
 *   the stuff of request smuggling);
 * - in absolute-form and authority-form the target's authority is the host
 *   (RFC 9112 3.2.2: the server ignores Host then); a Host field naming
 *   another host sets HTTP_F_HOST_MISMATCH;
 * - no Host field at all is HTTP_OK with HTTP_F_NO_HOST, in HTTP/1.1 too:
 *   the request is not ambiguous, and the address still names the peer;
 * - the request-target and field values may hold any byte but CR and LF
 *   (NUL, controls, invalid UTF-8): an auditor reports what was sent, so
 *   they are kept, escaped.
 *
 * The bytes are read left to right and the answer is given as soon as they
 * decide it, so any answer but HTTP_MORE stays the same, with the same
 * fields, when more bytes arrive.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "http.h"
#include "pbuf.h"

#define HTTP_EMPTY_LINES_MAX	4	/* ignored before the request line */

/* The state of one parse. */
struct http_ctx {
	struct http_request	*out;
	struct pbuf		 b;		/* unread part of the window */
	const uint8_t		*start;
	int			 full;		/* window cut at HTTP_HEADERS_MAX */
	int			 seen_host;	/* a Host field */
	int			 seen_ua;	/* a User-Agent field */
	int			 target_host;	/* host came from the target */
};

static const char http_hexdigits[] = "0123456789abcdef";

/* Is c a byte of a token (RFC 9110 5.6.2)? */
static int
http_tchar(uint8_t c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* Is c allowed in a URI host, brackets aside (RFC 3986 3.2.2)? */
static int
http_hostchar(uint8_t c, int literal)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	if (literal && c == ':')
		return 1;
	return c != '\0' && strchr("-._~!$&'()*+,;=%", c) != NULL;
}

/* The ASCII lower case of c; other bytes as they are. */
static uint8_t
http_lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint8_t)(c - 'A' + 'a') : c;
}

/*
 * Store n bytes escaped in dst of dstsz > 0 bytes, lower-cased if asked:
 * 0x20..0x7e as they are but '\' as "\\", any other byte as "\xhh".  The
 * result is cut at a whole escape when it does not fit; 1 if cut, else 0.
 */
static int
http_escape(char *dst, size_t dstsz, const uint8_t *src, size_t n, int lower)
{
	size_t	 i, o = 0, w;
	uint8_t	 c;

	for (i = 0; i < n; i++) {
		c = lower ? http_lower(src[i]) : src[i];
		if (c == '\\')
			w = 2;
		else if (c >= 0x20 && c <= 0x7e)
			w = 1;
		else
			w = 4;
		if (o + w >= dstsz) {
			dst[o] = '\0';
			return 1;
		}
		if (w == 1) {
			dst[o++] = (char)c;
		} else if (w == 2) {
			dst[o++] = '\\';
			dst[o++] = '\\';
		} else {
			dst[o++] = '\\';
			dst[o++] = 'x';
			dst[o++] = http_hexdigits[c >> 4];
			dst[o++] = http_hexdigits[c & 0x0f];
		}
	}
	dst[o] = '\0';
	return 0;
}

/* What to answer when the window ends before the bytes decide. */
static enum http_result
http_short(const struct http_ctx *c, int version_seen)
{
	if (!c->full)
		return HTTP_MORE;
	return version_seen ? HTTP_BAD : HTTP_NOT;
}

/*
 * Take a line end, CRLF or a bare LF, off the cursor: 1 if taken, 0 if the
 * next byte is not CR or LF, -1 if the window ends first, -2 on a bare CR.
 */
static int
http_eol(struct http_ctx *c)
{
	uint8_t	 ch;

	if (pbuf_peek_u8(&c->b, 0, &ch) == -1)
		return -1;
	if (ch == '\n') {
		c->out->flags |= HTTP_F_BARE_LF;
		return pbuf_skip(&c->b, 1) == -1 ? -1 : 1;
	}
	if (ch != '\r')
		return 0;
	if (pbuf_peek_u8(&c->b, 1, &ch) == -1)
		return -1;
	if (ch != '\n')
		return -2;
	return pbuf_skip(&c->b, 2) == -1 ? -1 : 1;
}

/*
 * Split the next line, without its line end, off the cursor: 0 if done,
 * -1 if the window holds no LF, -2 if the line holds a bare CR.
 */
static int
http_line(struct http_ctx *c, struct pbuf *line)
{
	const uint8_t	*lf;
	size_t		 n, end;

	if (c->b.len == 0)
		return -1;
	if ((lf = memchr(c->b.p, '\n', c->b.len)) == NULL)
		return -1;
	end = (size_t)(lf - c->b.p);
	n = end;
	if (n > 0 && c->b.p[n - 1] == '\r')
		n--;
	else
		c->out->flags |= HTTP_F_BARE_LF;
	if (n > 0 && memchr(c->b.p, '\r', n) != NULL)
		return -2;
	if (pbuf_sub(&c->b, n, line) == -1 ||
	    pbuf_skip(&c->b, end - n + 1) == -1)
		return -1;
	return 0;
}

/* Does the field name of n bytes equal lname, ignoring ASCII case? */
static int
http_name_is(const struct pbuf *name, const char *lname)
{
	size_t	 i;
	uint8_t	 ch;

	if (name->len != strlen(lname))
		return 0;
	for (i = 0; i < name->len; i++) {
		if (pbuf_peek_u8(name, i, &ch) == -1 ||
		    http_lower(ch) != (uint8_t)lname[i])
			return 0;
	}
	return 1;
}

/*
 * An authority, uri-host [ ":" port ], without user info (RFC 3986 3.2.2,
 * 3.2.3): the host stored lower-cased, an IP-literal with its brackets.
 * Returns 1 with a port, 0 without one (or an empty one), -1 if malformed.
 */
static int
http_authority(const struct pbuf *a, char *host, size_t hostsz,
    uint16_t *port, unsigned int *trunc, unsigned int *flags)
{
	struct pbuf	 h, rest = *a;
	const uint8_t	*sep;
	size_t		 hlen, i;
	size_t		 literal = 0;
	uint32_t	 v = 0;
	uint8_t		 ch;
	int		 valid = 1;

	*port = 0;
	host[0] = '\0';
	if (pbuf_peek_u8(a, 0, &ch) == 0 && ch == '[') {
		literal = 1;
		if ((sep = memchr(a->p, ']', a->len)) == NULL)
			return -1;
		hlen = (size_t)(sep - a->p) + 1;
	} else if (a->len > 0 && (sep = memchr(a->p, ':', a->len)) != NULL)
		hlen = (size_t)(sep - a->p);
	else
		hlen = a->len;
	if (pbuf_sub(&rest, hlen, &h) == -1)
		return -1;
	if (http_escape(host, hostsz, h.p, h.len, 1))
		*trunc |= HTTP_TRUNC_HOST;

	if (literal && h.len < 3)
		valid = 0;
	for (i = literal; i < h.len - literal; i++) {
		if (pbuf_peek_u8(&h, i, &ch) == -1 ||
		    !http_hostchar(ch, literal != 0))
			valid = 0;
	}
	if (!valid)
		*flags |= HTTP_F_HOST_INVALID;

	if (rest.len == 0)
		return 0;
	if (pbuf_get_u8(&rest, &ch) == -1 || ch != ':')
		return -1;
	if (rest.len == 0)
		return 0;
	while (pbuf_get_u8(&rest, &ch) == 0) {
		if (ch < '0' || ch > '9')
			return -1;
		v = v * 10 + (uint32_t)(ch - '0');
		if (v > 65535)
			return -1;
	}
	*port = (uint16_t)v;
	return 1;
}

/* Store the path of a target, up to its query or fragment; "/" if empty. */
static void
http_path(struct http_ctx *c, const struct pbuf *p)
{
	size_t	 n;
	uint8_t	 ch;

	for (n = 0; pbuf_peek_u8(p, n, &ch) == 0; n++)
		if (ch == '?' || ch == '#')
			break;
	if (n == 0) {
		c->out->path[0] = '/';
		c->out->path[1] = '\0';
		return;
	}
	if (http_escape(c->out->path, sizeof(c->out->path), p->p, n, 0))
		c->out->truncated_fields |= HTTP_TRUNC_PATH;
}

/* The length of an absolute URI's scheme when "://" follows it, else 0. */
static size_t
http_scheme(const struct pbuf *t)
{
	size_t	 i;
	uint8_t	 ch;

	if (pbuf_peek_u8(t, 0, &ch) == -1 ||
	    !((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')))
		return 0;
	for (i = 1; pbuf_peek_u8(t, i, &ch) == 0; i++) {
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '+' || ch == '-' ||
		    ch == '.'))
			break;
	}
	if (t->len - i < 3 || memcmp(t->p + i, "://", 3) != 0)
		return 0;
	return i;
}

/*
 * The request-target (RFC 9112 3.2) into form, host, port and path:
 *
 *	origin-form	/path?query
 *	absolute-form	scheme://[userinfo@]host[:port]/path?query#frag
 *	authority-form	host:port				(CONNECT)
 *	asterisk-form	*					(OPTIONS)
 */
static int
http_target(struct http_ctx *c, const struct pbuf *t)
{
	struct http_request	*out = c->out;
	struct pbuf		 rest = *t, auth;
	size_t			 slen, n;
	uint8_t			 ch;
	int			 r;

	if (http_escape(out->target, sizeof(out->target), t->p, t->len, 0))
		out->truncated_fields |= HTTP_TRUNC_TARGET;
	if (pbuf_peek_u8(t, 0, &ch) == -1)
		return -1;
	if (strcmp(out->method, "CONNECT") == 0) {
		out->form = HTTP_FORM_AUTHORITY;
		c->target_host = 1;
		r = http_authority(t, out->host, sizeof(out->host), &out->port,
		    &out->truncated_fields, &out->flags);
		return r == 1 && out->host[0] != '\0' ? 0 : -1;
	}
	if (ch == '/') {
		out->form = HTTP_FORM_ORIGIN;
		http_path(c, t);
		return 0;
	}
	if (ch == '*' && t->len == 1) {
		out->form = HTTP_FORM_ASTERISK;
		out->path[0] = '*';
		out->path[1] = '\0';
		return strcmp(out->method, "OPTIONS") == 0 ? 0 : -1;
	}
	if ((slen = http_scheme(t)) == 0 || pbuf_skip(&rest, slen + 3) == -1)
		return -1;
	out->form = HTTP_FORM_ABSOLUTE;
	c->target_host = 1;
	for (n = 0; pbuf_peek_u8(&rest, n, &ch) == 0; n++)
		if (ch == '/' || ch == '?' || ch == '#')
			break;
	if (pbuf_sub(&rest, n, &auth) == -1)
		return -1;
	for (; n > 0; n--) {
		if (pbuf_peek_u8(&auth, n - 1, &ch) == 0 && ch == '@') {
			out->flags |= HTTP_F_USERINFO;
			if (pbuf_skip(&auth, n) == -1)
				return -1;
			break;
		}
	}
	r = http_authority(&auth, out->host, sizeof(out->host), &out->port,
	    &out->truncated_fields, &out->flags);
	if (r == -1 || out->host[0] == '\0')
		return -1;
	http_path(c, &rest);
	return 0;
}

/*
 * The request line (RFC 9112 3), after at most a few empty lines (2.2):
 *
 *	GET /anpr/firmware/latest.json HTTP/1.1 CRLF
 *	method SP request-target SP "HTTP/1." DIGIT CRLF
 *
 * Until "HTTP/1." has been seen the bytes are HTTP_NOT when they stop
 * fitting; after it they are HTTP_BAD.
 */
static enum http_result
http_request_line(struct http_ctx *c)
{
	static const char	 version[] = "HTTP/1.";
	struct http_request	*out = c->out;
	struct pbuf		 method, target;
	size_t			 i;
	uint8_t			 ch;
	int			 r;

	for (i = 0;; i++) {
		if ((r = http_eol(c)) == 0)
			break;
		if (r == -1)
			return http_short(c, 0);
		if (r == -2 || i == HTTP_EMPTY_LINES_MAX)
			return HTTP_NOT;
	}

	for (i = 0;; i++) {
		if (pbuf_peek_u8(&c->b, i, &ch) == -1)
			return http_short(c, 0);
		if (ch == ' ')
			break;
		if (!http_tchar(ch) || i + 1 == HTTP_METHOD_MAX)
			return HTTP_NOT;
	}
	if (i == 0 || pbuf_sub(&c->b, i, &method) == -1 ||
	    pbuf_skip(&c->b, 1) == -1)
		return HTTP_NOT;
	http_escape(out->method, sizeof(out->method), method.p, method.len, 0);

	for (i = 0;; i++) {
		if (pbuf_peek_u8(&c->b, i, &ch) == -1)
			return http_short(c, 0);
		if (ch == ' ')
			break;
		if (ch == '\r' || ch == '\n')
			return HTTP_NOT;
	}
	if (pbuf_sub(&c->b, i, &target) == -1 || pbuf_skip(&c->b, 1) == -1)
		return HTTP_NOT;

	for (i = 0; i < sizeof(version) - 1; i++) {
		if (pbuf_get_u8(&c->b, &ch) == -1)
			return http_short(c, 0);
		if (ch != (uint8_t)version[i])
			return HTTP_NOT;
	}
	if (pbuf_get_u8(&c->b, &ch) == -1)
		return http_short(c, 1);
	if (ch < '0' || ch > '9')
		return HTTP_BAD;
	out->version_minor = (uint8_t)(ch - '0');
	if ((r = http_eol(c)) == -1)
		return http_short(c, 1);
	if (r != 1)
		return HTTP_BAD;
	return http_target(c, &target) == 0 ? HTTP_OK : HTTP_BAD;
}

/*
 * One field line (RFC 9112 5, RFC 9110 5.5); Host (RFC 9110 7.2),
 * User-Agent (RFC 9110 10.1.5) and the media type of Content-Type (RFC
 * 9110 8.3.1, the first field) are kept:
 *
 *	field-name ":" OWS field-value OWS
 *	Host: fw.anpr-vendor.example
 *	User-Agent: ANPR-Cam/4.2.1 (iDS-TCM403)
 */
static int
http_field(struct http_ctx *c, struct pbuf *line)
{
	struct http_request	*out = c->out;
	struct pbuf		 name, v;
	char			 other[HTTP_HOST_MAX];
	unsigned int		 trunc = 0, flags = 0;
	uint16_t		 port;
	size_t			 i;
	uint8_t			 ch;

	for (i = 0;; i++) {
		if (pbuf_peek_u8(line, i, &ch) == -1)
			return -1;
		if (ch == ':')
			break;
		if (!http_tchar(ch))
			return -1;
	}
	if (i == 0 || pbuf_sub(line, i, &name) == -1 ||
	    pbuf_skip(line, 1) == -1)
		return -1;
	v = *line;
	while (pbuf_peek_u8(&v, 0, &ch) == 0 && (ch == ' ' || ch == '\t'))
		(void)pbuf_skip(&v, 1);
	while (v.len > 0 && pbuf_peek_u8(&v, v.len - 1, &ch) == 0 &&
	    (ch == ' ' || ch == '\t'))
		v.len--;

	if (http_name_is(&name, "user-agent")) {
		if (c->seen_ua) {
			out->flags |= HTTP_F_DUP_UA;
			return 0;
		}
		c->seen_ua = 1;
		if (http_escape(out->user_agent, sizeof(out->user_agent),
		    v.p, v.len, 0))
			out->truncated_fields |= HTTP_TRUNC_UA;
		return 0;
	}
	if (http_name_is(&name, "content-type")) {
		/* its media type: what comes before any parameter */
		if (out->content_type[0] != '\0')
			return 0;
		for (i = 0; pbuf_peek_u8(&v, i, &ch) == 0; i++)
			if (ch == ';' || ch == ' ' || ch == '\t')
				break;
		if (http_escape(out->content_type, sizeof(out->content_type),
		    v.p, i, 1))
			out->truncated_fields |= HTTP_TRUNC_CTYPE;
		return 0;
	}
	if (!http_name_is(&name, "host"))
		return 0;
	if (c->seen_host) {
		out->flags |= HTTP_F_DUP_HOST;
		return -1;
	}
	c->seen_host = 1;
	if (!c->target_host)
		return http_authority(&v, out->host, sizeof(out->host),
		    &out->port, &out->truncated_fields, &out->flags) == -1 ?
		    -1 : 0;
	if (http_authority(&v, other, sizeof(other), &port, &trunc,
	    &flags) == -1)
		return -1;
	if (strcmp(other, out->host) != 0)
		out->flags |= HTTP_F_HOST_MISMATCH;
	return 0;
}

/* The field lines up to the empty line that ends the header section. */
static enum http_result
http_fields(struct http_ctx *c)
{
	struct pbuf	 line;
	uint8_t		 ch;
	int		 r;

	for (;;) {
		if ((r = http_line(c, &line)) == -1)
			return http_short(c, 1);
		if (r == -2)
			return HTTP_BAD;
		if (line.len == 0)
			return HTTP_OK;
		if (pbuf_peek_u8(&line, 0, &ch) == 0 &&
		    (ch == ' ' || ch == '\t')) {
			c->out->flags |= HTTP_F_OBS_FOLD;
			return HTTP_BAD;
		}
		if (++c->out->nfields > HTTP_FIELDS_MAX)
			return HTTP_BAD;
		if (http_field(c, &line) == -1)
			return HTTP_BAD;
	}
}

/*
 * Parse the first request of a stream from the first len client bytes.
 * Only the first HTTP_HEADERS_MAX bytes are read; the header section must
 * end within them.
 */
enum http_result
http_request_parse(const uint8_t *buf, size_t len, struct http_request *out)
{
	struct http_ctx		 c;
	enum http_result	 r;

	memset(out, 0, sizeof(*out));
	if (buf == NULL || len == 0)
		return HTTP_MORE;
	memset(&c, 0, sizeof(c));
	c.out = out;
	c.start = buf;
	c.full = len >= HTTP_HEADERS_MAX;
	pbuf_init(&c.b, buf, c.full ? HTTP_HEADERS_MAX : len);

	if ((r = http_request_line(&c)) != HTTP_OK ||
	    (r = http_fields(&c)) != HTTP_OK)
		return r;
	out->header_len = (size_t)(c.b.p - c.start);
	if (!c.seen_host)
		out->flags |= HTTP_F_NO_HOST;
	return HTTP_OK;
}

/* The name of a result, for logs and tests. */
const char *
http_result_name(enum http_result r)
{
	switch (r) {
	case HTTP_OK:
		return "ok";
	case HTTP_MORE:
		return "more";
	case HTTP_NOT:
		return "not";
	case HTTP_BAD:
		return "bad";
	}
	return "?";
}

/*
 * The value of a base64 digit (RFC 4648 section 4), or -1 (padding and
 * any other byte).
 */
static int
http_b64(uint8_t c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	return c == '/' ? 63 : -1;
}

/* The value of a hex digit, or -1. */
static int
http_hex(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = http_lower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/*
 * Is s (n bytes) the URL-encoded (or plain) base64 of a DER OCSPRequest,
 * as an OCSP GET carries it (RFC 6960 appendix A.1)?  Decoded, it must be
 * a SEQUENCE whose DER length is exactly what was decoded, starting with
 * another SEQUENCE (the tbsRequest, RFC 6960 4.1.1), of at least
 * HTTP_OCSP_MIN bytes: a name that only looks like base64 decodes to
 * anything but that.
 */
#define HTTP_OCSP_MIN	32	/* bytes: a CertID alone is more */
#define HTTP_OCSP_MAX	768	/* bytes decoded, at most (the path's) */
static int
http_ocsp_b64(const char *s, size_t n)
{
	uint8_t		 der[HTTP_OCSP_MAX];
	uint32_t	 acc = 0;
	size_t		 i, o = 0, len, hdr, pad = 0;
	int		 v, bits = 0, h1, h2;
	uint8_t		 c;

	for (i = 0; i < n; i++) {
		c = (uint8_t)s[i];
		if (c == '%') {
			if (i + 2 >= n || (h1 = http_hex((uint8_t)s[i + 1])) ==
			    -1 || (h2 = http_hex((uint8_t)s[i + 2])) == -1)
				return 0;
			c = (uint8_t)(h1 << 4 | h2);
			i += 2;
		}
		if (c == '=') {
			pad++;
			continue;
		}
		if (pad > 0 || (v = http_b64(c)) == -1)
			return 0;
		acc = acc << 6 | (uint32_t)v;
		if ((bits += 6) >= 8) {
			bits -= 8;
			if (o == sizeof(der))
				return 0;
			der[o++] = (uint8_t)(acc >> bits);
		}
	}
	if (pad > 2 || o < HTTP_OCSP_MIN || der[0] != 0x30)
		return 0;
	if (der[1] < 0x80) {
		len = der[1];
		hdr = 2;
	} else if (der[1] == 0x81) {
		len = der[2];
		hdr = 3;
	} else if (der[1] == 0x82) {
		len = (size_t)der[2] << 8 | der[3];
		hdr = 4;
	} else
		return 0;
	return hdr + len == o && der[hdr] == 0x30;
}

/* Does a path end in suffix, ASCII case aside? */
static int
http_path_ends(const char *path, size_t n, const char *suffix)
{
	size_t	i, k = strlen(suffix);

	if (n < k)
		return 0;
	for (i = 0; i < k; i++)
		if (http_lower((uint8_t)path[n - k + i]) != (uint8_t)suffix[i])
			return 0;
	return 1;
}

/*
 * Is a request a fetch of a certificate's status or of its issuer: what
 * a TLS or code-signing stack fetches when it checks a certificate, at
 * times its connections decide, not a call of the application's own?
 *   - OCSP (RFC 6960 appendix A.1): a POST of application/ocsp-request
 *     (RFC 6960 appendix C.1), or a GET whose path ends in the base64,
 *     URL-encoded or not, of a DER OCSPRequest (http_ocsp_b64; the
 *     base64 may hold '/', so each '/' before an 'M', the base64 of a
 *     SEQUENCE's first byte, is tried as its start);
 *   - a CRL from a CRL distribution point (RFC 5280 4.2.1.13), a GET of a
 *     ".crl" (RFC 2585 section 4: application/pkix-crl);
 *   - an issuer's certificate from caIssuers (RFC 5280 4.2.2.1): a GET of
 *     a ".cer" or ".p7c" (RFC 2585 3, RFC 5280), or ".crt", as many CAs
 *     name theirs (RFC 2585 3: application/pkix-cert).
 * A request whose path was cut is none of them.
 */
enum http_pki
http_pki(const struct http_request *r)
{
	const char	*p = r->path;
	size_t		 n = strnlen(p, sizeof(r->path)), i;

	if (strcmp(r->method, "POST") == 0)
		return strcmp(r->content_type, "application/ocsp-request") ==
		    0 ? HTTP_PKI_OCSP : HTTP_PKI_NONE;
	if (strcmp(r->method, "GET") != 0 ||
	    (r->truncated_fields & HTTP_TRUNC_PATH) || n == 0)
		return HTTP_PKI_NONE;
	if (http_path_ends(p, n, ".crl"))
		return HTTP_PKI_CRL;
	if (http_path_ends(p, n, ".cer") || http_path_ends(p, n, ".crt") ||
	    http_path_ends(p, n, ".p7c"))
		return HTTP_PKI_CERT;
	for (i = 0; i + 1 < n; i++)
		if (p[i] == '/' && p[i + 1] == 'M' &&
		    http_ocsp_b64(p + i + 1, n - i - 1))
			return HTTP_PKI_OCSP;
	return HTTP_PKI_NONE;
}

/* The word for what a request fetches for a certificate's checking. */
const char *
http_pki_name(enum http_pki k)
{
	switch (k) {
	case HTTP_PKI_OCSP:
		return "ocsp";
	case HTTP_PKI_CRL:
		return "crl";
	case HTTP_PKI_CERT:
		return "certificate";
	default:
		return "none";
	}
}
