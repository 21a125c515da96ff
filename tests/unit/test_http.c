/* Unit tests for the HTTP/1.x request parser, from hand-made bytes and site-demo.pcap. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "decode.h"
#include "http.h"
#include "test.h"

#define PARSE(lit, r)	parse((lit), sizeof(lit) - 1, (r))

/* The GET of site-demo.pcap frame 490, as sent. */
static const char get_req[] =
    "GET /anpr/firmware/latest.json HTTP/1.1\r\n"
    "Host: fw.anpr-vendor.example\r\n"
    "User-Agent: ANPR-Cam/4.2.1 (iDS-TCM403)\r\n"
    "Accept: */*\r\n"
    "Connection: keep-alive\r\n"
    "\r\n";

/* Is every stored string NUL-terminated, printable ASCII? */
static int
safe(const char *s, size_t size)
{
	size_t	 i;

	for (i = 0; i < size; i++) {
		if (s[i] == '\0')
			return 1;
		if (s[i] < 0x20 || s[i] > 0x7e)
			return 0;
	}
	return 0;
}

/* Parse n bytes from a buffer of exactly n, so ASan sees any over-read. */
static enum http_result
parse(const void *p, size_t n, struct http_request *r)
{
	enum http_result	 res;
	uint8_t			*copy;

	copy = malloc(n ? n : 1);
	if (copy == NULL)
		abort();
	memcpy(copy, p, n);
	memset(r, 0xa5, sizeof(*r));
	res = http_request_parse(copy, n, r);
	free(copy);
	CHECK(safe(r->method, sizeof(r->method)));
	CHECK(safe(r->host, sizeof(r->host)));
	CHECK(safe(r->path, sizeof(r->path)));
	CHECK(safe(r->target, sizeof(r->target)));
	CHECK(safe(r->user_agent, sizeof(r->user_agent)));
	return res;
}

/* A buffer of n bytes: head, then fill bytes, then tail. */
static uint8_t *
build(const char *head, int fill, size_t nfill, const char *tail, size_t *n)
{
	size_t	 h = strlen(head), t = strlen(tail);
	uint8_t	*b;

	*n = h + nfill + t;
	if ((b = malloc(*n)) == NULL)
		abort();
	memcpy(b, head, h);
	memset(b + h, fill, nfill);
	memcpy(b + h + nfill, tail, t);
	return b;
}

static void
test_get(void)
{
	struct http_request	 r;

	CHECK_EQ(PARSE(get_req, &r), HTTP_OK);
	CHECK_STR(r.method, "GET");
	CHECK_STR(r.host, "fw.anpr-vendor.example");
	CHECK_EQ(r.port, 0);
	CHECK_STR(r.path, "/anpr/firmware/latest.json");
	CHECK_STR(r.target, "/anpr/firmware/latest.json");
	CHECK_STR(r.user_agent, "ANPR-Cam/4.2.1 (iDS-TCM403)");
	CHECK_EQ(r.version_minor, 1);
	CHECK_EQ(r.form, HTTP_FORM_ORIGIN);
	CHECK_EQ(r.flags, 0);
	CHECK_EQ(r.truncated_fields, 0);
	CHECK_EQ(r.nfields, 4);
	CHECK_EQ(r.header_len, sizeof(get_req) - 1);
	CHECK_STR(http_result_name(HTTP_OK), "ok");
	CHECK_STR(http_result_name(HTTP_BAD), "bad");
}

static void
test_post(void)
{
	static const char	 req[] =
	    "POST /api/v1/anpr/events?cam=21 HTTP/1.1\r\n"
	    "Host: 10.20.0.5\r\n"
	    "User-Agent: ANPR-Cam/4.2.1\r\n"
	    "Content-Type: application/json\r\n"
	    "Content-Length: 13\r\n"
	    "\r\n"
	    "{\"plate\":\"x\"}";
	struct http_request	 r;

	CHECK_EQ(PARSE(req, &r), HTTP_OK);
	CHECK_STR(r.method, "POST");
	CHECK_STR(r.host, "10.20.0.5");
	CHECK_STR(r.path, "/api/v1/anpr/events");
	CHECK_STR(r.target, "/api/v1/anpr/events?cam=21");
	CHECK_STR(r.user_agent, "ANPR-Cam/4.2.1");
	CHECK_EQ(r.header_len, sizeof(req) - 1 - 13);
	CHECK_EQ(r.flags, 0);

	/* A fragment is not part of url.path either. */
	CHECK_EQ(PARSE("GET /a/b#frag HTTP/1.1\r\nHost: x\r\n\r\n", &r),
	    HTTP_OK);
	CHECK_STR(r.path, "/a/b");
	CHECK_STR(r.target, "/a/b#frag");
}

static void
test_host_port(void)
{
	struct http_request	 r;

	CHECK_EQ(PARSE("GET / HTTP/1.1\r\nHost: Cloud.Vendor.EXAMPLE:8080\r\n"
	    "\r\n", &r), HTTP_OK);
	CHECK_STR(r.host, "cloud.vendor.example");
	CHECK_EQ(r.port, 8080);
	CHECK_EQ(r.flags, 0);

	CHECK_EQ(PARSE("GET / HTTP/1.1\r\nHost: a.example:65535\r\n\r\n",
	    &r), HTTP_OK);
	CHECK_EQ(r.port, 65535);
	CHECK_EQ(PARSE("GET / HTTP/1.1\r\nHost: a.example:\r\n\r\n", &r),
	    HTTP_OK);
	CHECK_STR(r.host, "a.example");
	CHECK_EQ(r.port, 0);
	CHECK_EQ(PARSE("GET / HTTP/1.1\r\nHost: a.example:65536\r\n\r\n",
	    &r), HTTP_BAD);
	CHECK_EQ(PARSE("GET / HTTP/1.1\r\nHost: a.example:99999999999999\r\n"
	    "\r\n", &r), HTTP_BAD);
	CHECK_EQ(PARSE("GET / HTTP/1.1\r\nHost: a.example:80a\r\n\r\n", &r),
	    HTTP_BAD);
	CHECK_EQ(PARSE("GET / HTTP/1.1\r\nHost: a:b:c\r\n\r\n", &r),
	    HTTP_BAD);

	/* An empty Host is what a client sends for a URI without one. */
	CHECK_EQ(PARSE("GET / HTTP/1.1\r\nHost:\r\n\r\n", &r), HTTP_OK);
	CHECK_STR(r.host, "");
	CHECK_EQ(r.flags, 0);

	/* Optional whitespace around the value. */
	CHECK_EQ(PARSE("GET / HTTP/1.1\r\nHost: \t a.example \t\r\n\r\n",
	    &r), HTTP_OK);
	CHECK_STR(r.host, "a.example");
	CHECK_EQ(r.flags, 0);
}

static void
test_ipv6(void)
{
	struct http_request	 r;

	CHECK_EQ(PARSE("GET / HTTP/1.1\r\nHost: [2001:DB8:BEEF::10]:8443\r\n"
	    "\r\n", &r), HTTP_OK);
	CHECK_STR(r.host, "[2001:db8:beef::10]");
	CHECK_EQ(r.port, 8443);
	CHECK_EQ(r.flags, 0);
	CHECK_EQ(PARSE("GET / HTTP/1.1\r\nHost: [::1]\r\n\r\n", &r),
	    HTTP_OK);
	CHECK_STR(r.host, "[::1]");
	CHECK_EQ(r.port, 0);
	CHECK_EQ(PARSE("GET / HTTP/1.1\r\nHost: [fe80::1%25eth0]:80\r\n\r\n",
	    &r), HTTP_OK);
	CHECK_STR(r.host, "[fe80::1%25eth0]");
	CHECK_EQ(r.flags, 0);
	CHECK_EQ(PARSE("GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", &r),
	    HTTP_BAD);
	CHECK_EQ(PARSE("GET / HTTP/1.1\r\nHost: [::1]x\r\n\r\n", &r),
	    HTTP_BAD);
	CHECK_EQ(PARSE("GET / HTTP/1.1\r\nHost: ::1\r\n\r\n", &r), HTTP_BAD);
	CHECK_EQ(PARSE("GET / HTTP/1.1\r\nHost: []\r\n\r\n", &r), HTTP_OK);
	CHECK(r.flags & HTTP_F_HOST_INVALID);
}

static void
test_absolute(void)
{
	struct http_request	 r;

	CHECK_EQ(PARSE("GET http://User:Pw@Proxy.Example:3128/a/b?q=1#f "
	    "HTTP/1.1\r\nHost: proxy.example:3128\r\n\r\n", &r), HTTP_OK);
	CHECK_EQ(r.form, HTTP_FORM_ABSOLUTE);
	CHECK_STR(r.host, "proxy.example");
	CHECK_EQ(r.port, 3128);
	CHECK_STR(r.path, "/a/b");
	CHECK_STR(r.target, "http://User:Pw@Proxy.Example:3128/a/b?q=1#f");
	CHECK_EQ(r.flags, HTTP_F_USERINFO);

	/* The target names the host; a Host that differs is flagged. */
	CHECK_EQ(PARSE("GET http://a.example/x HTTP/1.1\r\n"
	    "Host: b.example\r\n\r\n", &r), HTTP_OK);
	CHECK_STR(r.host, "a.example");
	CHECK_STR(r.path, "/x");
	CHECK_EQ(r.flags, HTTP_F_HOST_MISMATCH);

	/* No Host field: the URI's host, and an empty path is "/". */
	CHECK_EQ(PARSE("GET HTTPS://A.example?x=1 HTTP/1.0\r\n\r\n", &r),
	    HTTP_OK);
	CHECK_STR(r.host, "a.example");
	CHECK_STR(r.path, "/");
	CHECK_EQ(r.version_minor, 0);
	CHECK_EQ(r.flags, HTTP_F_NO_HOST);

	CHECK_EQ(PARSE("GET http://[2001:db8::1]:8080 HTTP/1.1\r\n\r\n", &r),
	    HTTP_OK);
	CHECK_STR(r.host, "[2001:db8::1]");
	CHECK_EQ(r.port, 8080);

	CHECK_EQ(PARSE("GET http:///x HTTP/1.1\r\n\r\n", &r), HTTP_BAD);
	CHECK_EQ(PARSE("GET http://a:x/ HTTP/1.1\r\n\r\n", &r), HTTP_BAD);
	CHECK_EQ(PARSE("GET foo HTTP/1.1\r\n\r\n", &r), HTTP_BAD);
	CHECK_EQ(PARSE("GET 1http://a/ HTTP/1.1\r\n\r\n", &r), HTTP_BAD);
	CHECK_EQ(PARSE("GET  HTTP/1.1\r\n\r\n", &r), HTTP_BAD);
	/* An invalid Host is still a 400, though the target wins. */
	CHECK_EQ(PARSE("GET http://a/ HTTP/1.1\r\nHost: a:x\r\n\r\n", &r),
	    HTTP_BAD);
}

static void
test_connect_options(void)
{
	struct http_request	 r;

	CHECK_EQ(PARSE("CONNECT API.example.com:443 HTTP/1.1\r\n"
	    "Host: api.example.com:443\r\n"
	    "User-Agent: curl/8.5.0\r\n\r\n", &r), HTTP_OK);
	CHECK_EQ(r.form, HTTP_FORM_AUTHORITY);
	CHECK_STR(r.method, "CONNECT");
	CHECK_STR(r.host, "api.example.com");
	CHECK_EQ(r.port, 443);
	CHECK_STR(r.path, "");
	CHECK_STR(r.target, "API.example.com:443");
	CHECK_STR(r.user_agent, "curl/8.5.0");
	CHECK_EQ(r.flags, 0);

	CHECK_EQ(PARSE("CONNECT [2001:db8::5]:443 HTTP/1.1\r\n\r\n", &r),
	    HTTP_OK);
	CHECK_STR(r.host, "[2001:db8::5]");
	CHECK_EQ(r.port, 443);
	CHECK_EQ(r.flags, HTTP_F_NO_HOST);

	CHECK_EQ(PARSE("CONNECT api.example.com HTTP/1.1\r\n\r\n", &r),
	    HTTP_BAD);
	CHECK_EQ(PARSE("CONNECT :443 HTTP/1.1\r\n\r\n", &r), HTTP_BAD);
	CHECK_EQ(PARSE("CONNECT /x HTTP/1.1\r\n\r\n", &r), HTTP_BAD);

	CHECK_EQ(PARSE("OPTIONS * HTTP/1.1\r\nHost: a.example\r\n\r\n", &r),
	    HTTP_OK);
	CHECK_EQ(r.form, HTTP_FORM_ASTERISK);
	CHECK_STR(r.path, "*");
	CHECK_STR(r.host, "a.example");
	CHECK_EQ(PARSE("GET * HTTP/1.1\r\nHost: a.example\r\n\r\n", &r),
	    HTTP_BAD);
}

static void
test_http10_no_host(void)
{
	struct http_request	 r;

	CHECK_EQ(PARSE("GET /cgi-bin/snapshot.cgi HTTP/1.0\r\n"
	    "User-Agent: Wget/1.21\r\n\r\n", &r), HTTP_OK);
	CHECK_EQ(r.version_minor, 0);
	CHECK_STR(r.host, "");
	CHECK_EQ(r.port, 0);
	CHECK_STR(r.path, "/cgi-bin/snapshot.cgi");
	CHECK_STR(r.user_agent, "Wget/1.21");
	CHECK_EQ(r.flags, HTTP_F_NO_HOST);

	/* HTTP/1.1 without Host: still named, flagged. */
	CHECK_EQ(PARSE("GET / HTTP/1.1\r\n\r\n", &r), HTTP_OK);
	CHECK_EQ(r.flags, HTTP_F_NO_HOST);
	CHECK_EQ(r.nfields, 0);
}

/* Every proper prefix is HTTP_MORE, the whole is HTTP_OK with the same fields. */
static void
split_one(const char *req, size_t n)
{
	struct http_request	 whole, r;
	size_t			 i;
	int			 more = 0;

	CHECK_EQ(parse(req, n, &whole), HTTP_OK);
	for (i = 0; i < n; i++)
		more += parse(req, i, &r) == HTTP_MORE;
	CHECK_EQ(more, n);
	CHECK_EQ(parse(req, n, &r), HTTP_OK);
	CHECK_STR(r.host, whole.host);
	CHECK_STR(r.user_agent, whole.user_agent);
}

static void
test_split(void)
{
	static const char	 lf[] = "\nPUT /x HTTP/1.1\nHost: [::1]:80\n"
	    "User-Agent: y\n\n";
	static const char	 crlf[] = "\r\n\r\nGET http://a.example:81/ "
	    "HTTP/1.1\r\nHost: a.example\r\n\r\n";

	split_one(get_req, sizeof(get_req) - 1);
	split_one(lf, sizeof(lf) - 1);
	split_one(crlf, sizeof(crlf) - 1);
}

static void
test_not_http(void)
{
	static const uint8_t	 hello[] = {
		0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03,
		0x03, 0x5a, 0x11, 0x9c, 0x00, 0x20
	};
	static const uint8_t	 mqtt[] = {
		0x10, 0x1a, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x02
	};
	static const uint8_t	 zeros[64];
	struct http_request	 r;
	size_t			 n;
	uint8_t			*b;

	CHECK_EQ(parse(hello, sizeof(hello), &r), HTTP_NOT);
	CHECK_EQ(parse(hello, 1, &r), HTTP_NOT);
	CHECK_EQ(parse(mqtt, sizeof(mqtt), &r), HTTP_NOT);
	CHECK_EQ(parse(zeros, sizeof(zeros), &r), HTTP_NOT);
	CHECK_EQ(PARSE("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n", &r), HTTP_NOT);
	CHECK_EQ(PARSE("SSH-2.0-", &r), HTTP_MORE);
	CHECK_EQ(PARSE("SSH-2.0-OpenSSH_9.2p1\r\n", &r), HTTP_NOT);
	CHECK_EQ(PARSE("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", &r), HTTP_NOT);
	CHECK_EQ(PARSE("DESCRIBE rtsp://10.20.1.11/stream1 RTSP/1.0\r\n"
	    "CSeq: 2\r\n\r\n", &r), HTTP_NOT);
	CHECK_EQ(PARSE("GET /\r\n", &r), HTTP_NOT);		/* HTTP/0.9 */
	CHECK_EQ(PARSE("GET / b HTTP/1.1\r\n\r\n", &r), HTTP_NOT);
	CHECK_EQ(PARSE(" GET / HTTP/1.1\r\n\r\n", &r), HTTP_NOT);
	CHECK_EQ(PARSE("GET\t/ HTTP/1.1\r\n\r\n", &r), HTTP_NOT);
	CHECK_EQ(PARSE("\r\r", &r), HTTP_NOT);
	CHECK_EQ(PARSE("\r\n\r\n\r\n\r\n\r\n\r\nGET / HTTP/1.1\r\n\r\n", &r),
	    HTTP_NOT);
	CHECK_EQ(parse("", 0, &r), HTTP_MORE);
	CHECK_EQ(http_request_parse(NULL, 0, &r), HTTP_MORE);
	CHECK_EQ(PARSE("GET / HTTP/1", &r), HTTP_MORE);
	CHECK_EQ(PARSE("GET / HTTP/1.", &r), HTTP_MORE);
	CHECK_EQ(PARSE("GET / HTTP/1.1\r", &r), HTTP_MORE);

	/* A method of 31 bytes is a token; 32 is not HTTP. */
	b = build("", 'M', 31, " / HTTP/1.1\r\n\r\n", &n);
	CHECK_EQ(parse(b, n, &r), HTTP_OK);
	CHECK_EQ(strlen(r.method), 31);
	free(b);
	b = build("", 'M', 32, " / HTTP/1.1\r\n\r\n", &n);
	CHECK_EQ(parse(b, n, &r), HTTP_NOT);
	free(b);

	/* A 16 KiB request line without a version is not HTTP. */
	b = build("GET /", 'a', HTTP_HEADERS_MAX, "", &n);
	CHECK_EQ(parse(b, HTTP_HEADERS_MAX - 1, &r), HTTP_MORE);
	CHECK_EQ(parse(b, n, &r), HTTP_NOT);
	free(b);
}

static void
test_version(void)
{
	struct http_request	 r;

	CHECK_EQ(PARSE("GET / HTTP/1.x\r\n\r\n", &r), HTTP_BAD);
	CHECK_EQ(PARSE("GET / HTTP/1.10\r\n\r\n", &r), HTTP_BAD);
	CHECK_EQ(PARSE("GET / HTTP/1.1 \r\n\r\n", &r), HTTP_BAD);
	CHECK_EQ(PARSE("GET / HTTP/1.1\rX", &r), HTTP_BAD);
	CHECK_EQ(PARSE("GET / HTTP/1.0\r\n\r\n", &r), HTTP_OK);
	CHECK_EQ(r.version_minor, 0);
	CHECK_EQ(PARSE("get / HTTP/1.1\r\n\r\n", &r), HTTP_OK);
	CHECK_STR(r.method, "get");
	CHECK_EQ(PARSE("\r\nGET / HTTP/1.1\r\n\r\n", &r), HTTP_OK);
	CHECK_EQ(r.header_len, 20);
}

static void
test_line_ends(void)
{
	static const char	 req[] = "GET /x HTTP/1.1\nHost: a.example\r\n"
	    "User-Agent: ua\n\nbody";
	struct http_request	 r;

	CHECK_EQ(PARSE(req, &r), HTTP_OK);
	CHECK_STR(r.host, "a.example");
	CHECK_STR(r.user_agent, "ua");
	CHECK_EQ(r.flags, HTTP_F_BARE_LF);
	CHECK_EQ(r.header_len, sizeof(req) - 1 - 4);

	CHECK_EQ(PARSE("GET / HTTP/1.1\r\nHost: a\r\n\r\n", &r), HTTP_OK);
	CHECK_EQ(r.flags & HTTP_F_BARE_LF, 0);

	/* A bare CR is not a line end. */
	CHECK_EQ(PARSE("GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n", &r), HTTP_BAD);
	CHECK_EQ(PARSE("GET / HTTP/1.1\r\nHost: a\r\r\n\r\n", &r), HTTP_BAD);
	CHECK_EQ(PARSE("GET / HTTP/1.1\r\nX: \r\r\n", &r), HTTP_BAD);
	CHECK_EQ(PARSE("GET /a\rb HTTP/1.1\r\n\r\n", &r), HTTP_NOT);
}

static void
test_bad_fields(void)
{
	struct http_request	 r;

	CHECK_EQ(PARSE("GET / HTTP/1.1\r\nHost a.example\r\n\r\n", &r),
	    HTTP_BAD);
	CHECK_EQ(PARSE("GET / HTTP/1.1\r\nHost : a.example\r\n\r\n", &r),
	    HTTP_BAD);
	CHECK_EQ(PARSE("GET / HTTP/1.1\r\n: a.example\r\n\r\n", &r),
	    HTTP_BAD);
	CHECK_EQ(PARSE("GET / HTTP/1.1\r\nHo\"st: a.example\r\n\r\n", &r),
	    HTTP_BAD);
	CHECK_EQ(PARSE("GET / HTTP/1.1\r\nX-A: b\r\nno colon\r\n\r\n", &r),
	    HTTP_BAD);

	/* obs-fold, and whitespace before the first field. */
	CHECK_EQ(PARSE("GET / HTTP/1.1\r\nUser-Agent: a\r\n b\r\n\r\n", &r),
	    HTTP_BAD);
	CHECK(r.flags & HTTP_F_OBS_FOLD);
	CHECK_STR(r.user_agent, "a");
	CHECK_EQ(PARSE("GET / HTTP/1.1\r\n\tHost: a\r\n\r\n", &r), HTTP_BAD);
	CHECK(r.flags & HTTP_F_OBS_FOLD);
	CHECK_EQ(PARSE("GET / HTTP/1.1\r\n \r\n\r\n", &r), HTTP_BAD);

	/* Other fields are not looked into. */
	CHECK_EQ(PARSE("GET / HTTP/1.1\r\nX-Empty:\r\nX-Odd: \x01\xff\r\n"
	    "Host: h\r\n\r\n", &r), HTTP_OK);
	CHECK_EQ(r.nfields, 3);
}

static void
test_limits(void)
{
	struct http_request	 r;
	char			 line[64];
	uint8_t			*b;
	size_t			 n, head, i;
	int			 k;

	/* One long field line over the window. */
	b = build("GET / HTTP/1.1\r\nX-Long: ", 'a', HTTP_HEADERS_MAX,
	    "\r\n\r\n", &n);
	CHECK_EQ(parse(b, n, &r), HTTP_BAD);
	CHECK_EQ(parse(b, HTTP_HEADERS_MAX, &r), HTTP_BAD);
	CHECK_EQ(parse(b, HTTP_HEADERS_MAX - 1, &r), HTTP_MORE);
	free(b);

	/* A header section of exactly 16 KiB is fine, one byte more is not. */
	head = strlen("GET / HTTP/1.1\r\nX-Long: ") + 4;
	b = build("GET / HTTP/1.1\r\nX-Long: ", 'a', HTTP_HEADERS_MAX - head,
	    "\r\n\r\nBODY", &n);
	CHECK_EQ(parse(b, n, &r), HTTP_OK);
	CHECK_EQ(r.header_len, HTTP_HEADERS_MAX);
	CHECK_EQ(parse(b, HTTP_HEADERS_MAX, &r), HTTP_OK);
	free(b);
	b = build("GET / HTTP/1.1\r\nX-Long: ", 'a',
	    HTTP_HEADERS_MAX - head + 1, "\r\n\r\n", &n);
	CHECK_EQ(parse(b, n, &r), HTTP_BAD);
	CHECK_EQ(parse(b, n - 1, &r), HTTP_BAD);
	free(b);

	/* Many short field lines. */
	for (k = 100; k <= 101; k++) {
		n = 0;
		b = malloc(32 + (size_t)k * 16);
		if (b == NULL)
			abort();
		memcpy(b, "GET / HTTP/1.1\r\n", 16);
		n = 16;
		for (i = 0; i < (size_t)k; i++) {
			snprintf(line, sizeof(line), "X-%03zu: v\r\n", i);
			memcpy(b + n, line, strlen(line));
			n += strlen(line);
		}
		memcpy(b + n, "\r\n", 2);
		n += 2;
		CHECK_EQ(parse(b, n, &r), k == 100 ? HTTP_OK : HTTP_BAD);
		CHECK_EQ(r.nfields, (unsigned int)k);
		free(b);
	}
}

static void
test_truncation(void)
{
	struct http_request	 r;
	uint8_t			*b;
	size_t			 n;

	/* Path: 1023 characters kept of 2000, and the target likewise. */
	b = build("GET /", 'p', 1999, " HTTP/1.1\r\nHost: a\r\n\r\n", &n);
	CHECK_EQ(parse(b, n, &r), HTTP_OK);
	CHECK_EQ(strlen(r.path), HTTP_PATH_MAX - 1);
	CHECK_EQ(strlen(r.target), HTTP_TARGET_MAX - 1);
	CHECK_EQ(r.truncated_fields, HTTP_TRUNC_PATH | HTTP_TRUNC_TARGET);
	CHECK_STR(r.host, "a");
	free(b);

	/* Escapes are never cut in half: "/" and 255 of "\x01" fill 1021. */
	b = build("GET /", 1, 400, " HTTP/1.1\r\n\r\n", &n);
	CHECK_EQ(parse(b, n, &r), HTTP_OK);
	CHECK_EQ(strlen(r.path), 1 + 255 * 4);
	CHECK(strncmp(r.path, "/\\x01\\x01", 9) == 0);
	CHECK(r.truncated_fields & HTTP_TRUNC_PATH);
	free(b);

	/* A path that just fits is not flagged. */
	b = build("GET /", 'p', HTTP_PATH_MAX - 2, " HTTP/1.1\r\n\r\n", &n);
	CHECK_EQ(parse(b, n, &r), HTTP_OK);
	CHECK_EQ(strlen(r.path), HTTP_PATH_MAX - 1);
	CHECK_EQ(r.truncated_fields, 0);
	free(b);

	b = build("GET / HTTP/1.1\r\nUser-Agent: ", 'u', 600, "\r\n\r\n", &n);
	CHECK_EQ(parse(b, n, &r), HTTP_OK);
	CHECK_EQ(strlen(r.user_agent), HTTP_UA_MAX - 1);
	CHECK_EQ(r.truncated_fields, HTTP_TRUNC_UA);
	free(b);

	b = build("GET / HTTP/1.1\r\nHost: ", 'h', 300, ":8080\r\n\r\n", &n);
	CHECK_EQ(parse(b, n, &r), HTTP_OK);
	CHECK_EQ(strlen(r.host), HTTP_HOST_MAX - 1);
	CHECK_EQ(r.port, 8080);
	CHECK_EQ(r.truncated_fields, HTTP_TRUNC_HOST);
	free(b);

	/* Backslashes double; the last one that does not fit goes whole. */
	b = build("GET / HTTP/1.1\r\nUser-Agent: x", '\\', 300, "\r\n\r\n",
	    &n);
	CHECK_EQ(parse(b, n, &r), HTTP_OK);
	CHECK_EQ(strlen(r.user_agent), 1 + 255 * 2);
	CHECK_EQ(r.truncated_fields, HTTP_TRUNC_UA);
	free(b);
}

static void
test_escaping(void)
{
	static const char	 req[] =
	    "GET /a\x00" "b\x01\x7f\xff\\c%20\xc3\xa9 HTTP/1.1\r\n"
	    "Host: EX\x00" "ample\xc3\x28.COM:81\r\n"
	    "User-Agent: Mozilla\x1b[31m\tX\xe2\x82 \"q\" \\\r\n\r\n";
	struct http_request	 r;

	CHECK_EQ(PARSE(req, &r), HTTP_OK);
	CHECK_STR(r.path, "/a\\x00b\\x01\\x7f\\xff\\\\c%20\\xc3\\xa9");
	CHECK_STR(r.host, "ex\\x00ample\\xc3(.com");
	CHECK_EQ(r.port, 81);
	CHECK_STR(r.user_agent,
	    "Mozilla\\x1b[31m\\x09X\\xe2\\x82 \"q\" \\\\");
	CHECK_EQ(r.flags, HTTP_F_HOST_INVALID);

	CHECK_EQ(PARSE("GET / HTTP/1.1\r\nHost: a b\r\n\r\n", &r), HTTP_OK);
	CHECK_STR(r.host, "a b");
	CHECK_EQ(r.flags, HTTP_F_HOST_INVALID);
	CHECK_EQ(PARSE("GET / HTTP/1.1\r\nHost: a_b-c~1.example\r\n\r\n",
	    &r), HTTP_OK);
	CHECK_EQ(r.flags, 0);
}

static void
test_duplicates_case(void)
{
	struct http_request	 r;

	CHECK_EQ(PARSE("GET / HTTP/1.1\r\nHost: a.example\r\n"
	    "User-Agent: one\r\nhost: b.example\r\nUser-Agent: two\r\n\r\n",
	    &r), HTTP_BAD);
	CHECK(r.flags & HTTP_F_DUP_HOST);
	CHECK_STR(r.host, "a.example");
	CHECK_STR(r.user_agent, "one");
	CHECK_EQ(PARSE("GET / HTTP/1.1\r\nHost: a.example\r\n"
	    "HOST: a.example\r\n\r\n", &r), HTTP_BAD);
	CHECK(r.flags & HTTP_F_DUP_HOST);
	CHECK_EQ(PARSE("GET / HTTP/1.1\r\nHost:\r\nHost: a\r\n\r\n", &r),
	    HTTP_BAD);

	/* A second User-Agent: the first is kept. */
	CHECK_EQ(PARSE("GET / HTTP/1.1\r\nUser-Agent:\r\n"
	    "User-Agent: two\r\n\r\n", &r), HTTP_OK);
	CHECK_STR(r.user_agent, "");
	CHECK_EQ(r.flags, HTTP_F_DUP_UA | HTTP_F_NO_HOST);

	CHECK_EQ(PARSE("GET / HTTP/1.1\r\nhOsT: A.Example\r\n"
	    "uSER-aGENT: Agent/1\r\n\r\n", &r), HTTP_OK);
	CHECK_STR(r.host, "a.example");
	CHECK_STR(r.user_agent, "Agent/1");
	CHECK_EQ(r.flags, 0);

	/* Names that only start like ours are other fields. */
	CHECK_EQ(PARSE("GET / HTTP/1.1\r\nHost-X: b\r\nX-Host: c\r\n"
	    "User-Agent-X: d\r\nHost: a\r\n\r\n", &r), HTTP_OK);
	CHECK_STR(r.host, "a");
	CHECK_STR(r.user_agent, "");
}

/* What tshark shows for each HTTP request in pcaps/site-demo.pcap. */
static const struct {
	const char	*method, *host, *uri, *ua;
} demo[] = {
	{ "POST", "10.20.0.5", "/api/v1/anpr/events", "ANPR-Cam/4.2.1" },
	{ "POST", "10.20.0.5", "/api/v1/anpr/events", "ANPR-Cam/4.2.1" },
	{ "GET", "fw.anpr-vendor.example", "/anpr/firmware/latest.json",
	    "ANPR-Cam/4.2.1 (iDS-TCM403)" },
	{ "POST", "10.20.0.5", "/api/v1/anpr/events", "ANPR-Cam/4.2.1" },
	{ "POST", "10.20.0.5", "/api/v1/anpr/events", "ANPR-Cam/4.2.1" },
	{ "POST", "10.20.0.5", "/api/v1/anpr/events", "ANPR-Cam/4.2.1" },
	{ "POST", "10.20.0.5", "/api/v1/anpr/events", "ANPR-Cam/4.2.1" },
	{ "POST", "10.20.0.5", "/api/v1/anpr/events", "ANPR-Cam/4.2.1" },
	{ "POST", "10.20.0.5", "/api/v1/anpr/events", "ANPR-Cam/4.2.1" },
	{ "POST", "10.20.0.5", "/api/v1/anpr/events", "ANPR-Cam/4.2.1" },
	{ "POST", "10.20.0.5", "/api/v1/anpr/events", "ANPR-Cam/4.2.1" },
	{ "POST", "10.20.0.5", "/api/v1/anpr/events", "ANPR-Cam/4.2.1" },
	{ "POST", "10.20.0.5", "/api/v1/anpr/events", "ANPR-Cam/4.2.1" },
	{ "POST", "10.20.0.5", "/api/v1/anpr/events", "ANPR-Cam/4.2.1" },
};

/*
 * Every client segment to port 80 in site-demo.pcap holds one whole
 * request; each parses to what tshark says, and no other first segment of
 * a TCP payload in the capture is taken for HTTP.
 */
static void
test_site_demo(void)
{
	char			 errbuf[PCAP_ERRBUF_SIZE], path[1024];
	const char		*top;
	struct pcap_pkthdr	*h;
	const uint8_t		*data;
	struct http_request	 r;
	struct decoder		*d;
	struct pkt		 p;
	pcap_t			*pc;
	size_t			 nreq = 0, nd = sizeof(demo) / sizeof(demo[0]);
	enum http_result	 res;

	if ((top = getenv("top_srcdir")) == NULL)
		top = ".";
	snprintf(path, sizeof(path), "%s/pcaps/site-demo.pcap", top);
	pc = pcap_open_offline(path, errbuf);
	CHECK(pc != NULL);
	if (pc == NULL) {
		fprintf(stderr, "%s\n", errbuf);
		return;
	}
	d = decode_new();
	while (pcap_next_ex(pc, &h, &data) == 1) {
		if (decode_packet(d, pcap_datalink(pc), data, h->caplen,
		    h->len, (int64_t)h->ts.tv_sec * 1000000 + h->ts.tv_usec,
		    &p) != DECODE_OK || p.proto != 6 ||
		    p.payload_len == 0)
			continue;
		res = parse(p.payload, p.payload_len, &r);
		if (p.dport != 80) {
			CHECK(res != HTTP_OK);
			continue;
		}
		CHECK_EQ(res, HTTP_OK);
		if (nreq < nd) {
			CHECK_STR(r.method, demo[nreq].method);
			CHECK_STR(r.host, demo[nreq].host);
			CHECK_STR(r.target, demo[nreq].uri);
			CHECK_STR(r.path, demo[nreq].uri);
			CHECK_STR(r.user_agent, demo[nreq].ua);
			CHECK_EQ(r.flags, 0);
		}
		nreq++;
	}
	CHECK_EQ(nreq, nd);
	decode_free(d);
	pcap_close(pc);
}

/* Wrap n bytes of der in a SEQUENCE (short or 0x81 length), in place. */
static size_t
der_seq(uint8_t *der, size_t n)
{
	size_t	h = n < 0x80 ? 2 : 3;

	memmove(der + h, der, n);
	der[0] = 0x30;
	if (h == 2)
		der[1] = (uint8_t)n;
	else {
		der[1] = 0x81;
		der[2] = (uint8_t)n;
	}
	return n + h;
}

/*
 * A DER OCSPRequest of one CertID (RFC 6960 4.1.1): SHA-1, the issuer's
 * name and key hashes, a serial of slen bytes.
 */
static size_t
ocsp_der(uint8_t *der, size_t slen)
{
	static const uint8_t	alg[] = { 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e,
	    0x03, 0x02, 0x1a, 0x05, 0x00 };
	size_t			n = 0, i;

	memcpy(der, alg, sizeof(alg));
	n = sizeof(alg);
	der[n++] = 0x04;
	der[n++] = 20;
	for (i = 0; i < 20; i++)
		der[n++] = (uint8_t)(0x11 * (i % 15));
	der[n++] = 0x04;
	der[n++] = 20;
	for (i = 0; i < 20; i++)
		der[n++] = (uint8_t)(0xfb - 7 * i);
	der[n++] = 0x02;
	der[n++] = (uint8_t)slen;
	for (i = 0; i < slen; i++)
		der[n++] = (uint8_t)(0x3f + 13 * i);
	n = der_seq(der, n);		/* CertID */
	n = der_seq(der, n);		/* Request */
	n = der_seq(der, n);		/* requestList */
	n = der_seq(der, n);		/* tbsRequest */
	return der_seq(der, n);		/* OCSPRequest */
}

/* Base64 (RFC 4648 4) of n bytes into out, URL-encoded when asked. */
static void
b64(const uint8_t *in, size_t n, char *out, int urlenc)
{
	static const char	d[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn"
	    "opqrstuvwxyz0123456789+/";
	char			c[4];
	size_t			i, k, o = 0;
	uint32_t		v;

	for (i = 0; i < n; i += 3) {
		v = (uint32_t)in[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)in[i + 1] << 8;
		if (i + 2 < n)
			v |= in[i + 2];
		c[0] = d[v >> 18 & 63];
		c[1] = d[v >> 12 & 63];
		c[2] = i + 1 < n ? d[v >> 6 & 63] : '=';
		c[3] = i + 2 < n ? d[v & 63] : '=';
		for (k = 0; k < 4; k++) {
			if (urlenc && (c[k] == '+' || c[k] == '/' ||
			    c[k] == '=')) {
				o += (size_t)sprintf(out + o, "%%%02X",
				    (unsigned)c[k]);
			} else
				out[o++] = c[k];
		}
	}
	out[o] = '\0';
}

/* The kind of certificate fetch a request line and head make. */
static enum http_pki
pki_of(const char *method, const char *path, const char *ctype)
{
	struct http_request	r;
	char			req[4096];
	int			n;

	n = snprintf(req, sizeof(req), "%s %s HTTP/1.1\r\nHost: ca.example\r\n"
	    "%s%s%s\r\n", method, path, ctype ? "Content-Type: " : "",
	    ctype ? ctype : "", ctype ? "\r\n" : "");
	if (n < 0 || (size_t)n >= sizeof(req) || parse(req, (size_t)n, &r) !=
	    HTTP_OK)
		return (enum http_pki)-1;
	return http_pki(&r);
}

/*
 * Certificate fetches (http_pki): OCSP POST by its media type, OCSP GET
 * by the base64 of a DER OCSPRequest at the end of its path (URL-encoded
 * or not, '/' in it or not), CRLs and issuers' certificates by the name
 * they end in; and what only looks like them.
 */
static void
test_pki(void)
{
	struct http_request	r;
	uint8_t			der[300];
	char			enc[700], path[800], big[HTTP_PATH_MAX + 64];
	size_t			n, i;
	int			slash = 0;

	CHECK_EQ(pki_of("POST", "/", "application/ocsp-request"),
	    HTTP_PKI_OCSP);
	CHECK_EQ(pki_of("POST", "/gts1c3", "Application/OCSP-Request; x=y"),
	    HTTP_PKI_OCSP);
	CHECK_EQ(pki_of("POST", "/", "application/ocsp-response"),
	    HTTP_PKI_NONE);
	CHECK_EQ(pki_of("POST", "/", "application/json"), HTTP_PKI_NONE);
	CHECK_EQ(pki_of("POST", "/", NULL), HTTP_PKI_NONE);
	CHECK_EQ(pki_of("PUT", "/", "application/ocsp-request"),
	    HTTP_PKI_NONE);
	CHECK_EQ(pki_of("GET", "/pki/crl/products/Root_2011.crl", NULL),
	    HTTP_PKI_CRL);
	CHECK_EQ(pki_of("GET", "/CRL/CDP.CRL", NULL), HTTP_PKI_CRL);
	CHECK_EQ(pki_of("GET", "/certs/Issuing-CA.crt", NULL), HTTP_PKI_CERT);
	CHECK_EQ(pki_of("GET", "/aia/ca.cer", NULL), HTTP_PKI_CERT);
	CHECK_EQ(pki_of("GET", "/aia/ca.p7c", NULL), HTTP_PKI_CERT);
	CHECK_EQ(pki_of("GET", "/crl.html", NULL), HTTP_PKI_NONE);
	CHECK_EQ(pki_of("GET", "/x.crl?x=1", NULL), HTTP_PKI_CRL);
	CHECK_EQ(pki_of("HEAD", "/x.crl", NULL), HTTP_PKI_NONE);
	CHECK_EQ(pki_of("GET", "/", NULL), HTTP_PKI_NONE);
	CHECK_EQ(pki_of("GET", "/beacon/MFEwTzBN", NULL), HTTP_PKI_NONE);

	/* OCSP GET: serials of 8 to 20 bytes, plain and URL-encoded */
	for (i = 8; i <= 20; i++) {
		n = ocsp_der(der, i);
		b64(der, n, enc, 0);
		slash += strchr(enc, '/') != NULL;
		snprintf(path, sizeof(path), "/VA/ROOT/%s", enc);
		CHECK_EQ(pki_of("GET", path, NULL), HTTP_PKI_OCSP);
		b64(der, n, enc, 1);
		snprintf(path, sizeof(path), "/%s", enc);
		CHECK_EQ(pki_of("GET", path, NULL), HTTP_PKI_OCSP);
		/* a length that says one byte more than there is */
		der[1]++;
		b64(der, n, enc, 0);
		snprintf(path, sizeof(path), "/ocsp/%s", enc);
		CHECK_EQ(pki_of("GET", path, NULL), HTTP_PKI_NONE);
		der[1]--;
		/* cut short, or a byte left over */
		b64(der, n - 3, enc, 0);
		snprintf(path, sizeof(path), "/ocsp/%s", enc);
		CHECK_EQ(pki_of("GET", path, NULL), HTTP_PKI_NONE);
		b64(der, n, enc, 0);
		snprintf(path, sizeof(path), "/ocsp/%sAAAA", enc);
		CHECK_EQ(pki_of("GET", path, NULL), HTTP_PKI_NONE);
		/* a bad escape, a byte no base64 has */
		snprintf(path, sizeof(path), "/ocsp/%s%%2", enc);
		CHECK_EQ(pki_of("GET", path, NULL), HTTP_PKI_NONE);
		snprintf(path, sizeof(path), "/ocsp/%s~", enc);
		CHECK_EQ(pki_of("GET", path, NULL), HTTP_PKI_NONE);
	}
	CHECK(slash > 0);	/* some base64 held a '/' of its own */

	/* a path cut at its limit is none, whatever it ends in */
	memset(big, 'a', sizeof(big));
	big[0] = '/';
	memcpy(big + sizeof(big) - 5, ".crl", 5);
	CHECK_EQ(pki_of("GET", big, NULL), HTTP_PKI_NONE);
	/* a long media type is cut, escaped and flagged */
	memset(big, 'a', sizeof(big));
	memcpy(big, "application/ocsp-request", 24);
	big[200] = '\0';
	CHECK_EQ(pki_of("POST", "/", big), HTTP_PKI_NONE);
	CHECK_EQ(PARSE("POST / HTTP/1.1\r\nContent-Type: \x01x/y\r\n\r\n", &r),
	    HTTP_OK);
	CHECK_STR(r.content_type, "\\x01x/y");
	CHECK_STR(http_pki_name(HTTP_PKI_OCSP), "ocsp");
	CHECK_STR(http_pki_name(HTTP_PKI_NONE), "none");
}

int
main(void)
{
	test_get();
	test_post();
	test_host_port();
	test_ipv6();
	test_absolute();
	test_connect_options();
	test_http10_no_host();
	test_split();
	test_not_http();
	test_version();
	test_line_ends();
	test_bad_fields();
	test_limits();
	test_truncation();
	test_escaping();
	test_duplicates_case();
	test_site_demo();
	test_pki();
	return test_done("test_http");
}
