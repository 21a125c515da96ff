/*
 * The capture being written: the splitmix64 generator, the byte
 * writers that build packets field by field (put_*), the time-ordered
 * heap of records, and the pcap (through libpcap) and pcapng (our own
 * block writer) files they are drained to.
 */
#include "config.h"

#include <err.h>
#include <pcap/pcap.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcapgen.h"

/* Next value of the splitmix64 generator. */
uint64_t
rnd64(uint64_t *s)
{
	uint64_t	 z;

	z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform value in [lo, hi]. */
uint64_t
rnd_range(uint64_t *s, uint64_t lo, uint64_t hi)
{
	return lo + rnd64(s) % (hi - lo + 1);
}

/* Fills buf with random bytes. */
void
rnd_fill(uint64_t *s, uint8_t *buf, size_t len)
{
	uint64_t	 v = 0;
	size_t		 i;

	for (i = 0; i < len; i++) {
		if (i % 8 == 0)
			v = rnd64(s);
		buf[i] = v & 0xff;
		v >>= 8;
	}
}

/* 64-bit FNV-1a of a string, used as the seed of a capture. */
uint64_t
seed_of(const char *s)
{
	uint64_t	 h = 0xcbf29ce484222325ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (uint8_t)*s) * 0x100000001b3ULL;
	return h;
}

/* Room for n more bytes at the end of w. */
uint8_t *
wb_room(struct wbuf *w, size_t n)
{
	uint8_t		*p;

	if (n > sizeof(w->p) - w->len)
		errx(1, "packet buffer overflow");
	p = w->p + w->len;
	w->len += n;
	return p;
}

/* Appends one byte. */
void
put_u8(struct wbuf *w, uint8_t v)
{
	*wb_room(w, 1) = v;
}

/* Appends 16 bits in network byte order. */
void
put_u16(struct wbuf *w, uint16_t v)
{
	uint8_t		*p = wb_room(w, 2);

	p[0] = v >> 8;
	p[1] = v & 0xff;
}

/* Appends 32 bits in network byte order. */
void
put_u32(struct wbuf *w, uint32_t v)
{
	uint8_t		*p = wb_room(w, 4);

	p[0] = v >> 24;
	p[1] = (v >> 16) & 0xff;
	p[2] = (v >> 8) & 0xff;
	p[3] = v & 0xff;
}

/* Appends 32 bits little-endian. */
void
put_u32le(struct wbuf *w, uint32_t v)
{
	uint8_t		*p = wb_room(w, 4);

	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = v >> 24;
}

/* Appends 16 bits in host byte order (pcapng). */
static void
put_h16(struct wbuf *w, uint16_t v)
{
	memcpy(wb_room(w, 2), &v, 2);
}

/* Appends 32 bits in host byte order (pcapng). */
static void
put_h32(struct wbuf *w, uint32_t v)
{
	memcpy(wb_room(w, 4), &v, 4);
}

/* Appends 64 bits in host byte order (pcapng). */
static void
put_h64(struct wbuf *w, uint64_t v)
{
	memcpy(wb_room(w, 8), &v, 8);
}

/* Appends len bytes. */
void
put_bytes(struct wbuf *w, const void *data, size_t len)
{
	if (len > 0)
		memcpy(wb_room(w, len), data, len);
}

/* Appends len zero bytes. */
void
put_zero(struct wbuf *w, size_t len)
{
	if (len > 0)
		memset(wb_room(w, len), 0, len);
}

/* Appends a string without its NUL. */
void
put_str(struct wbuf *w, const char *s)
{
	put_bytes(w, s, strlen(s));
}

/* Appends printf output without its NUL. */
void
put_fmt(struct wbuf *w, const char *fmt, ...)
{
	va_list		 ap;
	size_t		 room = sizeof(w->p) - w->len;
	int		 n;

	va_start(ap, fmt);
	n = vsnprintf((char *)w->p + w->len, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room)
		errx(1, "packet buffer overflow");
	w->len += n;
}

/* Appends len bytes of the random pool. */
void
put_pool(struct wbuf *w, struct cap *c, size_t len)
{
	size_t		 off, n;

	while (len > 0) {
		off = rnd64(&c->rng) % (POOL_SIZE / 2);
		n = len < POOL_SIZE / 2 ? len : POOL_SIZE / 2;
		put_bytes(w, c->pool + off, n);
		len -= n;
	}
}

/* Overwrites 16 bits at off in network byte order. */
void
set_u16(struct wbuf *w, size_t off, uint16_t v)
{
	w->p[off] = v >> 8;
	w->p[off + 1] = v & 0xff;
}

/* Reserves a 16-bit length field; returns its offset for len16_done. */
size_t
len16(struct wbuf *w)
{
	put_u16(w, 0);
	return w->len - 2;
}

/* Fills a 16-bit length field with the bytes written after it. */
void
len16_done(struct wbuf *w, size_t off)
{
	set_u16(w, off, w->len - off - 2);
}

/* Reserves a 24-bit length field (TLS handshake). */
size_t
len24(struct wbuf *w)
{
	put_zero(w, 3);
	return w->len - 3;
}

/* Fills a 24-bit length field with the bytes written after it. */
void
len24_done(struct wbuf *w, size_t off)
{
	size_t		 n = w->len - off - 3;

	w->p[off] = n >> 16;
	w->p[off + 1] = (n >> 8) & 0xff;
	w->p[off + 2] = n & 0xff;
}

/* Pads with zeros to a multiple of four bytes (pcapng). */
static void
put_pad4(struct wbuf *w)
{
	put_zero(w, (4 - w->len % 4) % 4);
}

/* Allocates or dies (not xmalloc: the library pcapgen links has one). */
void *
emalloc(size_t n)
{
	void		*p;

	if ((p = malloc(n)) == NULL)
		err(1, "malloc");
	return p;
}

/* Starts an empty capture with its own seed. */
void
cap_init(struct cap *c, uint64_t seed, uint32_t snaplen)
{
	memset(c, 0, sizeof(*c));
	c->rng = seed;
	c->snaplen = snaplen;
	c->pool = emalloc(POOL_SIZE);
	rnd_fill(&c->rng, c->pool, POOL_SIZE);
}

/* Frees what is left of a capture. */
void
cap_free(struct cap *c)
{
	size_t		 i;

	for (i = 0; i < c->n; i++)
		free(c->heap[i].data);
	free(c->heap);
	free(c->pool);
}

_Static_assert(sizeof(struct rec) <= HEAP_ESIZE_MAX, "heap element size");

/* Swap two heap elements of esize bytes (at most HEAP_ESIZE_MAX). */
static void
heap_swap(uint8_t *a, uint8_t *b, size_t esize)
{
	uint8_t	tmp[HEAP_ESIZE_MAX];

	memcpy(tmp, a, esize);
	memcpy(a, b, esize);
	memcpy(b, tmp, esize);
}

/* Min-heap: move the last of n elements up to its place. */
void
heap_up(void *base, size_t esize, size_t n,
    int (*before)(const void *, const void *))
{
	uint8_t	*v = base;
	size_t	 i = n - 1, up;

	while (i > 0) {
		up = (i - 1) / 2;
		if (!before(v + i * esize, v + up * esize))
			break;
		heap_swap(v + i * esize, v + up * esize, esize);
		i = up;
	}
}

/* Min-heap: move the first of n elements down to its place. */
void
heap_down(void *base, size_t esize, size_t n,
    int (*before)(const void *, const void *))
{
	uint8_t	*v = base;
	size_t	 i = 0, l, m;

	for (;;) {
		l = 2 * i + 1;
		m = i;
		if (l < n && before(v + l * esize, v + m * esize))
			m = l;
		if (l + 1 < n && before(v + (l + 1) * esize, v + m * esize))
			m = l + 1;
		if (m == i)
			break;
		heap_swap(v + m * esize, v + i * esize, esize);
		i = m;
	}
}

/* True if a goes out before b. */
static int
rec_before(const void *va, const void *vb)
{
	const struct rec	*a = va, *b = vb;

	return a->ts < b->ts || (a->ts == b->ts && a->seq < b->seq);
}

/* Queues a frame of wire length len, keeping caplen bytes of it. */
void
cap_add(struct cap *c, uint64_t ts, const uint8_t *data, size_t len,
    size_t caplen)
{
	struct rec	 r;

	if (caplen > len)
		caplen = len;
	if (caplen > c->snaplen)
		caplen = c->snaplen;
	if (c->cutnext != 0 && caplen > c->cutnext)
		caplen = c->cutnext;
	c->cutnext = 0;
	r.ts = ts;
	r.seq = c->seq++;
	r.len = len;
	r.caplen = caplen;
	r.ifid = c->ifid;
	r.comment = c->comment;
	c->comment = NULL;
	r.data = emalloc(caplen > 0 ? caplen : 1);
	memcpy(r.data, data, caplen);

	if (c->n == c->size) {
		c->size = c->size ? c->size * 2 : 1024;
		c->heap = realloc(c->heap, c->size * sizeof(*c->heap));
		if (c->heap == NULL)
			err(1, "realloc");
	}
	c->heap[c->n++] = r;
	heap_up(c->heap, sizeof(*c->heap), c->n, rec_before);
}

/* Removes the earliest record. */
static void
cap_pop(struct cap *c, struct rec *r)
{
	*r = c->heap[0];
	c->heap[0] = c->heap[--c->n];
	heap_down(c->heap, sizeof(*c->heap), c->n, rec_before);
}

/* Opens a classic pcap file through libpcap. */
void
out_pcap(struct out *o, const char *path, int dlt, uint32_t snaplen)
{
	memset(o, 0, sizeof(*o));
	if ((o->fp = fopen(path, "wb")) == NULL)
		err(1, "%s", path);
	setvbuf(o->fp, NULL, _IOFBF, 1 << 20);
	if ((o->pd = pcap_open_dead(dlt, snaplen)) == NULL)
		errx(1, "pcap_open_dead");
	if ((o->pdump = pcap_dump_fopen(o->pd, o->fp)) == NULL)
		errx(1, "%s: %s", path, pcap_geterr(o->pd));
}

/* Writes one pcapng block: type, length, body, length. */
static void
ng_block(struct out *o, uint32_t type, const struct wbuf *body)
{
	uint32_t	 len = 12 + body->len;

	if (fwrite(&type, 4, 1, o->fp) != 1 ||
	    fwrite(&len, 4, 1, o->fp) != 1 ||
	    fwrite(body->p, body->len, 1, o->fp) != 1 ||
	    fwrite(&len, 4, 1, o->fp) != 1)
		err(1, "pcapng write");
}

/* Appends one pcapng option, padded. */
static void
ng_opt(struct wbuf *w, uint16_t code, const void *data, size_t len)
{
	put_h16(w, code);
	put_h16(w, len);
	put_bytes(w, data, len);
	put_pad4(w);
}

/* Opens a pcapng file with these interfaces. */
void
out_pcapng(struct out *o, const char *path, const struct ng_iface *ifs,
    int nif)
{
	struct wbuf	 w;
	const char	*appname = "egressd pcapgen";
	int		 i;

	memset(o, 0, sizeof(*o));
	o->ng = 1;
	o->ifs = ifs;
	if ((o->fp = fopen(path, "wb")) == NULL)
		err(1, "%s", path);

	/* Section Header Block */
	w.len = 0;
	put_h32(&w, 0x1a2b3c4d);
	put_h16(&w, 1);
	put_h16(&w, 0);
	put_h64(&w, UINT64_MAX);
	ng_opt(&w, 4, appname, strlen(appname));		/* shb_userappl */
	ng_opt(&w, 0, NULL, 0);
	ng_block(o, 0x0a0d0d0a, &w);

	/* Interface Description Blocks; if_tsresol 10^-6 unless nsec */
	for (i = 0; i < nif; i++) {
		uint8_t	res = 9;

		w.len = 0;
		put_h16(&w, ifs[i].linktype);
		put_h16(&w, 0);
		put_h32(&w, ifs[i].snaplen);
		ng_opt(&w, 2, ifs[i].name, strlen(ifs[i].name)); /* if_name */
		if (ifs[i].nsec)
			ng_opt(&w, 9, &res, 1);		/* if_tsresol */
		ng_opt(&w, 0, NULL, 0);
		ng_block(o, 1, &w);
	}
}

/* Writes one record. */
static void
out_write(struct out *o, const struct rec *r)
{
	struct pcap_pkthdr	 h;
	struct wbuf		 w;
	uint64_t		 ts = r->ts;
	uint32_t		 caplen = r->caplen;

	o->count++;
	o->lastts = r->ts;
	o->lastcap = r->caplen;
	if (!o->ng) {
		h.ts.tv_sec = r->ts / SEC;
		h.ts.tv_usec = r->ts % SEC;
		h.caplen = r->caplen;
		h.len = r->len;
		pcap_dump((u_char *)o->pdump, &h, r->data);
		return;
	}
	/* Enhanced Packet Block, in its interface's units and snaplen */
	if (o->ifs[r->ifid].nsec)
		ts *= 1000;
	if (caplen > o->ifs[r->ifid].snaplen)
		caplen = o->ifs[r->ifid].snaplen;
	w.len = 0;
	put_h32(&w, r->ifid);
	put_h32(&w, ts >> 32);
	put_h32(&w, ts & 0xffffffff);
	put_h32(&w, caplen);
	put_h32(&w, r->len);
	put_bytes(&w, r->data, caplen);
	put_pad4(&w);
	if (r->comment != NULL) {
		ng_opt(&w, 1, r->comment, strlen(r->comment));
		ng_opt(&w, 0, NULL, 0);
	}
	ng_block(o, 6, &w);
}

/* Flushes and closes the output. */
void
out_close(struct out *o, const char *path)
{
	struct wbuf	 w;
	uint64_t	 drop = 0;

	if (!o->ng) {
		if (pcap_dump_flush(o->pdump) == -1)
			errx(1, "%s: write failed", path);
		pcap_dump_close(o->pdump);
		pcap_close(o->pd);
		return;
	}
	/* Interface Statistics Block for interface 0 */
	w.len = 0;
	put_h32(&w, 0);
	put_h32(&w, o->lastts >> 32);
	put_h32(&w, o->lastts & 0xffffffff);
	ng_opt(&w, 4, &o->count, 8);		/* isb_ifrecv */
	ng_opt(&w, 5, &drop, 8);		/* isb_ifdrop */
	ng_opt(&w, 0, NULL, 0);
	ng_block(o, 5, &w);
	if (fclose(o->fp) == EOF)
		err(1, "%s", path);
}

/* Writes queued records up to time until, at most max in all. */
void
cap_drain(struct cap *c, struct out *o, uint64_t until, uint64_t max)
{
	struct rec	 r;

	while (c->n > 0 && c->heap[0].ts <= until && o->count < max) {
		cap_pop(c, &r);
		out_write(o, &r);
		free(r.data);
	}
}
