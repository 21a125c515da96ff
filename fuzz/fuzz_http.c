/*
 * libFuzzer target for the HTTP/1.x request parser: the input is the first
 * client bytes of a TCP stream.  It is parsed whole and as prefixes, the
 * way the caller's reassembly presents it segment by segment, each copied
 * to a buffer of exactly its length so AddressSanitizer sees any read past
 * it, with the result poisoned first so a field left unset shows.
 *
 * Invariants, besides the sanitizers:
 * - every stored string ends within its array and is printable ASCII with
 *   well-formed escapes: '\' only as "\\" or "\xhh";
 * - HTTP_OK only when the header section ends within the input: an empty
 *   line ends at header_len, and header_len <= min(len, HTTP_HEADERS_MAX);
 * - HTTP_MORE only while fewer than HTTP_HEADERS_MAX bytes are there;
 * - an answer other than HTTP_MORE for a prefix is the answer, with the
 *   very same fields, for the whole input;
 * - http_pki, on every parsed request, answers one of its kinds, and
 *   none for a request whose path was cut.
 */
#include "config.h"

#include "fuzz.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"

#define FH_ALL_PREFIXES	256	/* every prefix of inputs up to this */
#define FH_LINE_PREFIXES 64	/* prefixes that end at a line end */
#define FH_STRIDES	32	/* evenly spaced prefixes of longer inputs */

#define FH_FLAGS_ALL	(HTTP_F_BARE_LF | HTTP_F_NO_HOST | HTTP_F_DUP_HOST | \
	HTTP_F_HOST_MISMATCH | HTTP_F_HOST_INVALID | HTTP_F_USERINFO |	\
	HTTP_F_DUP_UA | HTTP_F_OBS_FOLD)
#define FH_TRUNC_ALL	(HTTP_TRUNC_HOST | HTTP_TRUNC_PATH |		\
	HTTP_TRUNC_TARGET | HTTP_TRUNC_UA | HTTP_TRUNC_CTYPE)



/* Is c a lower-case hex digit? */
static int
fh_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* Check one stored string: terminated, printable, escapes well-formed. */
static void
fh_string(const char *s, size_t size)
{
	size_t	 i;

	for (i = 0; i < size && s[i] != '\0'; i++) {
		FUZZ_ASSERT(s[i] >= 0x20 && s[i] <= 0x7e);
		if (s[i] != '\\')
			continue;
		FUZZ_ASSERT(i + 1 < size);
		if (s[i + 1] == '\\') {
			i++;
			continue;
		}
		FUZZ_ASSERT(i + 3 < size && s[i + 1] == 'x' &&
		    fh_hex(s[i + 2]) && fh_hex(s[i + 3]));
		i += 3;
	}
	FUZZ_ASSERT(i < size);
}

/* Parse the first n bytes from a copy of exactly n; check what holds alone. */
static enum http_result
fh_parse(const uint8_t *d, size_t n, struct http_request *r)
{
	enum http_result	 res;
	enum http_pki		 pki;
	uint8_t			*copy;

	if ((copy = malloc(n ? n : 1)) == NULL)
		abort();
	if (n > 0)
		memcpy(copy, d, n);
	memset(r, 0xa5, sizeof(*r));
	res = http_request_parse(copy, n, r);
	free(copy);

	FUZZ_ASSERT(res == HTTP_OK || res == HTTP_MORE || res == HTTP_NOT ||
	    res == HTTP_BAD);
	fh_string(r->method, sizeof(r->method));
	fh_string(r->host, sizeof(r->host));
	fh_string(r->path, sizeof(r->path));
	fh_string(r->target, sizeof(r->target));
	fh_string(r->user_agent, sizeof(r->user_agent));
	fh_string(r->content_type, sizeof(r->content_type));
	FUZZ_ASSERT((r->flags & ~FH_FLAGS_ALL) == 0);
	FUZZ_ASSERT((r->truncated_fields & ~FH_TRUNC_ALL) == 0);
	FUZZ_ASSERT(r->version_minor <= 9);
	FUZZ_ASSERT(r->form <= HTTP_FORM_ASTERISK);
	FUZZ_ASSERT(r->nfields <= HTTP_FIELDS_MAX + 1);
	if (res == HTTP_MORE)
		FUZZ_ASSERT(n < HTTP_HEADERS_MAX);
	if (res != HTTP_OK) {
		FUZZ_ASSERT(r->header_len == 0);
		return res;
	}
	FUZZ_ASSERT(r->header_len >= 2 && r->header_len <= n &&
	    r->header_len <= HTTP_HEADERS_MAX);
	FUZZ_ASSERT(d[r->header_len - 1] == '\n');
	FUZZ_ASSERT(d[r->header_len - 2] == '\n' || (r->header_len >= 3 &&
	    d[r->header_len - 2] == '\r' && d[r->header_len - 3] == '\n'));
	FUZZ_ASSERT(r->method[0] != '\0' && r->form != HTTP_FORM_NONE);
	FUZZ_ASSERT(r->nfields <= HTTP_FIELDS_MAX);
	pki = http_pki(r);
	FUZZ_ASSERT(pki >= HTTP_PKI_NONE && pki <= HTTP_PKI_CERT);
	if (r->truncated_fields & HTTP_TRUNC_PATH)
		FUZZ_ASSERT(pki == HTTP_PKI_NONE ||
		    strcmp(r->method, "POST") == 0);
	return res;
}

/* A decided answer for a prefix must be the answer for the whole. */
static void
fh_same(enum http_result a, const struct http_request *ra,
    enum http_result b, const struct http_request *rb)
{
	FUZZ_ASSERT(a == b);
	FUZZ_ASSERT(strcmp(ra->method, rb->method) == 0);
	FUZZ_ASSERT(strcmp(ra->host, rb->host) == 0);
	FUZZ_ASSERT(strcmp(ra->path, rb->path) == 0);
	FUZZ_ASSERT(strcmp(ra->target, rb->target) == 0);
	FUZZ_ASSERT(strcmp(ra->user_agent, rb->user_agent) == 0);
	FUZZ_ASSERT(strcmp(ra->content_type, rb->content_type) == 0);
	FUZZ_ASSERT(ra->port == rb->port);
	FUZZ_ASSERT(ra->version_minor == rb->version_minor);
	FUZZ_ASSERT(ra->form == rb->form);
	FUZZ_ASSERT(ra->truncated_fields == rb->truncated_fields);
	FUZZ_ASSERT(ra->flags == rb->flags);
	FUZZ_ASSERT(ra->nfields == rb->nfields);
	FUZZ_ASSERT(ra->header_len == rb->header_len);
}

/* Parse one prefix and hold it against the whole input's answer. */
static void
fh_prefix(const uint8_t *d, size_t i, enum http_result whole,
    const struct http_request *rw)
{
	struct http_request	 r;
	enum http_result	 res;

	if ((res = fh_parse(d, i, &r)) != HTTP_MORE)
		fh_same(res, &r, whole, rw);
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct http_request		 rw;
	enum http_result		 whole;
	size_t				 i, k, step;

	whole = fh_parse(d, n, &rw);
	if (n <= FH_ALL_PREFIXES) {
		for (i = 0; i < n; i++)
			fh_prefix(d, i, whole, &rw);
		return 0;
	}
	for (i = 0; i <= FH_ALL_PREFIXES; i++)
		fh_prefix(d, i, whole, &rw);
	for (i = FH_ALL_PREFIXES, k = 0; i < n && k < FH_LINE_PREFIXES; i++) {
		if (d[i] == '\n' || d[i] == '\r') {
			fh_prefix(d, i, whole, &rw);
			fh_prefix(d, i + 1, whole, &rw);
			k++;
		}
	}
	step = n / FH_STRIDES;
	for (i = FH_ALL_PREFIXES + step; i < n; i += step)
		fh_prefix(d, i, whole, &rw);
	return 0;
}
