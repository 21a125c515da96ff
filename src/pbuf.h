/*
 * pbuf.h: a bounds-checked cursor over untrusted packet bytes.
 *
 * Every read goes through these functions; each returns -1 and leaves the
 * cursor unchanged when fewer bytes remain than asked for, so parsers chain
 * reads with || and treat -1 as "truncated".  Packet bytes are never cast
 * to a struct.
 */
#ifndef EGRESSD_PBUF_H
#define EGRESSD_PBUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct pbuf {
	const uint8_t	*p;
	size_t		 len;
};

static inline void
pbuf_init(struct pbuf *b, const uint8_t *p, size_t len)
{
	b->p = p;
	b->len = len;
}

static inline int
pbuf_skip(struct pbuf *b, size_t n)
{
	if (b->len < n)
		return -1;
	b->p += n;
	b->len -= n;
	return 0;
}

static inline int
pbuf_get_u8(struct pbuf *b, uint8_t *v)
{
	if (b->len < 1)
		return -1;
	*v = b->p[0];
	b->p++;
	b->len--;
	return 0;
}

static inline int
pbuf_get_u16(struct pbuf *b, uint16_t *v)
{
	if (b->len < 2)
		return -1;
	*v = (uint16_t)((b->p[0] << 8) | b->p[1]);
	b->p += 2;
	b->len -= 2;
	return 0;
}

/* Little-endian 16 bits (BSD null link header, pcap headers). */
static inline int
pbuf_get_u16le(struct pbuf *b, uint16_t *v)
{
	if (b->len < 2)
		return -1;
	*v = (uint16_t)((b->p[1] << 8) | b->p[0]);
	b->p += 2;
	b->len -= 2;
	return 0;
}

static inline int
pbuf_get_u32(struct pbuf *b, uint32_t *v)
{
	if (b->len < 4)
		return -1;
	*v = ((uint32_t)b->p[0] << 24) | ((uint32_t)b->p[1] << 16) |
	    ((uint32_t)b->p[2] << 8) | (uint32_t)b->p[3];
	b->p += 4;
	b->len -= 4;
	return 0;
}

static inline int
pbuf_get_u32le(struct pbuf *b, uint32_t *v)
{
	if (b->len < 4)
		return -1;
	*v = ((uint32_t)b->p[3] << 24) | ((uint32_t)b->p[2] << 16) |
	    ((uint32_t)b->p[1] << 8) | (uint32_t)b->p[0];
	b->p += 4;
	b->len -= 4;
	return 0;
}

/* Copy n bytes out. */
static inline int
pbuf_get_bytes(struct pbuf *b, void *dst, size_t n)
{
	if (b->len < n)
		return -1;
	memcpy(dst, b->p, n);
	b->p += n;
	b->len -= n;
	return 0;
}

/* Split off the next n bytes as their own cursor and advance past them. */
static inline int
pbuf_sub(struct pbuf *b, size_t n, struct pbuf *sub)
{
	if (b->len < n)
		return -1;
	sub->p = b->p;
	sub->len = n;
	b->p += n;
	b->len -= n;
	return 0;
}

/* Read a byte at an offset without moving. */
static inline int
pbuf_peek_u8(const struct pbuf *b, size_t off, uint8_t *v)
{
	if (b->len <= off)
		return -1;
	*v = b->p[off];
	return 0;
}

#endif
