/*
 * A pcapng reader (the IETF draft "PCAP Now Generic"), ours because
 * libpcap's takes a file only while all its interfaces share one link type
 * and one snapshot length: a capture made on a SPAN port and a tunnel at
 * once, or by dumpcap on two ports with different limits, is refused after
 * its first interface.  Here every interface keeps its own link type, time
 * stamp resolution and offset, and each packet is handed on with its own.
 *
 * Every block is read whole (its length checked against the trailing copy
 * and PCAPNG_BLOCK_MAX) into the end of one buffer, and its body parsed
 * through the bounds-checked cursor in the section's byte order, which
 * each Section Header Block sets anew.  Enhanced, Simple and the obsolete Packet blocks
 * carry packets; Interface Description blocks are kept; the rest (name
 * resolution, statistics, custom, anything newer) are skipped whole.
 * A file that ends inside a block is reported, with what came before it
 * kept by the caller.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "pbuf.h"
#include "pcapng.h"
#include "xmalloc.h"

#define NG_SHB		0x0a0d0d0aU	/* Section Header Block */
#define NG_IDB		1U		/* Interface Description Block */
#define NG_OPB		2U		/* Packet Block (obsolete) */
#define NG_SPB		3U		/* Simple Packet Block */
#define NG_EPB		6U		/* Enhanced Packet Block */

#define NG_OPT_END	0
#define NG_IF_TSRESOL	9
#define NG_IF_TSOFFSET	14

#define NG_BUF_MIN	(64 * 1024)

/* An interface of the current section. */
struct ng_if {
	int		dlt;
	uint32_t	snaplen;	/* 0: none */
	uint8_t		binary;		/* resolution 2^-exp, else 10^-exp */
	uint8_t		exp;
	int64_t		offset;		/* seconds added to every time stamp */
};

struct pcapng {
	FILE		*fp;
	uint8_t		*buf;
	size_t		 bufsize;
	uint8_t		*blk;		/* the block being read: the end of buf */
	int		 be;		/* the section is big-endian */
	int		 pending;	/* buf holds a packet block not yet given */
	uint32_t	 type;		/* of the block in buf */
	struct pbuf	 body;		/* its body, in buf */
	struct ng_if	*ifs;
	size_t		 nif, aif;
	int		 first_dlt;	/* of the file's first interface, or -1 */
	int64_t		 last_ts;	/* for Simple Packet Blocks */
};

/* Little- or big-endian, as the section is. */
static uint32_t
ng_u32(const struct pcapng *r, const uint8_t *p)
{
	if (r->be)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		    (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[1] << 8 | p[0];
}

static int
ng_get16(const struct pcapng *r, struct pbuf *b, uint16_t *v)
{
	return r->be ? pbuf_get_u16(b, v) : pbuf_get_u16le(b, v);
}

static int
ng_get32(const struct pcapng *r, struct pbuf *b, uint32_t *v)
{
	return r->be ? pbuf_get_u32(b, v) : pbuf_get_u32le(b, v);
}

/* A 64-bit value stored as two 32-bit halves, high first (time stamps). */
static int
ng_get_hilo(const struct pcapng *r, struct pbuf *b, uint64_t *v)
{
	uint32_t	hi, lo;

	if (ng_get32(r, b, &hi) == -1 || ng_get32(r, b, &lo) == -1)
		return -1;
	*v = (uint64_t)hi << 32 | lo;
	return 0;
}

/* A 64-bit value in the section's byte order (if_tsoffset). */
static int
ng_get64(const struct pcapng *r, struct pbuf *b, uint64_t *v)
{
	uint32_t	a, c;

	if (ng_get32(r, b, &a) == -1 || ng_get32(r, b, &c) == -1)
		return -1;
	*v = r->be ? (uint64_t)a << 32 | c : (uint64_t)c << 32 | a;
	return 0;
}

/* A block header cut short: a read error, or the file ends. */
static int
ng_cut_header(struct pcapng *r, size_t got, char *err, size_t errlen)
{
	if (ferror(r->fp))
		snprintf(err, errlen, "%s", strerror(errno));
	else
		snprintf(err, errlen, "truncated pcapng file; a block header "
		    "ends after %zu bytes", got);
	return -1;
}

/*
 * Read a block's header into hdr: its type and length, and for a section
 * header its byte-order magic, which sets the byte order of everything
 * after it.  *have says how many bytes were read (8 or 12).  1, 0 at the
 * end of the file (between blocks), -1 with a message.
 */
static int
ng_read_header(struct pcapng *r, uint8_t hdr[12], size_t *have,
    uint32_t *type, char *err, size_t errlen)
{
	size_t	got;
	int	shb;

	got = fread(hdr, 1, 8, r->fp);
	if (got == 0 && !ferror(r->fp))
		return 0;
	/* as much of the section header's type as was read */
	shb = memcmp(hdr, "\x0a\x0d\x0d\x0a", got < 4 ? got : 4) == 0;
	if (r->first_dlt == -2 && !shb && !ferror(r->fp)) {
		snprintf(err, errlen, "unknown file format: not pcap, and "
		    "not pcapng (no section header first)");
		return -1;
	}
	if (got < 8)
		return ng_cut_header(r, got, err, errlen);
	*have = 8;
	*type = ng_u32(r, hdr);
	if (!shb)
		return 1;
	*type = NG_SHB;
	if ((got = fread(hdr + 8, 1, 4, r->fp)) < 4)
		return ng_cut_header(r, got + 8, err, errlen);
	*have = 12;
	if (hdr[8] == 0x1a && hdr[9] == 0x2b && hdr[10] == 0x3c &&
	    hdr[11] == 0x4d)
		r->be = 1;
	else if (hdr[8] == 0x4d && hdr[9] == 0x3c && hdr[10] == 0x2b &&
	    hdr[11] == 0x1a)
		r->be = 0;
	else {
		snprintf(err, errlen, "pcapng section header with a bad "
		    "byte-order magic %02x%02x%02x%02x", hdr[8], hdr[9],
		    hdr[10], hdr[11]);
		return -1;
	}
	return 1;
}

/*
 * Read the next block into buf: 1, 0 at the end of the file (between
 * blocks), -1 with a message.
 */
static int
ng_read_block(struct pcapng *r, char *err, size_t errlen)
{
	uint8_t		 hdr[12];
	uint32_t	 type, len, trail;
	size_t		 got, have, need;
	int		 rv;

	if ((rv = ng_read_header(r, hdr, &have, &type, err, errlen)) != 1)
		return rv;
	len = ng_u32(r, hdr + 4);
	if (len < (type == NG_SHB ? 28U : 12U) || len % 4 != 0 ||
	    len > PCAPNG_BLOCK_MAX) {
		snprintf(err, errlen, "pcapng block of type 0x%08" PRIx32
		    " with a bad length %" PRIu32, type, len);
		return -1;
	}
	if (len > r->bufsize) {		/* nothing in it to keep */
		free(r->buf);
		r->bufsize = len;
		r->buf = xmalloc(r->bufsize);
	}
	/*
	 * The block goes at the very end of the buffer, so that a read past
	 * it is a read past the allocation, which AddressSanitizer sees.
	 */
	r->blk = r->buf + r->bufsize - len;
	memcpy(r->blk, hdr, have);
	need = len - have;
	got = fread(r->blk + have, 1, need, r->fp);
	if (got < need && ferror(r->fp)) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	if (got < need) {
		snprintf(err, errlen, "truncated pcapng file; a block of %"
		    PRIu32 " bytes ends after %zu", len, have + got);
		return -1;
	}
	trail = ng_u32(r, r->blk + len - 4);
	if (trail != len) {
		snprintf(err, errlen, "pcapng block of %" PRIu32 " bytes ends "
		    "with a length of %" PRIu32, len, trail);
		return -1;
	}
	r->type = type;
	pbuf_init(&r->body, r->blk + 8, len - 12);
	return 1;
}

/* A Section Header Block: a new section, no interfaces yet. */
static int
ng_section(struct pcapng *r, char *err, size_t errlen)
{
	struct pbuf	b = r->body;
	uint16_t	major, minor;

	if (pbuf_skip(&b, 4) == -1 || ng_get16(r, &b, &major) == -1 ||
	    ng_get16(r, &b, &minor) == -1)
		return -1;	/* not reached: the length was checked */
	if (major != 1) {
		snprintf(err, errlen, "pcapng version %u.%u is not supported",
		    major, minor);
		return -1;
	}
	r->nif = 0;
	if (r->first_dlt == -2)
		r->first_dlt = -1;
	return 0;
}

/* An Interface Description Block: its link type, resolution and offset. */
static int
ng_interface(struct pcapng *r, char *err, size_t errlen)
{
	struct pbuf	 b = r->body, v;
	struct ng_if	 i;
	uint16_t	 linktype, reserved, code, olen;
	uint8_t		 res;
	uint64_t	 off;

	memset(&i, 0, sizeof(i));
	i.exp = 6;
	if (ng_get16(r, &b, &linktype) == -1 ||
	    ng_get16(r, &b, &reserved) == -1 ||
	    ng_get32(r, &b, &i.snaplen) == -1) {
		snprintf(err, errlen, "pcapng interface block too short");
		return -1;
	}
	i.dlt = linktype;
	while (ng_get16(r, &b, &code) == 0 && ng_get16(r, &b, &olen) == 0 &&
	    code != NG_OPT_END) {
		if (pbuf_sub(&b, olen, &v) == -1) {
			snprintf(err, errlen, "pcapng interface %zu: option %u "
			    "runs past its block", r->nif, code);
			return -1;
		}
		(void)pbuf_skip(&b, (4 - olen % 4) % 4);
		if (code == NG_IF_TSRESOL && pbuf_get_u8(&v, &res) == 0) {
			i.binary = (res & 0x80) != 0;
			i.exp = res & 0x7f;
			if (i.exp > (i.binary ? 63 : 18)) {
				snprintf(err, errlen, "pcapng interface %zu: "
				    "time stamp resolution %s%u is not "
				    "supported", r->nif, i.binary ? "2^-" :
				    "10^-", i.exp);
				return -1;
			}
		} else if (code == NG_IF_TSOFFSET && ng_get64(r, &v, &off) == 0)
			i.offset = (int64_t)off;
	}
	if (r->nif == PCAPNG_IFACES_MAX) {
		snprintf(err, errlen, "more than %d pcapng interfaces in a "
		    "section", PCAPNG_IFACES_MAX);
		return -1;
	}
	if (r->nif == r->aif) {
		r->aif = r->aif ? r->aif * 2 : 4;
		r->ifs = xreallocarray(r->ifs, r->aif, sizeof(*r->ifs));
	}
	r->ifs[r->nif++] = i;
	if (r->first_dlt < 0)
		r->first_dlt = i.dlt;
	return 0;
}

/*
 * A time stamp in the interface's units as microseconds since 1970,
 * rounded down, held within 0 .. PCAPNG_TS_MAX: a 64-bit count of seconds
 * (if_tsresol 10^0) or a huge if_tsoffset must leave room for the flow
 * table's deadlines (the time plus a timeout of up to a week).
 */
static int64_t
ng_time(const struct ng_if *i, uint64_t t)
{
	static const uint64_t	pow10[19] = { 1ULL, 10ULL, 100ULL, 1000ULL,
	    10000ULL, 100000ULL, 1000000ULL, 10000000ULL, 100000000ULL,
	    1000000000ULL, 10000000000ULL, 100000000000ULL,
	    1000000000000ULL, 10000000000000ULL, 100000000000000ULL,
	    1000000000000000ULL, 10000000000000000ULL,
	    100000000000000000ULL, 1000000000000000000ULL };
#ifdef __SIZEOF_INT128__
	__int128		v;

	if (i->binary)
		v = (__int128)(((unsigned __int128)t * 1000000U) >> i->exp);
	else if (i->exp <= 6)
		v = (__int128)t * (__int128)pow10[6 - i->exp];
	else
		v = (__int128)(t / pow10[i->exp - 6]);
	v += (__int128)i->offset * 1000000;
	if (v < 0)
		return 0;
	if (v > PCAPNG_TS_MAX)
		return PCAPNG_TS_MAX;
	return (int64_t)v;
#else
	long double		us;

	if (i->binary)
		us = (long double)t * 1e6L / (long double)(1ULL << i->exp);
	else
		us = (long double)t * 1e6L / (long double)pow10[i->exp];
	us += (long double)i->offset * 1e6L;
	if (us < 0)
		return 0;
	if (us >= (long double)PCAPNG_TS_MAX)
		return PCAPNG_TS_MAX;
	return (int64_t)us;
#endif
}

/* The interface a packet names, or NULL with a message. */
static const struct ng_if *
ng_iface(const struct pcapng *r, uint32_t id, char *err, size_t errlen)
{
	if (id < r->nif)
		return &r->ifs[id];
	snprintf(err, errlen, "pcapng packet of interface %" PRIu32 ", which "
	    "its section does not describe", id);
	return NULL;
}

/* The packet in an EPB, SPB or PB body: 1, or -1 with a message. */
static int
ng_packet(struct pcapng *r, struct pcapng_pkt *p, char *err, size_t errlen)
{
	struct pbuf		 b = r->body;
	const struct ng_if	*i;
	uint32_t		 id = 0, caplen, len;
	uint16_t		 id16, drops;
	uint64_t		 t = 0;

	switch (r->type) {
	case NG_EPB:
		if (ng_get32(r, &b, &id) == -1 || ng_get_hilo(r, &b, &t) ==
		    -1 || ng_get32(r, &b, &caplen) == -1 ||
		    ng_get32(r, &b, &len) == -1)
			goto short_block;
		break;
	case NG_OPB:
		if (ng_get16(r, &b, &id16) == -1 ||
		    ng_get16(r, &b, &drops) == -1 ||
		    ng_get_hilo(r, &b, &t) == -1 ||
		    ng_get32(r, &b, &caplen) == -1 ||
		    ng_get32(r, &b, &len) == -1)
			goto short_block;
		id = id16;
		break;
	default:	/* NG_SPB: interface 0, no time stamp */
		if (ng_get32(r, &b, &len) == -1)
			goto short_block;
		caplen = len;
		if (b.len < caplen)
			caplen = (uint32_t)b.len;
		if (r->nif > 0 && r->ifs[0].snaplen != 0 &&
		    caplen > r->ifs[0].snaplen)
			caplen = r->ifs[0].snaplen;
		break;
	}
	if ((i = ng_iface(r, id, err, errlen)) == NULL)
		return -1;
	if (caplen > b.len) {
		snprintf(err, errlen, "pcapng packet of %" PRIu32 " captured "
		    "bytes in a block that holds %zu", caplen, b.len);
		return -1;
	}
	p->dlt = i->dlt;
	p->ifid = id;
	p->data = b.p;
	p->caplen = caplen;
	p->len = len > caplen ? len : caplen;
	if (r->type != NG_SPB)
		r->last_ts = ng_time(i, t);
	p->ts = r->last_ts;
	return 1;

short_block:
	snprintf(err, errlen, "pcapng packet block too short");
	return -1;
}

/* Act on the block in buf: 1 it is a packet, 0 it is not, -1 an error. */
static int
ng_take(struct pcapng *r, char *err, size_t errlen)
{
	switch (r->type) {
	case NG_SHB:
		return ng_section(r, err, errlen);
	case NG_IDB:
		return ng_interface(r, err, errlen);
	case NG_EPB:
	case NG_SPB:
	case NG_OPB:
		return 1;
	default:
		return 0;
	}
}

/*
 * Begin reading a pcapng file at the start of fp, through its first
 * interface (so its link type is known) or its first packet; NULL with a
 * message in err.  fp stays the caller's.
 */
struct pcapng *
pcapng_open(FILE *fp, char *err, size_t errlen)
{
	struct pcapng	*r;
	int		 rc;

	r = xcalloc(1, sizeof(*r));
	r->fp = fp;
	r->bufsize = NG_BUF_MIN;
	r->buf = xmalloc(r->bufsize);
	r->first_dlt = -2;		/* no section yet */
	while (r->first_dlt < 0) {
		if ((rc = ng_read_block(r, err, errlen)) == 0)
			break;
		if (rc == -1 || (rc = ng_take(r, err, errlen)) == -1) {
			pcapng_close(r);
			return NULL;
		}
		if (rc == 1) {
			r->pending = 1;
			break;
		}
	}
	if (r->first_dlt == -2) {
		snprintf(err, errlen, "empty pcapng file");
		pcapng_close(r);
		return NULL;
	}
	return r;
}

/* The link type of the file's first interface; -1 if it has none. */
int
pcapng_first_dlt(const struct pcapng *r)
{
	return r->first_dlt;
}

/* The next packet: 1, 0 at the end of the file, -1 with a message. */
int
pcapng_next(struct pcapng *r, struct pcapng_pkt *p, char *err, size_t errlen)
{
	int	rc;

	for (;;) {
		if (r->pending)
			r->pending = 0;
		else if ((rc = ng_read_block(r, err, errlen)) != 1)
			return rc;
		if ((rc = ng_take(r, err, errlen)) == -1)
			return -1;
		if (rc == 1)
			return ng_packet(r, p, err, errlen);
	}
}

/* Free the reader (not its FILE). */
void
pcapng_close(struct pcapng *r)
{
	if (r == NULL)
		return;
	free(r->ifs);
	free(r->buf);
	free(r);
}
