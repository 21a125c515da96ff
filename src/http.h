/* http.c: the first HTTP/1.x request of a TCP stream (RFC 9110, RFC 9112). */
#ifndef EGRESSD_HTTP_H
#define EGRESSD_HTTP_H

#include <stddef.h>
#include <stdint.h>

/*
 * Sizes of the stored strings, NUL included.  Every stored string is
 * escaped: printable ASCII 0x20..0x7e is kept, except '\' which becomes
 * "\\"; every other byte (controls, DEL, NUL, 0x80..0xff, so also invalid
 * UTF-8) becomes "\xhh" (lower-case hex).  Stored strings are therefore
 * plain ASCII, safe for JSON, syslog, CEF and SQL.  A value whose escaped
 * form does not fit is cut at a whole escape and flagged in
 * truncated_fields.
 */
#define HTTP_METHOD_MAX		32	/* a longer method is not HTTP */
#define HTTP_HOST_MAX		256
#define HTTP_PATH_MAX		1024
#define HTTP_TARGET_MAX		1024
#define HTTP_UA_MAX		512
#define HTTP_CTYPE_MAX		128	/* the media type of Content-Type */

#define HTTP_HEADERS_MAX	16384	/* request line to empty line, inclusive */
#define HTTP_FIELDS_MAX		100	/* header field lines */

enum http_result {
	HTTP_OK,	/* request line and header section parsed */
	HTTP_MORE,	/* an HTTP/1.x request so far: need more bytes */
	HTTP_NOT,	/* not an HTTP/1.x request */
	HTTP_BAD,	/* HTTP/1.x, but malformed or over a limit */
};

/* The form of the request-target (RFC 9112 section 3.2). */
enum http_form {
	HTTP_FORM_NONE,
	HTTP_FORM_ORIGIN,	/* /path?query */
	HTTP_FORM_ABSOLUTE,	/* http://host:port/path?query */
	HTTP_FORM_AUTHORITY,	/* host:port, for CONNECT */
	HTTP_FORM_ASTERISK,	/* *, for OPTIONS */
};

/* truncated_fields: which stored strings were cut. */
#define HTTP_TRUNC_HOST		0x01
#define HTTP_TRUNC_PATH		0x02
#define HTTP_TRUNC_TARGET	0x04
#define HTTP_TRUNC_UA		0x08
#define HTTP_TRUNC_CTYPE	0x10

/* flags: what was unusual about the request. */
#define HTTP_F_BARE_LF		0x0001	/* a line ended in LF without CR */
#define HTTP_F_NO_HOST		0x0002	/* no Host header field */
#define HTTP_F_DUP_HOST		0x0004	/* a second Host field (HTTP_BAD) */
#define HTTP_F_HOST_MISMATCH	0x0008	/* Host differs from the target's */
#define HTTP_F_HOST_INVALID	0x0010	/* host has bytes no URI host has */
#define HTTP_F_USERINFO		0x0020	/* absolute-form URI with user@ */
#define HTTP_F_DUP_UA		0x0040	/* a second User-Agent (first kept) */
#define HTTP_F_OBS_FOLD		0x0080	/* folded or indented line (HTTP_BAD) */

/*
 * One parsed request.  After any result every string is NUL-terminated and
 * escaped; after HTTP_MORE, HTTP_NOT or HTTP_BAD it holds what was parsed
 * before the parser stopped.
 */
struct http_request {
	char		 method[HTTP_METHOD_MAX];
	char		 host[HTTP_HOST_MAX];	/* url.domain, lower case */
	char		 path[HTTP_PATH_MAX];	/* url.path: no query */
	char		 target[HTTP_TARGET_MAX]; /* the request-target */
	char		 user_agent[HTTP_UA_MAX]; /* user_agent.original */
	char		 content_type[HTTP_CTYPE_MAX];	/* the media type,
							   lower case */
	uint16_t	 port;		/* from the host, 0 if none given */
	uint8_t		 version_minor;	/* HTTP/1.x */
	uint8_t		 form;		/* enum http_form */
	unsigned int	 truncated_fields;	/* HTTP_TRUNC_* */
	unsigned int	 flags;		/* HTTP_F_* */
	unsigned int	 nfields;	/* header field lines */
	size_t		 header_len;	/* bytes up to the body (HTTP_OK) */
};

/*
 * What a request fetches for a certificate's checking (http_pki): not a
 * call of the application's own but its TLS or code-signing stack's.
 */
enum http_pki {
	HTTP_PKI_NONE,
	HTTP_PKI_OCSP,		/* an OCSP request (RFC 6960) */
	HTTP_PKI_CRL,		/* a CRL (RFC 5280 CRL distribution point) */
	HTTP_PKI_CERT		/* an issuer's certificate (caIssuers) */
};

enum http_result http_request_parse(const uint8_t *, size_t,
		    struct http_request *);
enum http_pki	 http_pki(const struct http_request *);
const char	*http_pki_name(enum http_pki);
const char	*http_result_name(enum http_result);

#endif
