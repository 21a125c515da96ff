/* pcapng.c: our own reader of pcapng files, every interface at once. */
#ifndef EGRESSD_PCAPNG_H
#define EGRESSD_PCAPNG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define PCAPNG_BLOCK_MAX	(16u * 1024 * 1024)	/* bytes, one block */
#define PCAPNG_IFACES_MAX	65536		/* interfaces in one section */
/* The latest time a packet may carry: 9999-12-31T23:59:59.999999Z, in us. */
#define PCAPNG_TS_MAX		253402300799999999LL

/* A packet as the file holds it; data lasts until the next call. */
struct pcapng_pkt {
	int		 dlt;		/* the interface's link type */
	uint32_t	 ifid;		/* interface in its section */
	const uint8_t	*data;
	size_t		 caplen;	/* bytes at data */
	size_t		 len;		/* length on the wire */
	int64_t		 ts;		/* microseconds since 1970 */
};

struct pcapng;

struct pcapng	*pcapng_open(FILE *, char *, size_t);
int		 pcapng_first_dlt(const struct pcapng *);
int		 pcapng_next(struct pcapng *, struct pcapng_pkt *, char *,
		    size_t);
void		 pcapng_close(struct pcapng *);

#endif
