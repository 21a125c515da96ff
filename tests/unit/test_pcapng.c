/*
 * Unit tests for pcapng.c from hand-made files: both byte orders, several
 * interfaces of different link types and time stamp resolutions, the
 * three packet blocks, blocks to skip, a second section, and broken files
 * (cut at every byte, bad lengths, unknown versions, packets of
 * interfaces never described).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcapng.h"
#include "test.h"

/* A file being written, in one byte order. */
struct w {
	uint8_t	b[4096];
	size_t	len;
	int	be;
	size_t	start;		/* of the open block */
};

static void
put8(struct w *w, uint8_t v)
{
	w->b[w->len++] = v;
}

static void
put16(struct w *w, uint16_t v)
{
	if (w->be) {
		put8(w, (uint8_t)(v >> 8));
		put8(w, (uint8_t)v);
	} else {
		put8(w, (uint8_t)v);
		put8(w, (uint8_t)(v >> 8));
	}
}

static void
put32(struct w *w, uint32_t v)
{
	if (w->be) {
		put16(w, (uint16_t)(v >> 16));
		put16(w, (uint16_t)v);
	} else {
		put16(w, (uint16_t)v);
		put16(w, (uint16_t)(v >> 16));
	}
}

static void
put64(struct w *w, uint64_t v)
{
	if (w->be) {
		put32(w, (uint32_t)(v >> 32));
		put32(w, (uint32_t)v);
	} else {
		put32(w, (uint32_t)v);
		put32(w, (uint32_t)(v >> 32));
	}
}

static void
pad4(struct w *w)
{
	while (w->len % 4 != 0)
		put8(w, 0);
}

/* Open a block: its type and a length filled in by end(). */
static void
begin(struct w *w, uint32_t type)
{
	w->start = w->len;
	put32(w, type);
	put32(w, 0);
}

static void
end(struct w *w)
{
	uint32_t	len = (uint32_t)(w->len - w->start + 4);
	size_t		save = w->len;

	w->len = w->start + 4;
	put32(w, len);
	w->len = save;
	put32(w, len);
}

static void
shb(struct w *w, int be, uint16_t major)
{
	w->be = be;
	begin(w, 0x0a0d0d0a);
	put32(w, 0x1a2b3c4d);
	put16(w, major);
	put16(w, 0);
	put64(w, UINT64_MAX);		/* section length: not given */
	end(w);
}

/* An IDB; tsresol 0xff: none given; offset 0: none given. */
static void
idb(struct w *w, uint16_t linktype, uint32_t snaplen, int tsresol,
    int64_t offset)
{
	begin(w, 1);
	put16(w, linktype);
	put16(w, 0);
	put32(w, snaplen);
	put16(w, 2);			/* if_name, to be skipped */
	put16(w, 3);
	put8(w, 'e');
	put8(w, 't');
	put8(w, 'h');
	pad4(w);
	if (tsresol != 0xff) {
		put16(w, 9);
		put16(w, 1);
		put8(w, (uint8_t)tsresol);
		pad4(w);
	}
	if (offset != 0) {
		put16(w, 14);
		put16(w, 8);
		put64(w, (uint64_t)offset);
	}
	put16(w, 0);
	put16(w, 0);
	end(w);
}

static void
data(struct w *w, const char *d, size_t n)
{
	memcpy(w->b + w->len, d, n);
	w->len += n;
	pad4(w);
}

static void
epb(struct w *w, uint32_t ifid, uint64_t ts, const char *d, uint32_t caplen,
    uint32_t len)
{
	begin(w, 6);
	put32(w, ifid);
	put32(w, (uint32_t)(ts >> 32));
	put32(w, (uint32_t)ts);
	put32(w, caplen);
	put32(w, len);
	data(w, d, caplen);
	end(w);
}

static void
spb(struct w *w, const char *d, uint32_t len)
{
	begin(w, 3);
	put32(w, len);
	data(w, d, len);
	end(w);
}

static void
opb(struct w *w, uint16_t ifid, uint64_t ts, const char *d, uint32_t len)
{
	begin(w, 2);
	put16(w, ifid);
	put16(w, 0);
	put32(w, (uint32_t)(ts >> 32));
	put32(w, (uint32_t)ts);
	put32(w, len);
	put32(w, len);
	data(w, d, len);
	end(w);
}

/* A block nobody here knows: skipped whole. */
static void
other(struct w *w, uint32_t type)
{
	begin(w, type);
	put32(w, 0xdeadbeef);
	end(w);
}

/* Everything a file gave: its packets, its end or its error. */
struct got {
	int			open;		/* pcapng_open succeeded */
	int			first_dlt;
	int			n;
	struct pcapng_pkt	p[16];
	char			d[16][32];
	int			rc;		/* of the last pcapng_next */
	char			err[256];
};

static void
readall(const uint8_t *b, size_t len, struct got *g)
{
	struct pcapng	*r;
	FILE		*fp;
	struct pcapng_pkt p;

	memset(g, 0, sizeof(*g));
	fp = fmemopen((void *)(uintptr_t)b, len, "rb");
	if (fp == NULL)
		abort();
	if ((r = pcapng_open(fp, g->err, sizeof(g->err))) == NULL) {
		g->rc = -1;
		fclose(fp);
		return;
	}
	g->open = 1;
	g->first_dlt = pcapng_first_dlt(r);
	while ((g->rc = pcapng_next(r, &p, g->err, sizeof(g->err))) == 1) {
		if (g->n < 16) {
			g->p[g->n] = p;
			memcpy(g->d[g->n], p.data, p.caplen < 32 ? p.caplen :
			    32);
		}
		g->n++;
	}
	pcapng_close(r);
	fclose(fp);
}

/* One section in each byte order: every block kind, every resolution. */
static size_t
sample(struct w *w, int be)
{
	memset(w, 0, sizeof(*w));
	shb(w, be, 1);
	other(w, 4);				/* name resolution */
	idb(w, 1, 0, 9, 0);			/* Ethernet, ns */
	idb(w, 101, 96, 0x80 | 20, 1000);	/* raw, 2^-20 s, +1000 s */
	idb(w, 113, 0, 0xff, 0);		/* SLL, default us */
	epb(w, 0, 1700000000123456789ULL, "abcdefgh", 8, 60);
	other(w, 5);				/* interface statistics */
	epb(w, 1, (uint64_t)1700000000 << 20 | (1 << 19), "ijklmnop", 6, 6);
	spb(w, "spb!", 4);
	opb(w, 2, 1700000001000001ULL, "opb.", 4);
	other(w, 0x40000bad);			/* custom */
	return w->len;
}

static void
test_sample(int be)
{
	struct w	w;
	struct got	g;

	readall(w.b, sample(&w, be), &g);
	CHECK(g.open);
	CHECK_EQ(g.rc, 0);
	CHECK_EQ(g.first_dlt, 1);
	CHECK_EQ(g.n, 4);
	/* nanoseconds, rounded down to microseconds */
	CHECK_EQ(g.p[0].dlt, 1);
	CHECK_EQ(g.p[0].ifid, 0);
	CHECK_EQ(g.p[0].ts, 1700000000123456LL);
	CHECK_EQ(g.p[0].caplen, 8);
	CHECK_EQ(g.p[0].len, 60);
	CHECK(memcmp(g.d[0], "abcdefgh", 8) == 0);
	/* 2^-20 s: half a second; the offset added */
	CHECK_EQ(g.p[1].dlt, 101);
	CHECK_EQ(g.p[1].ifid, 1);
	CHECK_EQ(g.p[1].ts, 1700001000500000LL);
	CHECK_EQ(g.p[1].caplen, 6);
	CHECK(memcmp(g.d[1], "ijklmn", 6) == 0);
	/* a simple packet: interface 0, the time of the packet before */
	CHECK_EQ(g.p[2].dlt, 1);
	CHECK_EQ(g.p[2].ts, 1700001000500000LL);
	CHECK_EQ(g.p[2].caplen, 4);
	CHECK(memcmp(g.d[2], "spb!", 4) == 0);
	/* the obsolete packet block, in microseconds */
	CHECK_EQ(g.p[3].dlt, 113);
	CHECK_EQ(g.p[3].ifid, 2);
	CHECK_EQ(g.p[3].ts, 1700000001000001LL);
	CHECK(memcmp(g.d[3], "opb.", 4) == 0);
}

/* Cut anywhere: the packets before the cut, then an end or an error. */
static void
test_cut(void)
{
	struct w	w;
	struct got	g, whole;
	size_t		len, i, bounds = 0, errors = 0;

	len = sample(&w, 0);
	readall(w.b, len, &whole);
	for (i = 1; i < len; i++) {
		readall(w.b, i, &g);
		if (!g.open) {		/* cut inside the first blocks */
			CHECK(strstr(g.err, "truncated pcapng file") != NULL);
			continue;
		}
		CHECK(g.n <= whole.n);
		CHECK(g.n == 0 || g.p[g.n - 1].ts == whole.p[g.n - 1].ts);
		if (g.rc == 0)
			bounds++;
		else {
			errors++;
			CHECK(strstr(g.err, "truncated pcapng file") != NULL);
		}
	}
	/* at the end of each block but the last: 10 clean ends */
	CHECK_EQ(bounds, 10);
	CHECK(errors > 0);
}

/* A new section forgets the interfaces of the one before. */
static void
test_sections(void)
{
	struct w	w;
	struct got	g;

	memset(&w, 0, sizeof(w));
	shb(&w, 0, 1);
	idb(&w, 1, 0, 0xff, 0);
	idb(&w, 228, 0, 0xff, 0);
	epb(&w, 1, 5, "v4", 2, 2);
	shb(&w, 1, 1);			/* big-endian from here */
	idb(&w, 229, 0, 3, 0);		/* IPv6, milliseconds */
	epb(&w, 0, 7, "v6", 2, 2);
	epb(&w, 1, 8, "??", 2, 2);	/* no interface 1 any more */
	readall(w.b, w.len, &g);
	CHECK_EQ(g.n, 2);
	CHECK_EQ(g.p[0].dlt, 228);
	CHECK_EQ(g.p[0].ts, 5);
	CHECK_EQ(g.p[1].dlt, 229);
	CHECK_EQ(g.p[1].ts, 7000);
	CHECK_EQ(g.rc, -1);
	CHECK(strstr(g.err, "interface 1") != NULL);
}

/* Files that open or stop with the message they deserve. */
static void
test_broken(void)
{
	struct w	w;
	struct got	g;

	/* a section and nothing else: no packets, no link type */
	memset(&w, 0, sizeof(w));
	shb(&w, 0, 1);
	readall(w.b, w.len, &g);
	CHECK(g.open);
	CHECK_EQ(g.first_dlt, -1);
	CHECK_EQ(g.rc, 0);
	CHECK_EQ(g.n, 0);

	/* not a section first */
	memset(&w, 0, sizeof(w));
	idb(&w, 1, 0, 0xff, 0);
	w.b[0] = 0x0a;
	readall(w.b, w.len, &g);
	CHECK(!g.open);

	/* text that begins with a line feed, as pcapng does */
	readall((const uint8_t *)"\nhello, world\n", 14, &g);
	CHECK(!g.open);
	CHECK(strstr(g.err, "unknown file format") != NULL);

	/* a byte-order magic that is neither */
	memset(&w, 0, sizeof(w));
	shb(&w, 0, 1);
	w.b[8] = 0x11;
	readall(w.b, w.len, &g);
	CHECK(!g.open);
	CHECK(strstr(g.err, "byte-order magic") != NULL);

	/* version 2 */
	memset(&w, 0, sizeof(w));
	shb(&w, 0, 2);
	readall(w.b, w.len, &g);
	CHECK(!g.open);
	CHECK_STR(g.err, "pcapng version 2.0 is not supported");

	/* a resolution finer than 10^-18 s */
	memset(&w, 0, sizeof(w));
	shb(&w, 0, 1);
	idb(&w, 1, 0, 19, 0);
	readall(w.b, w.len, &g);
	CHECK(!g.open);
	CHECK(strstr(g.err, "resolution 10^-19") != NULL);

	/* a packet before any interface */
	memset(&w, 0, sizeof(w));
	shb(&w, 0, 1);
	epb(&w, 0, 1, "x", 1, 1);
	readall(w.b, w.len, &g);
	CHECK(g.open);
	CHECK_EQ(g.n, 0);
	CHECK_EQ(g.rc, -1);

	/* more captured bytes than the block holds */
	memset(&w, 0, sizeof(w));
	shb(&w, 0, 1);
	idb(&w, 1, 0, 0xff, 0);
	epb(&w, 0, 1, "abcd", 4, 4);
	w.b[w.len - 16] = 200;		/* caplen, little-endian */
	readall(w.b, w.len, &g);
	CHECK_EQ(g.n, 0);
	CHECK_EQ(g.rc, -1);
	CHECK(strstr(g.err, "200 captured bytes") != NULL);

	/* a trailing length that disagrees */
	memset(&w, 0, sizeof(w));
	shb(&w, 0, 1);
	idb(&w, 1, 0, 0xff, 0);
	epb(&w, 0, 1, "abcd", 4, 4);
	w.b[w.len - 4] ^= 4;
	readall(w.b, w.len, &g);
	CHECK_EQ(g.rc, -1);
	CHECK(strstr(g.err, "ends with a length") != NULL);

	/* lengths not a multiple of 4, too small, too large */
	memset(&w, 0, sizeof(w));
	shb(&w, 0, 1);
	idb(&w, 1, 0, 0xff, 0);
	epb(&w, 0, 1, "abcd", 4, 4);
	{
		size_t		at = w.len - 36 + 4;	/* the EPB's length */
		uint32_t	bad[3] = { 37, 8, PCAPNG_BLOCK_MAX + 4 };
		int		i;

		for (i = 0; i < 3; i++) {
			struct w	x = w;

			x.b[at] = (uint8_t)bad[i];
			x.b[at + 1] = (uint8_t)(bad[i] >> 8);
			x.b[at + 2] = (uint8_t)(bad[i] >> 16);
			x.b[at + 3] = (uint8_t)(bad[i] >> 24);
			readall(x.b, x.len, &g);
			CHECK_EQ(g.n, 0);
			CHECK_EQ(g.rc, -1);
			CHECK(strstr(g.err, "bad length") != NULL);
		}
	}
}

/* Time stamps at the ends of what the resolutions and offsets allow. */
static void
test_times(void)
{
	struct w	w;
	struct got	g;

	memset(&w, 0, sizeof(w));
	shb(&w, 0, 1);
	idb(&w, 1, 0, 18, 0);			/* 10^-18 s */
	idb(&w, 1, 0, 0x80 | 63, 0);		/* 2^-63 s */
	idb(&w, 1, 0, 0, 0);			/* seconds */
	idb(&w, 1, 0, 0xff, -2000000000LL);	/* us, 63 years back */
	idb(&w, 1, 3, 0xff, 0);			/* snaplen 3 */
	epb(&w, 0, UINT64_MAX, "a", 1, 1);
	epb(&w, 1, 1ULL << 62, "b", 1, 1);
	epb(&w, 2, 1ULL << 62, "c", 1, 1);	/* past year 9999 */
	epb(&w, 3, 5, "d", 1, 1);		/* before 1970 */
	epb(&w, 4, 1, "efgh", 4, 4);
	spb(&w, "ijkl", 4);			/* interface 0: snaplen 0 */
	readall(w.b, w.len, &g);
	CHECK_EQ(g.rc, 0);
	CHECK_EQ(g.n, 6);
	CHECK_EQ(g.p[0].ts, 18446744);		/* UINT64_MAX / 10^12 */
	CHECK_EQ(g.p[1].ts, 500000);		/* half a second */
	CHECK_EQ(g.p[2].ts, PCAPNG_TS_MAX);	/* held at the ceiling */
	CHECK_EQ(g.p[3].ts, 0);			/* and at 0 */
	CHECK_EQ(g.p[4].caplen, 4);		/* EPBs are not cut */
	CHECK_EQ(g.p[5].caplen, 4);
	CHECK_EQ(g.p[5].ts, g.p[4].ts);

	/* a simple packet is cut to its interface's snaplen */
	memset(&w, 0, sizeof(w));
	shb(&w, 1, 1);
	idb(&w, 1, 3, 0xff, 0);
	spb(&w, "ijkl", 4);
	readall(w.b, w.len, &g);
	CHECK_EQ(g.n, 1);
	CHECK_EQ(g.p[0].caplen, 3);
	CHECK_EQ(g.p[0].len, 4);
	CHECK_EQ(g.p[0].ts, 0);

	/* finer than 2^-63 */
	memset(&w, 0, sizeof(w));
	shb(&w, 0, 1);
	idb(&w, 1, 0, 0x80 | 64, 0);
	readall(w.b, w.len, &g);
	CHECK(!g.open);
	CHECK(strstr(g.err, "resolution 2^-64") != NULL);
}

/* More interfaces in a section than the cap: an error, not memory. */
static void
test_many_interfaces(void)
{
	struct w	 w;
	struct got	 g;
	uint8_t		*b;
	size_t		 len, i, n = PCAPNG_IFACES_MAX + 1;
	static const uint8_t idb20[20] = { 1, 0, 0, 0, 20, 0, 0, 0,
	    1, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0 };

	memset(&w, 0, sizeof(w));
	shb(&w, 0, 1);
	len = w.len + n * sizeof(idb20);
	if ((b = malloc(len)) == NULL)
		abort();
	memcpy(b, w.b, w.len);
	for (i = 0; i < n; i++)
		memcpy(b + w.len + i * sizeof(idb20), idb20, sizeof(idb20));
	readall(b, len, &g);
	CHECK(g.open);
	CHECK_EQ(g.rc, -1);
	CHECK(strstr(g.err, "more than 65536") != NULL);
	readall(b, len - sizeof(idb20), &g);	/* exactly the cap */
	CHECK_EQ(g.rc, 0);
	free(b);
}

int
main(void)
{
	test_sample(0);
	test_sample(1);
	test_cut();
	test_sections();
	test_broken();
	test_times();
	test_many_interfaces();
	return test_done("test_pcapng");
}
