/*
 * quic.c: the client's QUIC Initial packets (RFC 9000 17.2.2, RFC 9001 5;
 * version 2, RFC 9369): their protection removed with the keys anyone
 * can derive from the Destination Connection ID, their CRYPTO frames
 * joined, and the TLS ClientHello in them parsed by tls.c.
 */
#ifndef EGRESSD_QUIC_H
#define EGRESSD_QUIC_H

#include <stddef.h>
#include <stdint.h>

#include "crypto.h"

#define QUIC_V1			0x00000001U
#define QUIC_V2			0x6b3343cfU
#define QUIC_CID_MAX		20	/* connection ID bytes (v1, v2) */
#define QUIC_CRYPTO_MAX		16384	/* CRYPTO bytes kept */

enum quic_status {
	QUIC_OK,		/* the ClientHello is whole and parsed */
	QUIC_MORE,		/* Initial CRYPTO data so far; send more */
	QUIC_NOT,		/* not a v1 or v2 long-header packet */
	QUIC_UNDECRYPTABLE,	/* an Initial that no Initial key opens */
	QUIC_BAD		/* malformed frames, or no ClientHello */
};

/* The client's Initial keys of one version and connection ID (RFC 9001 5.2). */
struct quic_keys {
	uint32_t	version;
	uint8_t		key[CRYPTO_AES128_KEY];	/* AES-128-GCM */
	uint8_t		iv[CRYPTO_GCM_IV];
	uint8_t		hp[CRYPTO_AES128_KEY];	/* header protection */
};

/*
 * A long-header packet at the start of a datagram's remaining bytes
 * (RFC 9000 17.2), as far as can be read before protection is removed.
 */
struct quic_packet {
	uint32_t	 version;
	int		 initial;	/* an Initial packet of v1 or v2 */
	const uint8_t	*dcid;
	size_t		 dcidlen;
	size_t		 pn_off;	/* Initial: the packet number's offset */
	size_t		 len;		/* bytes of this packet */
};

/*
 * The client's Initial CRYPTO stream of one flow (the caller allocates
 * it zeroed and frees it): bytes kept by offset with a bitmap of those
 * present, and the keys once a packet has opened with them.
 */
struct quic_stream {
	int		 have_keys;
	struct quic_keys keys;
	int		 have_pn;
	uint64_t	 largest_pn;
	unsigned	 datagrams;	/* given to quic_client_initial */
	unsigned	 packets;	/* Initial packets opened */
	size_t		 len;		/* bytes present from 0 on */
	uint8_t		 have[QUIC_CRYPTO_MAX / 8];
	uint8_t		 data[QUIC_CRYPTO_MAX];
};

struct tls_hello;

int	quic_initial_keys(uint32_t version, const uint8_t *dcid,
	    size_t dcidlen, struct quic_keys *);
int	quic_long_header(const uint8_t *, size_t, struct quic_packet *);
int	quic_open(const struct quic_keys *, const uint8_t *pkt,
	    const struct quic_packet *, uint64_t expected, uint8_t *buf,
	    size_t *hdrlen, size_t *plainlen, uint64_t *pn);
int	quic_client_initial(struct quic_stream *, const uint8_t *, size_t,
	    struct tls_hello *);

#endif
