/*
 * libFuzzer target for the data path: a sequence of frames of any link
 * type goes through decode_packet(), the packets it accepts through the
 * flow table, and the records it emits through the record path to the
 * JSON sink and the summary, as egressd -r does.  The input format is in frames.h.
 *
 * Everything is made fresh for each input, with fixed hash keys, so a
 * reproducer replays exactly.  Each frame is copied to a buffer of exactly
 * its captured length, so AddressSanitizer sees any read past caplen, and
 * the struct pkt is poisoned first, so a field decode_packet() leaves unset
 * fails the checks instead of passing on stale values.
 *
 * Besides the sanitizers, the target checks invariants: what a decoded
 * packet may hold, what a record may hold, that every accepted packet and
 * byte comes out in exactly one record, and that a second table that is
 * also advanced before each packet (as the live daemon's timer does) emits
 * the very same records at the same points.
 */
#include "config.h"

#include "fuzz.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "alert_beacon.h"
#include "app.h"
#include "decode.h"
#include "dedup.h"
#include "event.h"
#include "flow.h"
#include "frag.h"
#include "hash.h"
#include "record.h"
#include "sink.h"
#include "sink_json.h"
#include "sink_summary.h"

#include "frames.h"

/* Small tables, so slot reuse and replacement happen within one input. */
#define FD_FRAG_SLOTS	64
#define FD_DEDUP_SLOTS	64


/* What one flow table has emitted so far. */
struct fd_tally {
	uint64_t	records;
	uint64_t	pkts, bytes;
	uint64_t	digest;		/* of every record, in order */
};

struct fd_run {
	struct decoder		*dec;
	struct app		*app;		/* the main table's payloads */
	struct flow_table	*flows;		/* as egressd -r drives it */
	struct flow_table	*ticked;	/* also advanced before each */
	struct fd_tally		 tally, ticked_tally;
	struct sinks		*sinks;		/* JSON and summary */
	struct alert_windows	*windows;
	struct alert_beacon	*beacons;	/* beats and alerts */
	struct record		*rec;
	FILE			*out;
	uint64_t		 pkts, bytes;	/* accepted by the decoder */
	int64_t			 first_ts, last_ts;
};


static const struct hash_key fd_key = {
	0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL
};

/* Fold a value into a digest (FNV-1a over its bytes). */
static void
fd_digest(uint64_t *h, uint64_t v)
{
	int	i;

	for (i = 0; i < 8; i++)
		*h = (*h ^ ((v >> (8 * i)) & 0xff)) * 0x100000001b3ULL;
}

/* Check one record and count it to a tally. */
static void
fd_record(struct fd_tally *t, const struct flow *f, enum flow_reason r)
{
	FUZZ_ASSERT(f->pkts[0] + f->pkts[1] > 0);
	FUZZ_ASSERT(f->pkts[0] <= f->bytes[0] && f->pkts[1] <= f->bytes[1]);
	FUZZ_ASSERT(f->start <= f->first && f->first <= f->last);
	FUZZ_ASSERT(f->sides >= 1 && f->sides <= 3);
	FUZZ_ASSERT(f->appliance <= 1 && f->init <= 1);
	FUZZ_ASSERT(f->key.af == 4 || f->key.af == 6);
	FUZZ_ASSERT(f->cls < FLOW_C_MAX);
	FUZZ_ASSERT(r <= FLOW_R_SHUTDOWN);
	t->records++;
	t->pkts += f->pkts[0] + f->pkts[1];
	t->bytes += f->bytes[0] + f->bytes[1];
	fd_digest(&t->digest, f->id);
	fd_digest(&t->digest, (uint64_t)r);
	fd_digest(&t->digest, (uint64_t)f->first);
	fd_digest(&t->digest, (uint64_t)f->last);
	fd_digest(&t->digest, f->pkts[0] | f->pkts[1] << 32);
	fd_digest(&t->digest, f->bytes[0] ^ f->bytes[1] << 32);
	fd_digest(&t->digest, (uint64_t)f->state << 8 | f->sides);
}

/* A record of the main table: check it and hand it to the sinks. */
static void
fd_emit(void *arg, const struct flow *f, enum flow_reason r)
{
	struct fd_run	*run = arg;

	fd_record(&run->tally, f, r);
	record_flow(run->rec, f, r);
}

/* A flow of the main table ends: free its application layer. */
static void
fd_release(void *arg, struct flow *f)
{
	struct fd_run	*run = arg;

	app_flow_free(run->app, f);
}

/* A record of the ticked table: check it and count it. */
static void
fd_emit_ticked(void *arg, const struct flow *f, enum flow_reason r)
{
	struct fd_run	*run = arg;

	fd_record(&run->ticked_tally, f, r);
}

/* The flow table configuration that the config byte selects. */
static void
fd_config(uint8_t cfgbyte, struct flow_config *fc)
{
	int	c;

	flow_config_default(fc);
	fc->max_flows = (size_t)(cfgbyte & FRAMES_CFG_FLOWS) + 1;
	if (cfgbyte & FRAMES_CFG_SHORT) {
		for (c = 0; c < FLOW_C_MAX; c++)
			fc->timeout[c] /= 1000;
		fc->active_timeout /= 1000;
	}
}

/* A decoder, flow tables and sinks for one input. */
static int
fd_open(struct fd_run *run, uint8_t cfgbyte)
{
	struct flow_config	 fc;
	struct alert_beacon_in	 ab;
	struct record_in	 ri;
	struct sink_json	*json;

	memset(run, 0, sizeof(*run));
	if ((run->out = fopen("/dev/null", "w")) == NULL)
		return -1;
	if ((json = sink_json_open("/dev/null")) == NULL) {
		fclose(run->out);
		return -1;
	}
	run->sinks = sinks_new();
	sinks_add(run->sinks, &sink_summary_ops,
	    sink_summary_open(run->out, NULL, 0));
	sinks_add(run->sinks, &sink_json_ops, json);
	run->dec = decode_new();
	decode_set_tunnels(run->dec, DECODE_TUN_ALL);	/* the most code */
	frag_free(run->dec->frags);
	run->dec->frags = frag_new(&fd_key, FD_FRAG_SLOTS);
	dedup_free(run->dec->dedup);
	run->dec->dedup = dedup_new(&fd_key, FD_DEDUP_SLOTS);
	fd_config(cfgbyte, &fc);
	run->flows = flow_table_new(&fc, &fd_key, fd_emit, run);
	run->app = app_new();
	flow_set_release(run->flows, fd_release);
	run->ticked = flow_table_new(&fc, &fd_key, fd_emit_ticked, run);
	run->windows = alert_windows_new();
	memset(&ab, 0, sizeof(ab));		/* no policy, no MAC table */
	ab.app = run->app;
	ab.windows = run->windows;
	ab.sinks = run->sinks;
	ab.threads = 1;
	run->beacons = alert_beacon_new(&ab);
	memset(&ri, 0, sizeof(ri));
	ri.app = run->app;
	ri.sinks = run->sinks;
	run->rec = record_new(&ri);
	return 0;
}

/* Both tables must have emitted the same records. */
static void
fd_compare(const struct fd_run *run)
{
	FUZZ_ASSERT(run->tally.records == run->ticked_tally.records);
	FUZZ_ASSERT(run->tally.digest == run->ticked_tally.digest);
}

/* Flush the tables, print the summary and free everything. */
static void
fd_close(struct fd_run *run)
{
	const struct flow_stats	*fs;
	struct event_counters	 c;
	struct event_run	 er;

	alert_beacon_flush(run->beacons);
	flow_flush(run->flows);
	flow_flush(run->ticked);
	fd_compare(run);
	fs = flow_stats(run->flows);
	FUZZ_ASSERT(fs->active == 0);
	FUZZ_ASSERT(fs->records == run->tally.records);
	FUZZ_ASSERT(fs->peak <= fs->created);
	FUZZ_ASSERT(run->tally.pkts == run->pkts);
	FUZZ_ASSERT(run->tally.bytes == run->bytes);
	FUZZ_ASSERT(run->dec->counters[DC_FLOW_PACKETS] == run->pkts);
	alert_beacon_series(run->beacons);
	memset(&er, 0, sizeof(er));
	er.first_ts = run->first_ts;
	er.last_ts = run->last_ts;
	er.packets = run->dec->counters[DC_PACKETS];
	er.flows = fs->created;
	memset(&c, 0, sizeof(c));
	alert_beacon_counters(run->beacons, &c);
	c.run = &er;
	sinks_counters(run->sinks, &c);
	event_counters_free(&c);
	alert_beacon_free(run->beacons);
	sinks_close(run->sinks);
	record_free(run->rec);
	alert_windows_free(run->windows);
	flow_table_free(run->flows);
	app_free(run->app);
	flow_table_free(run->ticked);
	decode_free(run->dec);
	fclose(run->out);
}

/* Check what the decoder made of one frame. */
static void
fd_check_pkt(const struct pkt *p, const uint8_t *data, size_t caplen,
    size_t wirelen, int64_t ts)
{
	FUZZ_ASSERT(p->ts == ts);
	FUZZ_ASSERT(p->af == 4 || p->af == 6);
	FUZZ_ASSERT(p->nvlan <= 2);
	FUZZ_ASSERT(p->frag <= DECODE_FRAG_LATER);
	FUZZ_ASSERT(p->truncated <= 1);
	FUZZ_ASSERT(p->ip_len <= (wirelen > caplen ? wirelen : caplen));
	if (p->payload != NULL) {
		FUZZ_ASSERT(p->payload >= data);
		FUZZ_ASSERT(p->payload_len <= caplen);
		FUZZ_ASSERT((size_t)(p->payload - data) <= caplen -
		    p->payload_len);
	} else
		FUZZ_ASSERT(p->payload_len == 0);
}

/*
 * Decode one frame from its own exact-size copy, and count each packet in
 * it (the one inside, the tunnels' datagrams) to its flow.
 */
static void
fd_frame(struct fd_run *run, int dlt, const uint8_t *bytes, size_t caplen,
    size_t wirelen, int64_t ts)
{
	struct pkt		 p;
	struct flow		*f;
	uint8_t			*copy;
	struct flow_hit		 hit;
	enum decode_result	 r;
	int			 n = 0;

	if ((copy = malloc(caplen)) == NULL && caplen > 0)
		abort();
	if (caplen > 0)
		memcpy(copy, bytes, caplen);
	/* Poison the result, so a field left unset shows, every time. */
	memset(&p, 0xa5, sizeof(p));
	r = decode_packet(run->dec, dlt, copy, caplen, wirelen, ts, &p);
	for (; r != DECODE_END; r = decode_next(run->dec, &p)) {
		FUZZ_ASSERT(++n <= DECODE_MAX_TUNNEL + 1);
		if (r != DECODE_OK)
			continue;
		fd_check_pkt(&p, copy, caplen, wirelen, ts);
		run->pkts++;
		run->bytes += p.ip_len;
		f = flow_packet(run->flows, &p, &hit);
		app_packet(run->app, f, hit.dir, &p);
		alert_beacon_packet(run->beacons, f, &hit, &p);
		flow_advance(run->ticked, p.ts);
		flow_packet(run->ticked, &p, NULL);
		fd_compare(run);
	}
	free(copy);
}

/* Split the input into frames and run them through the data path. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fd_run	 run;
	const uint8_t	*p = data;
	size_t		 left = size, caplen, extra;
	int64_t		 ts;
	int		 dlt;

	if (size < 1 || fd_open(&run, data[0]) == -1)
		return 0;
	ts = (data[0] & FRAMES_CFG_EPOCH) ? 0 : FRAMES_TS_START;
	p++;
	left--;
	run.first_ts = run.last_ts = ts;
	while (left >= FRAMES_HDRLEN) {
		dlt = frames_dlt(p[0]);
		if ((ts += frames_delta(p[1])) < 0)
			ts = 0;
		extra = frames_wire_extra(p[2]);
		caplen = ((size_t)p[3] << 8) | p[4];
		p += FRAMES_HDRLEN;
		left -= FRAMES_HDRLEN;
		if (caplen > left)
			caplen = left;
		fd_frame(&run, dlt, p, caplen, caplen + extra, ts);
		p += caplen;
		left -= caplen;
		if (ts > run.last_ts)
			run.last_ts = ts;
	}
	fd_close(&run);
	return 0;
}
