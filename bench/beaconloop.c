/*
 * beaconloop: what beacon detection costs per beat and per series.
 *
 * S series (appliance, destination) pairs, 1000 destinations per
 * appliance, each a timer with its own period (5 s to 4 h, log-uniform)
 * and 20% jitter; B beats in rounds, every pair once a round, the pairs
 * visited in a scattered order so that the table is used the way mixed
 * traffic uses it (no cache-friendly runs).  With -g 3 each beat also
 * carries a name (one of 1000) and an ASN (one of 50), so it updates
 * three series; with -g 4 also a service (TCP port 443), four.  The same loop without beacon_beat() is timed first and
 * subtracted, so the figure is the detector's own.
 *
 * usage: beaconloop [-n series] [-b beats] [-g 1|3|4]
 * Prints series, beats, ns per beat, beats/s, bytes per series (peak RSS
 * growth / live series) and the series found periodic.
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "beacon.h"

#define BL_DESTS	1000		/* destinations per appliance */
#define BL_NAMES	1000
#define BL_ASNS		50
#define BL_SEC		1000000LL

struct bl_pair {
	int64_t		next;		/* us */
	uint32_t	period_ms;
};

/* xorshift64*: cheap random bits. */
static uint64_t
bl_rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

/* Seconds of a monotonic clock. */
static double
bl_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Resident set size now, bytes (from /proc/self/statm). */
static long
bl_rss(void)
{
	FILE	*f;
	long	 pages = 0, rss = 0;

	if ((f = fopen("/proc/self/statm", "r")) == NULL)
		return 0;
	if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
		rss = 0;
	fclose(f);
	return rss * sysconf(_SC_PAGESIZE);
}

/* An odd stride coprime to n, to visit 0..n-1 in a scattered order. */
static uint64_t
bl_stride(uint64_t n)
{
	uint64_t	a = 2654435761ULL % n, x, y, t;

	for (;; a++) {
		for (x = a, y = n; y != 0; t = x % y, x = y, y = t)
			;
		if (x == 1 && a > 1)
			return a;
	}
}

/* One round: every pair beats once; with b == NULL, the loop alone. */
static uint64_t
bl_round(struct beacon *b, struct bl_pair *p, uint64_t n, uint64_t stride,
    uint64_t off, int groups, char names[][16], uint64_t *rs, uint64_t left)
{
	struct beacon_report	 rep;
	uint64_t	 i, k, sum = 0;
	uint32_t	 appliance, d, jit;
	uint8_t		 a[4], dst[4];

	for (i = 0; i < n && i < left; i++) {
		k = (i * stride + off) % n;
		appliance = (uint32_t)(k / BL_DESTS);
		d = (uint32_t)(k % BL_DESTS);
		a[0] = 10;
		a[1] = (uint8_t)(appliance >> 16);
		a[2] = (uint8_t)(appliance >> 8);
		a[3] = (uint8_t)appliance;
		dst[0] = 198;
		dst[1] = 51;
		dst[2] = (uint8_t)(d >> 8);
		dst[3] = (uint8_t)d;
		jit = (uint32_t)(bl_rnd(rs) % (p[k].period_ms / 5 + 1));
		p[k].next += (int64_t)(p[k].period_ms - jit) * 1000;
		if (b != NULL) {
			beacon_beat(b, 4, a, dst, groups >= 3 ?
			    names[d % BL_NAMES] : NULL, groups >= 3 ?
			    64500 + d % BL_ASNS : 0, groups == 4 ?
			    BEACON_SVC(6, 443) : 0, p[k].next, 0, 240);
			beacon_alert(b, &rep);
		} else
			sum += (uint64_t)p[k].next ^ a[3] ^ dst[3];
	}
	return sum;
}

int
main(int argc, char **argv)
{
	static char		 names[BL_NAMES][16];
	struct beacon		*b;
	struct bl_pair		*p;
	uint64_t		 n = 1000000, beats = 100000000, stride, r, rs;
	uint64_t		 done, sink = 0, nseries;
	double			 t0, t_loop, t_beacon, lo = 5, hi = 4 * 3600.0;
	long			 rss0, rss1;
	int			 c, groups = 1;
	size_t			 i;

	while ((c = getopt(argc, argv, "n:b:g:")) != -1) {
		switch (c) {
		case 'n':
			n = strtoull(optarg, NULL, 10);
			break;
		case 'b':
			beats = strtoull(optarg, NULL, 10);
			break;
		case 'g':
			groups = atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: beaconloop [-n series] "
			    "[-b beats] [-g 1|3|4]\n");
			return 2;
		}
	}
	if (n < 2 || beats < 1 ||
	    (groups != 1 && groups != 3 && groups != 4)) {
		fprintf(stderr, "beaconloop: bad arguments\n");
		return 2;
	}
	for (i = 0; i < BL_NAMES; i++)
		snprintf(names[i], sizeof(names[i]), "n%zu.example", i);
	if ((p = calloc(n, sizeof(*p))) == NULL) {
		perror("calloc");
		return 1;
	}
	rs = 0x9e3779b97f4a7c15ULL;
	for (i = 0; i < n; i++) {
		/* log-uniform in [lo, hi] from 16 random bits */
		double	u = (bl_rnd(&rs) >> 48) / 65536.0;

		p[i].period_ms = (uint32_t)(1000 * lo *
		    exp(u * log(hi / lo)));
		p[i].next = (int64_t)(bl_rnd(&rs) % p[i].period_ms) * 1000;
	}
	stride = bl_stride(n);

	/* The loop alone: the generator's cost. */
	t0 = bl_now();
	for (r = 0, done = 0; done < beats; r++, done += n)
		sink += bl_round(NULL, p, n, stride, r * 7919, groups, names,
		    &rs, beats - done);
	t_loop = bl_now() - t0;
	for (i = 0; i < n; i++)
		p[i].next = 0;

	rss0 = bl_rss();
	b = beacon_new((size_t)n * groups + 1024, BL_DESTS * groups);
	t0 = bl_now();
	for (r = 0, done = 0; done < beats; r++, done += n)
		bl_round(b, p, n, stride, r * 7919, groups, names, &rs,
		    beats - done);
	t_beacon = bl_now() - t0;
	rss1 = bl_rss();

	nseries = beacon_stats(b)->series;
	printf("series %" PRIu64 " beats %" PRIu64 " groupings %d "
	    "ns_per_beat %.1f beats_per_s %.0f loop_ns %.1f "
	    "bytes_per_series %.0f struct_bytes %zu periodic %" PRIu64
	    " alerts %" PRIu64 " evicted %" PRIu64 " (sink %" PRIu64 ")\n",
	    nseries, beats, groups, (t_beacon - t_loop) * 1e9 / beats,
	    beats / (t_beacon - t_loop), t_loop * 1e9 / beats,
	    nseries ? (double)(rss1 - rss0) / nseries : 0,
	    beacon_series_size(), beacon_stats(b)->periodic,
	    beacon_stats(b)->alerts, beacon_stats(b)->evicted +
	    beacon_stats(b)->evicted_appliance, sink & 1);
	beacon_free(b);
	free(p);
	return 0;
}
