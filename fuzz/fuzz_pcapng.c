/*
 * libFuzzer target for the pcapng reader: the input is a whole file, read
 * from memory (fmemopen) as egressd reads a file.  The reader puts each
 * block at the very end of its buffer, so AddressSanitizer sees a read
 * past a block.  Every packet's bytes are read.
 *
 * Invariants, besides the sanitizers:
 * - a packet's captured bytes fit in the input, and its length on the wire
 *   is at least its captured length;
 * - a packet's link type is a 16-bit value, its time within 0 ..
 *   PCAPNG_TS_MAX (room left for the flow table's deadlines);
 * - the reader ends with 0 (the input ended between blocks) or -1 and a
 *   message, and never hands on more packets than the input has blocks of
 *   at least 12 bytes.
 */
#include "config.h"

#include "fuzz.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "pcapng.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pcapng		*r;
	struct pcapng_pkt	 p;
	FILE			*fp;
	char			 err[256];
	size_t			 n = 0, i;
	volatile uint8_t	 sum = 0;
	int			 rc;

	if (size == 0)
		return 0;
	if ((fp = fmemopen((void *)(uintptr_t)data, size, "rb")) == NULL)
		return 0;
	err[0] = '\0';
	if ((r = pcapng_open(fp, err, sizeof(err))) == NULL) {
		FUZZ_ASSERT(err[0] != '\0');
		fclose(fp);
		return 0;
	}
	FUZZ_ASSERT(pcapng_first_dlt(r) >= -1 &&
	    pcapng_first_dlt(r) <= 0xffff);
	while ((rc = pcapng_next(r, &p, err, sizeof(err))) == 1) {
		FUZZ_ASSERT(p.caplen <= size);
		FUZZ_ASSERT(p.len >= p.caplen);
		FUZZ_ASSERT(p.dlt >= 0 && p.dlt <= 0xffff);
		FUZZ_ASSERT(p.ts >= 0 && p.ts <= PCAPNG_TS_MAX);
		for (i = 0; i < p.caplen; i++)
			sum ^= p.data[i];
		n++;
		FUZZ_ASSERT(n <= size / 12);
	}
	FUZZ_ASSERT(rc == 0 || (rc == -1 && err[0] != '\0'));
	pcapng_close(r);
	fclose(fp);
	(void)sum;
	return 0;
}
