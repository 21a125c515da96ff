/*
 * quicloop: what a client's QUIC Initial costs to read.  Every Initial
 * packet of a capture (coalesced ones too) is taken once, then, through
 * quic.c's API, in a loop: its keys derived from its DCID
 * (quic_initial_keys: HKDF-Extract and four HKDF-Expand-Label), and the
 * packet opened with them (quic_open: header protection with AES, the
 * payload with AES-128-GCM).  Each is timed alone, then both together,
 * which is what egressd spends on the first Initial of a flow.
 *
 * Initials that do not open (quic.pcap has one with a broken tag) are
 * left out.
 *
 * usage: quicloop [-n ROUNDS] capture
 * Prints "initials N rounds R keys_ns K open_ns O initial_ns I bytes B":
 * nanoseconds per Initial, and the plaintext bytes of one round.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "decode.h"
#include "quic.h"
#include "xmalloc.h"

#define QL_MAX		1024		/* Initials kept */

struct ql_initial {
	uint8_t			*pkt;	/* the packet's own bytes */
	struct quic_packet	 p;	/* its header, pointing into pkt */
	struct quic_keys	 k;
};

/* Print the synopsis and fail. */
static void
usage(void)
{
	fprintf(stderr, "usage: quicloop [-n rounds] capture\n");
	exit(2);
}

/* Nanoseconds of a monotonic clock. */
static int64_t
ql_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Keep the Initial packets of one UDP payload; returns the new count. */
static size_t
ql_datagram(struct ql_initial *in, size_t n, const uint8_t *d, size_t len)
{
	struct quic_packet	p;
	size_t			off = 0;

	while (off < len && n < QL_MAX) {
		if (quic_long_header(d + off, len - off, &p) == -1 ||
		    (p.version != QUIC_V1 && p.version != QUIC_V2))
			break;
		if (p.initial) {
			in[n].pkt = xmalloc(p.len);
			memcpy(in[n].pkt, d + off, p.len);
			if (quic_long_header(in[n].pkt, p.len, &in[n].p) == -1)
				break;
			n++;
		}
		off += p.len;
	}
	return n;
}

/* Read the Initials of a capture into in; returns how many. */
static size_t
ql_read(const char *path, struct ql_initial *in)
{
	char			 err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr	*h;
	const u_char		*data;
	struct decoder		*dec;
	struct pkt		 pk;
	pcap_t			*pc;
	size_t			 n = 0;
	int			 dlt;

	if ((pc = pcap_open_offline(path, err)) == NULL) {
		fprintf(stderr, "quicloop: %s: %s\n", path, err);
		exit(1);
	}
	dlt = pcap_datalink(pc);
	dec = decode_new();
	while (pcap_next_ex(pc, &h, &data) == 1) {
		if (decode_packet(dec, dlt, data, h->caplen, h->len, 0,
		    &pk) != DECODE_OK || pk.proto != 17 || pk.payload == NULL)
			continue;
		n = ql_datagram(in, n, pk.payload, pk.payload_len);
	}
	decode_free(dec);
	pcap_close(pc);
	return n;
}

/* Open every Initial once with its keys in; -1 if one does not open. */
static int
ql_open_all(struct ql_initial *in, size_t n, uint8_t *buf, uint64_t *bytes)
{
	uint64_t	pn;
	size_t		i, hdrlen, plainlen;

	for (i = 0; i < n; i++) {
		if (quic_open(&in[i].k, in[i].pkt, &in[i].p, 0, buf, &hdrlen,
		    &plainlen, &pn) == -1)
			return -1;
		*bytes += plainlen;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	static struct ql_initial in[QL_MAX];
	struct quic_keys	 k;
	uint8_t			*buf;
	uint64_t		 bytes = 0, sink = 0, pn;
	size_t			 n, i, kept, hdrlen, plainlen, maxlen = 0;
	int64_t			 t0, t1, t2, t3;
	long			 rounds = 2000, r;
	int			 c;

	while ((c = getopt(argc, argv, "n:")) != -1) {
		switch (c) {
		case 'n':
			rounds = strtol(optarg, NULL, 10);
			if (rounds < 1)
				usage();
			break;
		default:
			usage();
		}
	}
	if (optind + 1 != argc)
		usage();
	if ((n = ql_read(argv[optind], in)) == 0) {
		fprintf(stderr, "quicloop: no QUIC Initial in %s\n",
		    argv[optind]);
		return 1;
	}
	for (i = 0; i < n; i++)
		if (in[i].p.len > maxlen)
			maxlen = in[i].p.len;
	buf = xmalloc(maxlen);
	/* Only the Initials that open are timed (quic.pcap breaks one). */
	for (i = 0, kept = 0; i < n; i++) {
		if (quic_initial_keys(in[i].p.version, in[i].p.dcid,
		    in[i].p.dcidlen, &in[i].k) == -1 ||
		    quic_open(&in[i].k, in[i].pkt, &in[i].p, 0, buf, &hdrlen,
		    &plainlen, &pn) == -1) {
			free(in[i].pkt);
			continue;
		}
		in[kept++] = in[i];
	}
	if ((n = kept) == 0) {
		fprintf(stderr, "quicloop: no Initial opens\n");
		return 1;
	}
	(void)ql_open_all(in, n, buf, &bytes);

	t0 = ql_now();
	for (r = 0; r < rounds; r++)
		for (i = 0; i < n; i++)
			(void)quic_initial_keys(in[i].p.version, in[i].p.dcid,
			    in[i].p.dcidlen, &k);
	t1 = ql_now();
	for (r = 0; r < rounds; r++)
		(void)ql_open_all(in, n, buf, &sink);
	t2 = ql_now();
	for (r = 0; r < rounds; r++)
		for (i = 0; i < n; i++)
			if (quic_initial_keys(in[i].p.version, in[i].p.dcid,
			    in[i].p.dcidlen, &k) == -1 ||
			    quic_open(&k, in[i].pkt, &in[i].p, 0, buf, &hdrlen,
			    &plainlen, &pn) == -1) {
				fprintf(stderr, "quicloop: Initial %zu does "
				    "not open\n", i);
				return 1;
			}
	t3 = ql_now();

	printf("initials %zu rounds %ld keys_ns %.0f open_ns %.0f "
	    "initial_ns %.0f bytes %" PRIu64 "\n", n, rounds,
	    (double)(t1 - t0) / (double)(rounds * (long)n),
	    (double)(t2 - t1) / (double)(rounds * (long)n),
	    (double)(t3 - t2) / (double)(rounds * (long)n), bytes);
	for (i = 0; i < n; i++)
		free(in[i].pkt);
	free(buf);
	return 0;
}
