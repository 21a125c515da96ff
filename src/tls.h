/*
 * tls.c: the TLS ClientHello (RFC 8446 4.1.2, RFC 5246 7.4.1.2) at the
 * start of a client stream, and the JA4 client fingerprint (FoxIO,
 * technical_details/JA4.md) made from it.
 */
#ifndef EGRESSD_TLS_H
#define EGRESSD_TLS_H

#include <stddef.h>
#include <stdint.h>

enum tls_hello_status {
	TLS_HELLO_OK,		/* a whole ClientHello, parsed */
	TLS_HELLO_MORE,		/* TLS so far; need holds a lower bound */
	TLS_HELLO_NOT,		/* not a TLS handshake from a client */
	TLS_HELLO_BAD		/* a handshake record, but malformed */
};

#define TLS_SNI_MAX		255	/* host_name bytes kept */
#define TLS_SNI_STRLEN		(TLS_SNI_MAX * 4 + 1)	/* escaped, NUL */
#define TLS_ALPN_MAX		8	/* protocol names kept */
#define TLS_ALPN_NAME_MAX	64	/* bytes kept of each */
#define TLS_ALPN_STRLEN		(TLS_ALPN_NAME_MAX * 4 + 1)
#define TLS_VERSIONS_MAX	16
#define TLS_CIPHERS_MAX		256
#define TLS_EXTS_MAX		128
#define TLS_SIGALGS_MAX		64

/* Things worth a counter; bits of tls_hello.notes. */
#define TLS_NOTE_FRAGMENTED	0x0001	/* the hello spanned records */
#define TLS_NOTE_SNI_EMPTY	0x0002	/* server_name without a name */
#define TLS_NOTE_SNI_CUT	0x0004	/* host_name over TLS_SNI_MAX */
#define TLS_NOTE_SNI_ESCAPED	0x0008	/* host_name had bytes escaped */
#define TLS_NOTE_ALPN_CUT	0x0010	/* names or name bytes dropped */
#define TLS_NOTE_ALPN_ESCAPED	0x0020	/* a name had bytes escaped */
#define TLS_NOTE_DUP_EXT	0x0040	/* an extension type repeated */
#define TLS_NOTE_LIST_CUT	0x0080	/* more values than kept */
#define TLS_NOTE_TRAILING	0x0100	/* bytes after the extensions */
#define TLS_NOTE_GREASE		0x0200	/* GREASE values offered */
#define TLS_NOTE_SSL2		0x0400	/* NOT: an SSL 2.0 ClientHello */

/*
 * What a ClientHello offers.  Strings are always NUL-terminated and
 * printable: bytes outside 0x21..0x7e are written \xHH and a backslash
 * \\.  Ciphers, extensions and signature algorithms are kept in wire
 * order without GREASE values, as JA4 counts them; the *_seen counts
 * go on past what the arrays keep.  The first of a repeated extension
 * is the one parsed.
 */
struct tls_hello {
	size_t		 need;		/* MORE: at least this many bytes */
	unsigned	 records;	/* records read */
	uint16_t	 record_version;
	uint16_t	 legacy_version;
	uint32_t	 notes;		/* TLS_NOTE_* */

	int		 sni_present;	/* server_name extension (0) */
	size_t		 sni_len;	/* host_name length on the wire */
	char		 sni[TLS_SNI_STRLEN];

	int		 alpn_present;	/* ALPN extension (16) */
	size_t		 nalpn;
	char		 alpn[TLS_ALPN_MAX][TLS_ALPN_STRLEN];
	char		 alpn_ja4[3];	/* JA4 letters of the first name */

	int		 versions_present; /* supported_versions (43) */
	size_t		 nversions;	/* as offered, GREASE included */
	uint16_t	 versions[TLS_VERSIONS_MAX];
	uint16_t	 version_max;	/* highest non-GREASE, 0 if none */

	size_t		 nciphers, ciphers_seen;
	uint16_t	 ciphers[TLS_CIPHERS_MAX];
	size_t		 nexts, exts_seen;
	uint16_t	 exts[TLS_EXTS_MAX];
	size_t		 nsigalgs, sigalgs_seen;
	uint16_t	 sigalgs[TLS_SIGALGS_MAX];
};

/*
 * Parse the ClientHello at the start of the client's bytes of a TCP
 * stream, handshake fragments joined across records.  On MORE, out->need
 * is a lower bound on the length buf must reach; on BAD, out holds what
 * was read before the fault.
 */
int	tls_client_hello(const uint8_t *buf, size_t len, struct tls_hello *out);

/*
 * The same for a bare handshake message, without the record layer (as
 * QUIC carries it in CRYPTO frames); records stays 0.
 */
int	tls_client_hello_msg(const uint8_t *buf, size_t len,
	    struct tls_hello *out);

#define TLS_JA4_LEN		37	/* "t13d1516h2_" + 12 + "_" + 12, NUL */
#define TLS_JA4_RAW_LEN		(11 + 1 + TLS_CIPHERS_MAX * 5 + 1 + \
				    TLS_EXTS_MAX * 5 + 1 + TLS_SIGALGS_MAX * 5 + 1)

#define TLS_JA4_ORIGINAL	0x01	/* ja4_o: wire order, SNI and ALPN kept */
#define TLS_JA4_RAW		0x02	/* ja4_r: the lists, not their hashes */

/*
 * The JA4 fingerprint of a parsed ClientHello; proto is 't' (TCP),
 * 'q' (QUIC) or 'd' (DTLS).  Returns -1 for another proto or a buffer
 * too small (TLS_JA4_LEN, or TLS_JA4_RAW_LEN with TLS_JA4_RAW).
 */
int	tls_ja4(const struct tls_hello *, char proto, int flags, char *out,
	    size_t outlen);

/* GREASE (RFC 8701): 0x0a0a, 0x1a1a, ... 0xfafa. */
int	tls_is_grease(uint16_t);

/* "TLSv1.3" and the like for a protocol version, NULL if unknown. */
const char	*tls_version_name(uint16_t);

#endif
