/*
 * frames.h: the input format of the data-path fuzz target (fuzz_decode),
 * shared with the seed builder so both read and write the same bytes.
 *
 *   input  := config frame*
 *   config := 1 byte: bits 0-5 max_flows - 1 (1..64), bit 6 timeouts in
 *	       ms instead of s, bit 7 the clock starts at 0 (zeroed captures)
 *   frame  := link(1) time(1) wire(1) caplen(2, big-endian) bytes[caplen]
 *
 * link	 selects a link type: frames_dlts[link % FRAMES_NDLT]; the last entry
 *	 is one the decoder does not support.
 * time	 advances the packet clock: 0x00-0x7f by time * 100 us (the dedup
 *	 window), 0x80-0xfe on a log scale from 4 us to about 4 hours (the
 *	 flow, active and fragment timeouts), 0xff goes back one second
 *	 (never below 0).
 * wire	 is what snaplen cut: wirelen = caplen + 0-127, or + (wire & 0x7f) KiB
 *	 when the top bit is set.
 * caplen is cut to the bytes left in the input.
 */
#ifndef EGRESSD_FUZZ_FRAMES_H
#define EGRESSD_FUZZ_FRAMES_H

#include <stddef.h>
#include <stdint.h>

#include "decode.h"

#define FRAMES_HDRLEN		5		/* link, time, wire, caplen */
#define FRAMES_MAXCAP		65535
#define FRAMES_TS_START		(1700000000LL * 1000000)
#define FRAMES_DLT_UNSUPPORTED	147		/* DLT_USER0 */
#define FRAMES_CFG_FLOWS	0x3f
#define FRAMES_CFG_SHORT	0x40
#define FRAMES_CFG_EPOCH	0x80
#define FRAMES_TIME_BACK	0xff

static const int frames_dlts[] = {
	DECODE_DLT_EN10MB,
	DECODE_DLT_RAW,
	DECODE_DLT_LINUX_SLL,
	DECODE_DLT_LINUX_SLL2,
	DECODE_DLT_NULL,
	DECODE_DLT_LOOP,
	DECODE_DLT_IPV4,
	DECODE_DLT_IPV6,
	DECODE_DLT_RAW_OPENBSD,
	DECODE_DLT_RAW_LT,
	FRAMES_DLT_UNSUPPORTED,
};
#define FRAMES_NDLT	(sizeof(frames_dlts) / sizeof(frames_dlts[0]))

/* The link type a selector byte stands for. */
static inline int
frames_dlt(uint8_t sel)
{
	return frames_dlts[sel % FRAMES_NDLT];
}

/* The selector byte of a link type, or -1 if the format has none. */
static inline int
frames_dlt_index(int dlt)
{
	size_t	i;

	for (i = 0; i < FRAMES_NDLT; i++)
		if (frames_dlts[i] == dlt)
			return (int)i;
	return -1;
}

/* Microseconds a time byte moves the clock by (negative: backwards). */
static inline int64_t
frames_delta(uint8_t t)
{
	unsigned int	k;

	if (t == FRAMES_TIME_BACK)
		return -1000000;
	if (t < 0x80)
		return (int64_t)t * 100;
	k = t - 0x80u;
	return (int64_t)(4 + (k & 3)) << (k >> 2);
}

/* The largest time byte that does not move the clock past delta. */
static inline uint8_t
frames_delta_code(int64_t delta)
{
	unsigned int	t;

	if (delta < 0)
		return FRAMES_TIME_BACK;
	for (t = FRAMES_TIME_BACK - 1; t >= 0x80; t--)
		if (frames_delta((uint8_t)t) <= delta &&
		    frames_delta((uint8_t)t) > 0x7f * 100)
			return (uint8_t)t;
	return (uint8_t)(delta / 100 > 0x7f ? 0x7f : delta / 100);
}

/* Bytes on the wire beyond the captured ones. */
static inline size_t
frames_wire_extra(uint8_t w)
{
	if (w < 0x80)
		return w;
	return (size_t)(w & 0x7f) << 10;
}

/* The largest wire byte whose extra does not exceed extra. */
static inline uint8_t
frames_wire_code(size_t extra)
{
	if (extra < 0x80)
		return (uint8_t)extra;
	if (extra >> 10 > 0x7f)
		return 0xff;
	if (extra >> 10 == 0)
		return 0x7f;
	return (uint8_t)(0x80 | (extra >> 10));
}

#endif
