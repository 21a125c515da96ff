/* Unit tests for the flow table: direction, TCP state, timeouts, eviction, determinism. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "flow.h"
#include "test.h"

#define SEC	1000000LL

struct rec {
	uint64_t	id;
	int		reason, state, appliance, sides;
	uint64_t	pkts[2], bytes[2];
	int64_t		first, last;
	uint16_t	appliance_port;
};

struct recs {
	struct rec	r[64];
	int		n;
};

static void
collect(void *arg, const struct flow *f, enum flow_reason reason)
{
	struct recs	*rs = arg;
	struct rec	*r;

	if (rs->n >= 64)
		return;
	r = &rs->r[rs->n++];
	r->id = f->id;
	r->reason = reason;
	r->state = f->state;
	r->appliance = f->appliance;
	r->sides = f->sides;
	r->pkts[0] = f->pkts[f->appliance];
	r->pkts[1] = f->pkts[!f->appliance];
	r->bytes[0] = f->bytes[f->appliance];
	r->bytes[1] = f->bytes[!f->appliance];
	r->first = f->first;
	r->last = f->last;
	r->appliance_port = f->key.port[f->appliance];
}

static struct flow_table *
table(struct recs *rs, size_t max, uint64_t seed)
{
	struct flow_config	cfg;
	struct hash_key		key = { seed, ~seed };

	memset(rs, 0, sizeof(*rs));
	flow_config_default(&cfg);
	if (max)
		cfg.max_flows = max;
	return flow_table_new(&cfg, &key, collect, rs);
}

/* A packet from a.b.c.d:sp to e.f.g.h:dp. */
static struct pkt
pk(int64_t ts, const char *src, const char *dst, uint16_t sp, uint16_t dp,
    uint8_t proto, uint8_t flags, uint32_t len)
{
	struct pkt	p;
	unsigned	a[4], b[4];

	memset(&p, 0, sizeof(p));
	sscanf(src, "%u.%u.%u.%u", &a[0], &a[1], &a[2], &a[3]);
	sscanf(dst, "%u.%u.%u.%u", &b[0], &b[1], &b[2], &b[3]);
	for (int i = 0; i < 4; i++) {
		p.src[i] = (uint8_t)a[i];
		p.dst[i] = (uint8_t)b[i];
	}
	p.ts = ts;
	p.af = 4;
	p.proto = proto;
	p.sport = sp;
	p.dport = dp;
	p.tcp_flags = flags;
	p.ip_len = len;
	return p;
}

static void
feed(struct flow_table *ft, struct pkt p)
{
	flow_packet(ft, &p, NULL);
}

static void
test_tcp_session(void)
{
	struct recs		 rs;
	struct flow_table	*ft = table(&rs, 0, 1);

	/* Outside server sends first in the capture order? No: client SYN. */
	feed(ft, pk(1 * SEC, "10.20.1.11", "203.0.113.7", 40000, 443, 6, 0x02, 60));
	feed(ft, pk(1 * SEC + 1000, "203.0.113.7", "10.20.1.11", 443, 40000, 6, 0x12, 60));
	feed(ft, pk(1 * SEC + 2000, "10.20.1.11", "203.0.113.7", 40000, 443, 6, 0x10, 52));
	feed(ft, pk(2 * SEC, "10.20.1.11", "203.0.113.7", 40000, 443, 6, 0x11, 52));
	feed(ft, pk(2 * SEC + 10, "203.0.113.7", "10.20.1.11", 443, 40000, 6, 0x11, 52));
	CHECK_EQ(rs.n, 0);
	/* The closed flow lingers 10 s, then ends. */
	flow_advance(ft, 11 * SEC);
	CHECK_EQ(rs.n, 0);
	flow_advance(ft, 12 * SEC + 10);
	CHECK_EQ(rs.n, 1);
	CHECK_EQ(rs.r[0].reason, FLOW_R_END);
	CHECK_EQ(rs.r[0].state, FLOW_S_CLOSED);
	CHECK_EQ(rs.r[0].pkts[0], 3);
	CHECK_EQ(rs.r[0].pkts[1], 2);
	CHECK_EQ(rs.r[0].bytes[0], 164);
	CHECK_EQ(rs.r[0].bytes[1], 112);
	CHECK_EQ(rs.r[0].appliance_port, 40000);
	CHECK_EQ(rs.r[0].sides, 3);
	CHECK_EQ(rs.r[0].first, 1 * SEC);
	CHECK_EQ(rs.r[0].last, 2 * SEC + 10);
	CHECK_EQ(flow_stats(ft)->active, 0);

	/* Port reuse: a new SYN after the close is a new flow, a new id. */
	feed(ft, pk(20 * SEC, "10.20.1.11", "203.0.113.7", 40000, 443, 6, 0x02, 60));
	feed(ft, pk(20 * SEC + 5, "203.0.113.7", "10.20.1.11", 443, 40000, 6, 0x04, 40));
	feed(ft, pk(21 * SEC, "10.20.1.11", "203.0.113.7", 40000, 443, 6, 0x02, 60));
	flow_flush(ft);
	CHECK_EQ(rs.n, 3);
	CHECK_EQ(rs.r[1].state, FLOW_S_RESET);
	CHECK_EQ(rs.r[1].reason, FLOW_R_END);
	CHECK_EQ(rs.r[2].state, FLOW_S_ATTEMPT);
	CHECK_EQ(rs.r[2].reason, FLOW_R_SHUTDOWN);
	CHECK_EQ(rs.r[2].sides, 1);
	CHECK(rs.r[1].id != rs.r[2].id);
	CHECK(rs.r[0].id != rs.r[1].id);
	flow_table_free(ft);
}

static void
test_direction(void)
{
	struct recs		 rs;
	struct flow_table	*ft = table(&rs, 0, 2);

	/* Capture starts with the SYN-ACK: the receiver initiated. */
	feed(ft, pk(1 * SEC, "10.0.0.9", "10.0.0.1", 22, 50000, 6, 0x12, 60));
	/* Both public: a DNS answer seen first, initiator is the client. */
	feed(ft, pk(1 * SEC, "198.51.100.1", "203.0.113.1", 53, 33333, 17, 0, 80));
	/* The appliance side is the private one, whoever sent first. */
	feed(ft, pk(1 * SEC, "203.0.113.99", "100.64.1.1", 8443, 41000, 17, 0, 80));
	flow_flush(ft);
	CHECK_EQ(rs.n, 3);
	CHECK_EQ(rs.r[0].appliance_port, 50000);
	CHECK_EQ(rs.r[0].pkts[0], 0);
	CHECK_EQ(rs.r[0].pkts[1], 1);
	CHECK_EQ(rs.r[1].appliance_port, 33333);
	CHECK_EQ(rs.r[2].appliance_port, 41000);
	flow_table_free(ft);
}

static void
test_icmp(void)
{
	struct recs		 rs;
	struct flow_table	*ft = table(&rs, 0, 3);

	feed(ft, pk(1 * SEC, "203.0.113.1", "10.0.0.1", 0, 0, 1, 0, 84));
	feed(ft, pk(1 * SEC + 5, "10.0.0.1", "203.0.113.1", 8, 0, 1, 0, 84));
	feed(ft, pk(2 * SEC, "10.0.0.1", "203.0.113.1", 3, 3, 1, 0, 56));
	flow_flush(ft);
	CHECK_EQ(rs.n, 2);		/* echo pair, and the unreachable */
	CHECK_EQ(rs.r[0].pkts[0], 1);
	CHECK_EQ(rs.r[0].pkts[1], 1);
	flow_table_free(ft);
}

static void
test_timeouts(void)
{
	struct recs		 rs;
	struct flow_table	*ft = table(&rs, 0, 4);
	int			 i;
	uint64_t		 total = 0;

	/* UDP quiet for 90 s: two flows. */
	feed(ft, pk(0 * SEC + 1, "10.0.0.1", "203.0.113.1", 5000, 5001, 17, 0, 100));
	feed(ft, pk(90 * SEC, "10.0.0.1", "203.0.113.1", 5000, 5001, 17, 0, 100));
	CHECK_EQ(rs.n, 1);
	CHECK_EQ(rs.r[0].reason, FLOW_R_IDLE);
	flow_flush(ft);
	CHECK_EQ(rs.n, 2);
	CHECK(rs.r[0].id != rs.r[1].id);

	/* A TCP connection with a packet a minute for 12 minutes. */
	memset(&rs, 0, sizeof(rs));
	feed(ft, pk(1000 * SEC, "10.0.0.1", "203.0.113.1", 40000, 443, 6, 0x02, 60));
	feed(ft, pk(1000 * SEC + 5, "203.0.113.1", "10.0.0.1", 443, 40000, 6, 0x12, 60));
	for (i = 1; i <= 12; i++)
		feed(ft, pk((1000 + 60 * i) * SEC, "10.0.0.1", "203.0.113.1",
		    40000, 443, 6, 0x18, 100));
	flow_flush(ft);
	CHECK_EQ(rs.n, 3);
	CHECK_EQ(rs.r[0].reason, FLOW_R_ACTIVE);
	CHECK_EQ(rs.r[1].reason, FLOW_R_ACTIVE);
	CHECK_EQ(rs.r[2].reason, FLOW_R_SHUTDOWN);
	CHECK_EQ(rs.r[0].id, rs.r[1].id);
	CHECK_EQ(rs.r[1].id, rs.r[2].id);
	for (i = 0; i < rs.n; i++)
		total += rs.r[i].pkts[0] + rs.r[i].pkts[1];
	CHECK_EQ(total, 14);
	CHECK(rs.r[1].first > rs.r[0].last);
	flow_table_free(ft);
}

static void
test_eviction_and_vlan(void)
{
	struct recs		 rs;
	struct flow_table	*ft = table(&rs, 3, 5);
	struct pkt		 p;

	feed(ft, pk(1 * SEC, "10.0.0.1", "203.0.113.1", 1, 53, 17, 0, 60));
	feed(ft, pk(2 * SEC, "10.0.0.2", "203.0.113.1", 1, 53, 17, 0, 60));
	feed(ft, pk(3 * SEC, "10.0.0.3", "203.0.113.1", 1, 53, 17, 0, 60));
	feed(ft, pk(4 * SEC, "10.0.0.1", "203.0.113.1", 1, 53, 17, 0, 60));
	feed(ft, pk(5 * SEC, "10.0.0.4", "203.0.113.1", 1, 53, 17, 0, 60));
	CHECK_EQ(rs.n, 1);		/* 10.0.0.2, least recently seen */
	CHECK_EQ(rs.r[0].reason, FLOW_R_EVICTED);
	CHECK_EQ(rs.r[0].first, 2 * SEC);
	CHECK_EQ(flow_stats(ft)->evicted, 1);
	CHECK_EQ(flow_stats(ft)->active, 3);

	/* The same 5-tuple on another VLAN is another flow. */
	p = pk(6 * SEC, "10.0.0.4", "203.0.113.1", 1, 53, 17, 0, 60);
	p.nvlan = 1;
	p.vlan[0] = 20;
	flow_packet(ft, &p, NULL);
	CHECK_EQ(rs.n, 2);
	CHECK_EQ(flow_stats(ft)->created, 5);
	flow_table_free(ft);
}

/*
 * Many flows, IPv4 and IPv6, some in VLANs: the table grows (every flow is
 * placed again by the hash of its stored key) and every later packet, either
 * way, still finds its flow; the hash of a packet's key and of a stored key
 * must agree for that.  Then every flow ends through its chain.
 */
static void
test_growth(void)
{
	enum { N = 20000 };
	static struct flow	*first[N];
	struct recs		 rs;
	struct flow_table	*ft = table(&rs, 0, 11);
	struct pkt		 p;
	struct flow		*f;
	int			 i, dir, same = 0;

	for (dir = 0; dir < 2; dir++)
		for (i = 0; i < N; i++) {
			memset(&p, 0, sizeof(p));
			p.ts = SEC + dir * 1000 + i;
			p.af = i % 3 == 0 ? 6 : 4;
			p.proto = i % 2 ? 6 : 17;
			p.tcp_flags = 0x10;
			p.ip_len = 100;
			p.src[0] = 10;
			p.src[1] = (uint8_t)(i >> 8);
			p.src[2] = (uint8_t)i;
			p.src[3] = 7;
			p.dst[0] = 203;
			p.dst[3] = (uint8_t)(i % 5);
			if (p.af == 6) {
				p.src[15] = 1;
				p.dst[15] = 2;
			}
			p.sport = (uint16_t)(40000 + i % 1000);
			p.dport = 443;
			p.nvlan = i % 7 == 0 ? 2 : 0;
			p.vlan[0] = 100;
			p.vlan[1] = (uint16_t)(i % 4);
			if (dir == 1) {
				uint8_t		a[16];
				uint16_t	port = p.sport;

				memcpy(a, p.src, 16);
				memcpy(p.src, p.dst, 16);
				memcpy(p.dst, a, 16);
				p.sport = p.dport;
				p.dport = port;
			}
			f = flow_packet(ft, &p, NULL);
			if (dir == 0)
				first[i] = f;
			else
				same += f == first[i];
		}
	CHECK_EQ(flow_stats(ft)->created, N);
	CHECK_EQ(same, N);
	CHECK_EQ(flow_stats(ft)->active, N);
	flow_flush(ft);
	CHECK_EQ(flow_stats(ft)->active, 0);
	CHECK_EQ(flow_stats(ft)->records, N);
	flow_table_free(ft);
}

/* The same packets under two hash keys give the same records in order. */
static void
test_deterministic(void)
{
	struct recs		 a, b;
	struct flow_table	*fa = table(&a, 50, 6), *fb = table(&b, 50, 7);
	char			 src[32];
	int			 i;

	for (i = 0; i < 400; i++) {
		snprintf(src, sizeof(src), "10.0.%d.%d", i % 7, i % 97);
		feed(fa, pk(i * SEC / 3, src, "203.0.113.1", (uint16_t)i, 80, 6, 0x02, 60));
		feed(fb, pk(i * SEC / 3, src, "203.0.113.1", (uint16_t)i, 80, 6, 0x02, 60));
	}
	flow_flush(fa);
	flow_flush(fb);
	CHECK_EQ(a.n, 64);
	CHECK_EQ(b.n, 64);
	for (i = 0; i < 64; i++)
		CHECK_EQ(a.r[i].id, b.r[i].id);
	flow_table_free(fa);
	flow_table_free(fb);
}

#define DEF_MAX	20000

struct defrecs {
	struct rec	r[DEF_MAX];
	int		n;
};

/* Keep every record, for test_deferred. */
static void
collect_all(void *arg, const struct flow *f, enum flow_reason reason)
{
	struct defrecs	*rs = arg;
	struct rec	*r;

	if (rs->n >= DEF_MAX)
		return;
	r = &rs->r[rs->n++];
	memset(r, 0, sizeof(*r));
	r->id = f->id;
	r->reason = reason;
	r->state = f->state;
	r->pkts[0] = f->pkts[0];
	r->pkts[1] = f->pkts[1];
	r->bytes[0] = f->bytes[0];
	r->bytes[1] = f->bytes[1];
	r->first = f->first;
	r->last = f->last;
}

/* Records in a stable order: by id, then first packet. */
static int
rec_cmp(const void *a, const void *b)
{
	const struct rec	*x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	return 0;
}

/*
 * Deferred expiry (live) ends every flow as expiry on each packet does:
 * the same records, with the same reasons and counts, whatever slices
 * flow_expire is given, with the memory cap reached too.  (Active
 * timeouts are left out: their next record starts when the slice runs.)
 */
static void
test_deferred(void)
{
	static struct defrecs	 a, b;
	struct flow_config	 cfg;
	struct hash_key		 key = { 1, 2 };
	struct flow_table	*fa, *fb;
	char			 src[32], dst[32];
	uint64_t		 x = 88172645463325252ULL;
	int64_t			 ts = 0;
	int			 i, n, same = 0, pending = 0;
	uint8_t			 proto, flags;

	flow_config_default(&cfg);
	cfg.max_flows = 40;
	fa = flow_table_new(&cfg, &key, collect_all, &a);
	fb = flow_table_new(&cfg, &key, collect_all, &b);
	flow_set_deferred(fb, 1);
	for (i = 0; i < 6000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		ts += (int64_t)(x % 100) * SEC / 1000;	/* 0..99 ms */
		if (x % 97 == 0)
			ts += 70 * SEC;			/* past UDP's 60 s */
		n = (int)(x >> 20) % 60;
		proto = n % 3 == 0 ? 17 : 6;
		flags = (uint8_t[]){ 0x02, 0x12, 0x10, 0x10, 0x11, 0x04,
		    0x10, 0x18 }[(x >> 40) % 8];
		snprintf(src, sizeof(src), "10.0.0.%d", n % 13);
		snprintf(dst, sizeof(dst), "203.0.113.%d", n % 5);
		feed(fa, pk(ts, src, dst, (uint16_t)(1000 + n), 443, proto,
		    proto == 6 ? flags : 0, 60 + (uint32_t)(x % 900)));
		feed(fb, pk(ts, src, dst, (uint16_t)(1000 + n), 443, proto,
		    proto == 6 ? flags : 0, 60 + (uint32_t)(x % 900)));
		pending += flow_expire_pending(fb);
		if ((x >> 30) % 4 == 0)
			flow_expire(fb, ts, (size_t)((x >> 33) % 3));
	}
	flow_flush(fa);
	flow_advance(fb, ts);
	flow_flush(fb);
	CHECK(pending > 0);
	CHECK(flow_stats(fa)->evicted > 0);
	CHECK_EQ(flow_stats(fb)->evicted, flow_stats(fa)->evicted);
	CHECK_EQ(a.n, b.n);
	CHECK(a.n < DEF_MAX);
	qsort(a.r, (size_t)a.n, sizeof(a.r[0]), rec_cmp);
	qsort(b.r, (size_t)b.n, sizeof(b.r[0]), rec_cmp);
	for (i = 0; i < a.n && i < b.n; i++)
		same += memcmp(&a.r[i], &b.r[i], sizeof(a.r[i])) == 0;
	CHECK_EQ(same, a.n);
	flow_table_free(fa);
	flow_table_free(fb);
}

/* Configurations that would hang or overflow expiry are refused. */
static void
test_config_check(void)
{
	struct flow_config	cfg;

	flow_config_default(&cfg);
	CHECK(flow_config_check(&cfg) == NULL);
	cfg.active_timeout = 0;
	CHECK(flow_config_check(&cfg) != NULL);
	flow_config_default(&cfg);
	cfg.timeout[FLOW_C_UDP] = INT64_MAX;
	CHECK(flow_config_check(&cfg) != NULL);
	flow_config_default(&cfg);
	cfg.max_flows = 0;
	CHECK(flow_config_check(&cfg) != NULL);
}

/*
 * New settings for a running table (a reload): a longer UDP timeout keeps
 * an open flow that the old one would have ended; a shorter one ends it at
 * the next packet; a smaller cap evicts the least recently seen flows down
 * to it at once, and a larger one lets the table hold more again.
 */
static void
test_configure(void)
{
	struct recs		 rs;
	struct flow_table	*ft = table(&rs, 4, 8);
	struct flow_config	 cfg;

	flow_config_default(&cfg);
	cfg.max_flows = 4;
	cfg.timeout[FLOW_C_UDP] = 100 * SEC;
	flow_table_configure(ft, &cfg);
	feed(ft, pk(1 * SEC, "10.0.0.1", "203.0.113.1", 1, 53, 17, 0, 60));
	feed(ft, pk(2 * SEC, "10.0.0.2", "203.0.113.1", 1, 53, 17, 0, 60));
	feed(ft, pk(3 * SEC, "10.0.0.3", "203.0.113.1", 1, 53, 17, 0, 60));
	feed(ft, pk(70 * SEC, "10.0.0.4", "203.0.113.1", 1, 53, 17, 0, 60));
	CHECK_EQ(rs.n, 0);		/* 69 s idle: kept under 100 s */

	cfg.timeout[FLOW_C_UDP] = 30 * SEC;
	flow_table_configure(ft, &cfg);
	CHECK_EQ(rs.n, 0);		/* nothing ends before packet time moves */
	feed(ft, pk(71 * SEC, "10.0.0.4", "203.0.113.1", 1, 53, 17, 0, 60));
	CHECK_EQ(rs.n, 3);		/* the three idle past 30 s */
	CHECK_EQ(rs.r[0].reason, FLOW_R_IDLE);
	CHECK_EQ(flow_stats(ft)->active, 1);

	feed(ft, pk(72 * SEC, "10.0.0.5", "203.0.113.1", 1, 53, 17, 0, 60));
	feed(ft, pk(73 * SEC, "10.0.0.6", "203.0.113.1", 1, 53, 17, 0, 60));
	feed(ft, pk(74 * SEC, "10.0.0.7", "203.0.113.1", 1, 53, 17, 0, 60));
	CHECK_EQ(flow_stats(ft)->active, 4);
	cfg.max_flows = 2;
	flow_table_configure(ft, &cfg);
	CHECK_EQ(flow_stats(ft)->active, 2);
	CHECK_EQ(rs.n, 5);
	CHECK_EQ(rs.r[3].reason, FLOW_R_EVICTED);
	CHECK_EQ(rs.r[3].first, 70 * SEC);	/* .4: least recently seen */
	CHECK_EQ(rs.r[4].first, 72 * SEC);			/* then .5 */
	CHECK_EQ(flow_stats(ft)->evicted, 2);

	cfg.max_flows = 8;
	flow_table_configure(ft, &cfg);
	feed(ft, pk(75 * SEC, "10.0.0.8", "203.0.113.1", 1, 53, 17, 0, 60));
	feed(ft, pk(76 * SEC, "10.0.0.9", "203.0.113.1", 1, 53, 17, 0, 60));
	CHECK_EQ(flow_stats(ft)->active, 4);
	CHECK_EQ(flow_stats(ft)->evicted, 2);
	flow_table_free(ft);
}

int
main(void)
{
	test_tcp_session();
	test_direction();
	test_icmp();
	test_timeouts();
	test_eviction_and_vlan();
	test_deterministic();
	test_deferred();
	test_growth();
	test_config_check();
	test_configure();
	return test_done("test_flow");
}
