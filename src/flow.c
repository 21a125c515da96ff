/*
 * The flow table.  A flow is keyed on both ends (address, port), the IP
 * protocol and the VLAN ids, in a canonical order so both directions find
 * the same entry.  Buckets are chained, indexed by a keyed hash (SipHash,
 * random key) so nobody can flood one chain.
 *
 * Time is packet time.  Each timeout class keeps its flows on an LRU list in
 * order of their last packet, so expiry only ever looks at list heads; a
 * second queue in order of record start gives the active timeout.  When the
 * table is full, the least recently seen flow is evicted.  Records come out
 * in an order that depends only on the packets, never on the hash key.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "community_id.h"
#include "decode.h"
#include "flow.h"
#include "log.h"
#include "util.h"
#include "xmalloc.h"

_Static_assert(sizeof(struct flow_key) == 48, "flow key is six words");

#define FLOW_SLAB	4096		/* flows allocated at a time */
#define FLOW_MIN_BUCKETS 4096

#define TCP_FIN		0x01
#define TCP_SYN		0x02
#define TCP_RST		0x04
#define TCP_ACK		0x10

TAILQ_HEAD(flow_list, flow);

/* Flows allocated together; the array starts on a cache line, as a flow must. */
struct flow_slab {
	struct flow_slab	*next;
	struct flow		 flows[];
};

struct flow_table {
	struct flow_config	 cfg;
	struct hash_key		 key;
	flow_emit_cb		 emit;
	flow_release_cb		 release;
	flow_rank_cb		 rank;
	void			*rank_arg;
	void			*arg;
	struct flow		**buckets;
	size_t			 nbuckets;
	size_t			 max_buckets;
	struct flow_list	 idle[FLOW_C_MAX];
	struct flow_list	 active;	/* by record start */
	struct flow		*free;
	struct flow_slab	*slabs;
	size_t			 nslabs;
	size_t			 slab_flows;	/* flows per slab */
	int64_t			 clock;
	int64_t			 next_expire;	/* nothing expires before */
	int			 deferred;	/* expiry waits for flow_expire */
	struct flow_stats	 stats;
};

/* Defaults, stated in the README: the idle timeout of each class, active 5 min. */
void
flow_config_default(struct flow_config *cfg)
{
	cfg->timeout[FLOW_C_TCP_NEW] = 30 * 1000000LL;
	cfg->timeout[FLOW_C_TCP_EST] = 300 * 1000000LL;
	cfg->timeout[FLOW_C_TCP_CLOSED] = 10 * 1000000LL;
	cfg->timeout[FLOW_C_UDP] = 60 * 1000000LL;
	cfg->timeout[FLOW_C_ICMP] = 30 * 1000000LL;
	cfg->timeout[FLOW_C_OTHER] = 60 * 1000000LL;
	cfg->active_timeout = 300 * 1000000LL;
	cfg->max_flows = 1000000;
}

/*
 * Is a configuration usable?  Timeouts from 1 ms to 7 days, at least one
 * flow; NULL if so, else what is wrong.
 */
const char *
flow_config_check(const struct flow_config *cfg)
{
	int	c;

	for (c = 0; c < FLOW_C_MAX; c++)
		if (cfg->timeout[c] < 1000 || cfg->timeout[c] > FLOW_MAX_TIMEOUT)
			return "idle timeouts must be from 1 ms to 7 days";
	if (cfg->active_timeout < 1000 ||
	    cfg->active_timeout > FLOW_MAX_TIMEOUT)
		return "the active timeout must be from 1 ms to 7 days";
	if (cfg->max_flows < 1)
		return "the flow table must hold at least one flow";
	return NULL;
}

/*
 * Take settings (checked: a bad one is the caller's bug), and let the
 * bucket array grow as far as the cap needs; it never shrinks.
 */
static void
flow_set_config(struct flow_table *ft, const struct flow_config *cfg)
{
	const char	*why;

	if ((why = flow_config_check(cfg)) != NULL)
		fatalx("flow table: %s", why);
	ft->cfg = *cfg;
	while (ft->max_buckets < ft->cfg.max_flows)
		ft->max_buckets <<= 1;
}

/* A new empty table that hands finished records to emit. */
struct flow_table *
flow_table_new(const struct flow_config *cfg, const struct hash_key *key,
    flow_emit_cb emit, void *arg)
{
	struct flow_table	*ft;
	int			 c;

	ft = xcalloc(1, sizeof(*ft));
	ft->max_buckets = FLOW_MIN_BUCKETS;
	flow_set_config(ft, cfg);
	ft->slab_flows = ft->cfg.max_flows < FLOW_SLAB ? ft->cfg.max_flows :
	    FLOW_SLAB;
	ft->key = *key;
	ft->emit = emit;
	ft->arg = arg;
	ft->nbuckets = FLOW_MIN_BUCKETS;
	ft->next_expire = INT64_MAX;
	for (c = 0; c < FLOW_C_MAX; c++)
		TAILQ_INIT(&ft->idle[c]);
	TAILQ_INIT(&ft->active);
	ft->buckets = xcalloc(ft->nbuckets, sizeof(*ft->buckets));
	return ft;
}

/* Free the table without emitting anything. */
void
flow_table_free(struct flow_table *ft)
{
	struct flow_slab	*s, *next;

	if (ft == NULL)
		return;
	for (s = ft->slabs; s != NULL; s = next) {
		next = s->next;
		free(s);
	}
	free(ft->buckets);
	free(ft);
}

/* The bucket of a key. */
static size_t
flow_bucket(const struct flow_table *ft, const struct flow_key *k)
{
	return hash_fast(&ft->key, k, sizeof(*k)) & (ft->nbuckets - 1);
}

/*
 * Put a flow at the head of bucket b's chain.  Each flow knows what points
 * at it, so that it leaves its chain without its bucket being found again
 * (hashed, read and walked) when it ends.
 */
static void
flow_chain(struct flow_table *ft, struct flow *f, size_t b)
{
	f->hnext = ft->buckets[b];
	if (f->hnext != NULL)
		f->hnext->hprev = &f->hnext;
	ft->buckets[b] = f;
	f->hprev = &ft->buckets[b];
}

/* Double the bucket array while the load is above one and the cap allows. */
static void
flow_grow(struct flow_table *ft)
{
	struct flow	**old = ft->buckets, *f, *next;
	size_t		  i, n = ft->nbuckets;

	ft->nbuckets = n * 2;
	ft->buckets = xcalloc(ft->nbuckets, sizeof(*ft->buckets));
	for (i = 0; i < n; i++) {
		for (f = old[i]; f != NULL; f = next) {
			next = f->hnext;
			flow_chain(ft, f, flow_bucket(ft, &f->key));
		}
	}
	free(old);
}

/* Take a flow from the free list, allocating a slab when it is empty. */
static struct flow *
flow_alloc(struct flow_table *ft)
{
	struct flow_slab	*s;
	struct flow		*f;
	size_t			 i;

	if (ft->free == NULL) {
		s = xaligned(_Alignof(struct flow),
		    sizeof(*s) + ft->slab_flows * sizeof(struct flow));
		s->next = ft->slabs;
		ft->slabs = s;
		ft->nslabs++;
		for (i = ft->slab_flows; i > 0; i--) {
			s->flows[i - 1].hnext = ft->free;
			ft->free = &s->flows[i - 1];
		}
	}
	f = ft->free;
	ft->free = f->hnext;
	memset(f, 0, sizeof(*f));
	return f;
}

/* Emit the current record of a flow, if it has one. */
static void
flow_emit(struct flow_table *ft, struct flow *f, enum flow_reason r)
{
	if (f->pkts[0] + f->pkts[1] == 0)
		return;
	ft->stats.records++;
	ft->emit(ft->arg, f, r);
}

/*
 * Decide the appliance side of new flows by rank (higher wins, equal: the
 * initiator) instead of by private address space, which is the default.
 */
void
flow_set_rank(struct flow_table *ft, flow_rank_cb rank, void *arg)
{
	ft->rank = rank;
	ft->rank_arg = arg;
}

/* Have release called on every flow that ends, after its last record. */
void
flow_set_release(struct flow_table *ft, flow_release_cb release)
{
	ft->release = release;
}

/*
 * Emit a flow's last record and return it to the free list.  Unlinking
 * writes into its neighbours in the hash chain and in both queues, flows
 * long out of the cache: they are fetched first, while the record is
 * made.  The next in its idle queue is the one expiry reads next.
 */
static void
flow_finish(struct flow_table *ft, struct flow *f, enum flow_reason r)
{
	struct flow	*n;

	__builtin_prefetch(f->hprev, 1);
	if ((n = f->hnext) != NULL)
		__builtin_prefetch(&n->hprev, 1);
	if ((n = TAILQ_NEXT(f, idle_entry)) != NULL) {
		__builtin_prefetch(&n->key, 1);
		__builtin_prefetch(&n->idle_entry, 1);
	}
	__builtin_prefetch(f->active_entry.tqe_prev, 1);
	if ((n = TAILQ_NEXT(f, active_entry)) != NULL)
		__builtin_prefetch(&n->active_entry, 1);
	flow_emit(ft, f, r);
	if (ft->release != NULL)
		ft->release(ft->arg, f);
	*f->hprev = f->hnext;
	if (f->hnext != NULL)
		f->hnext->hprev = f->hprev;
	TAILQ_REMOVE(&ft->idle[f->cls], f, idle_entry);
	TAILQ_REMOVE(&ft->active, f, active_entry);
	f->hnext = ft->free;
	ft->free = f;
	ft->stats.active--;
}

/* Note a time at which something may expire. */
static inline void
flow_deadline(struct flow_table *ft, int64_t t)
{
	if (t < ft->next_expire)
		ft->next_expire = t;
}

/* Report a long flow's record and start a new one under the same id. */
static void
flow_active_record(struct flow_table *ft, struct flow *f, int64_t now)
{
	flow_emit(ft, f, FLOW_R_ACTIVE);
	f->pkts[0] = f->pkts[1] = 0;
	f->bytes[0] = f->bytes[1] = 0;
	f->truncated = 0;
	f->rec_start = now;
	TAILQ_REMOVE(&ft->active, f, active_entry);
	TAILQ_INSERT_TAIL(&ft->active, f, active_entry);
}

/*
 * Expire on packet time, at most max flows (records) in one call: flows
 * idle past their class's timeout end, and flows whose record is older
 * than the active timeout are reported and start a new record under the
 * same id.  Returns 1 when more is due than max allowed.
 */
int
flow_expire(struct flow_table *ft, int64_t now, size_t max)
{
	struct flow	*f;
	int		 c;

	if (now > ft->clock)
		ft->clock = now;
	for (c = 0; c < FLOW_C_MAX; c++) {
		while (max > 0 && (f = TAILQ_FIRST(&ft->idle[c])) != NULL &&
		    f->last + ft->cfg.timeout[c] <= now) {
			flow_finish(ft, f, c == FLOW_C_TCP_CLOSED ?
			    FLOW_R_END : FLOW_R_IDLE);
			max--;
		}
	}
	while (max > 0 && (f = TAILQ_FIRST(&ft->active)) != NULL &&
	    f->rec_start + ft->cfg.active_timeout <= now) {
		flow_active_record(ft, f, now);
		max--;
	}
	ft->next_expire = INT64_MAX;
	for (c = 0; c < FLOW_C_MAX; c++)
		if ((f = TAILQ_FIRST(&ft->idle[c])) != NULL)
			flow_deadline(ft, f->last + ft->cfg.timeout[c]);
	if ((f = TAILQ_FIRST(&ft->active)) != NULL)
		flow_deadline(ft, f->rec_start + ft->cfg.active_timeout);
	return ft->next_expire <= now;
}

/* Expire everything due on packet time (see flow_expire). */
void
flow_advance(struct flow_table *ft, int64_t now)
{
	flow_expire(ft, now, SIZE_MAX);
}

/*
 * Live: the packet path does no expiry but of the flow a packet belongs
 * to; the rest is left to flow_expire, in slices, between reads of the
 * capture, so a mass expiry never holds packets up.  Each flow still ends
 * as it would have: a packet of a flow past its time first ends it (or
 * reports its active record), and the memory cap ends a flow past its
 * time as idle, not evicted.
 */
void
flow_set_deferred(struct flow_table *ft, int on)
{
	ft->deferred = on;
}

/* Is expiry due that has not been done (deferred, or cut by max)? */
int
flow_expire_pending(const struct flow_table *ft)
{
	return ft->next_expire <= ft->clock;
}

/*
 * Deferred expiry: end f first if it is past its idle time (NULL), or
 * report its record if past the active timeout.
 */
static struct flow *
flow_overdue(struct flow_table *ft, struct flow *f, int64_t ts)
{
	if (f->last + ft->cfg.timeout[f->cls] <= ts) {
		flow_finish(ft, f, f->cls == FLOW_C_TCP_CLOSED ? FLOW_R_END :
		    FLOW_R_IDLE);
		return NULL;
	}
	if (f->rec_start + ft->cfg.active_timeout <= ts)
		flow_active_record(ft, f, ts);
	return f;
}

/* Evict the least recently seen flow of any class. */
static void
flow_evict(struct flow_table *ft)
{
	struct flow	*f, *oldest = NULL;
	int		 c;

	for (c = 0; c < FLOW_C_MAX; c++) {
		f = TAILQ_FIRST(&ft->idle[c]);
		if (f != NULL && ft->deferred &&
		    f->last + ft->cfg.timeout[c] <= ft->clock) {
			flow_overdue(ft, f, ft->clock);	/* its time had come */
			return;
		}
		if (f != NULL && (oldest == NULL || f->last < oldest->last))
			oldest = f;
	}
	if (oldest == NULL)
		return;
	ft->stats.evicted++;
	flow_finish(ft, oldest, FLOW_R_EVICTED);
}

/*
 * New settings for a running table (a reload): the timeouts apply to every
 * flow at once, open ones included (what they make due ends at the next
 * expiry, on packet time), and a smaller cap evicts the least recently
 * seen flows down to it now.  The bucket array may grow to a larger cap;
 * it never shrinks.
 */
void
flow_table_configure(struct flow_table *ft, const struct flow_config *cfg)
{
	size_t	before;

	flow_set_config(ft, cfg);
	while (ft->stats.active > ft->cfg.max_flows) {
		before = ft->stats.active;
		flow_evict(ft);
		if (ft->stats.active == before)
			break;
	}
	ft->next_expire = INT64_MIN;	/* found again at the next expiry */
}

/* Is this ICMP type the answer half of a request/reply pair? */
static int
flow_icmp_is_reply(uint8_t af, uint8_t type)
{
	int	reply;

	community_id_icmp_counterpart(af, type, &reply);
	return reply;
}

/*
 * The little-endian word of four 16-bit fields in memory: each field's
 * bytes in host order, as the key stores them.
 */
static inline uint64_t
flow_le16x4(uint16_t a, uint16_t b, uint16_t c, uint16_t d)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	a = __builtin_bswap16(a);
	b = __builtin_bswap16(b);
	c = __builtin_bswap16(c);
	d = __builtin_bswap16(d);
#endif
	return (uint64_t)a | (uint64_t)b << 16 | (uint64_t)c << 32 |
	    (uint64_t)d << 48;
}

/* A flow key as the little-endian words of its bytes (flow_key_make). */
struct flow_kw {
	uint64_t	w[6];
};

/* Is a stored key the one of these words? */
static inline int
flow_key_eq_w(const struct flow_key *a, const struct flow_kw *kw)
{
	const uint8_t	*x = (const uint8_t *)a;

	return ((hash_load64(x) ^ kw->w[0]) | (hash_load64(x + 8) ^ kw->w[1]) |
	    (hash_load64(x + 16) ^ kw->w[2]) |
	    (hash_load64(x + 24) ^ kw->w[3]) |
	    (hash_load64(x + 32) ^ kw->w[4]) |
	    (hash_load64(x + 40) ^ kw->w[5])) == 0;
}

/* The key of these words, in memory. */
static void
flow_key_store(struct flow_key *k, const struct flow_kw *kw)
{
	int	i;

	for (i = 0; i < 6; i++)
		hash_store64((uint8_t *)k + 8 * i, kw->w[i]);
}

/* 4 bytes at p, big-endian: address order. */
static inline uint32_t
flow_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* 8 bytes at p, big-endian. */
static inline uint64_t
flow_be64(const uint8_t *p)
{
	return (uint64_t)flow_be32(p) << 32 | flow_be32(p + 4);
}

/*
 * Build the canonical key of a packet, as the six little-endian words of
 * its bytes, and its hash (*h, flow_bucket's); returns the side that sent
 * it.  The words are put together in registers and hashed and compared
 * from there: a key stored in memory and read straight back would wait for
 * its stores on every packet (a load wider than the stores that wrote it,
 * or not aligned with them, is not forwarded).
 */
static inline __attribute__((always_inline)) int
flow_key_make(const struct flow_table *ft, const struct pkt *p,
    struct flow_kw *kw, uint64_t *h)
{
	size_t		 alen = p->af == 4 ? 4 : 16;
	uint16_t	 sport = p->sport, dport = p->dport, lo, hi;
	uint16_t	 v0 = p->nvlan > 0 ? p->vlan[0] : 0;
	uint16_t	 v1 = p->nvlan > 1 ? p->vlan[1] : 0;
	const uint8_t	*a0, *a1;
	int		 cmp, cp, reply, dir;

	if (p->proto == 1 || p->proto == 58) {
		cp = community_id_icmp_counterpart(p->af, (uint8_t)p->sport,
		    &reply);
		if (cp >= 0)
			dport = (uint16_t)cp;
	}
	/* memcmp order of the addresses, without a call */
	if (alen == 4)
		cmp = (flow_be32(p->src) > flow_be32(p->dst)) -
		    (flow_be32(p->src) < flow_be32(p->dst));
	else if (flow_be64(p->src) != flow_be64(p->dst))
		cmp = flow_be64(p->src) < flow_be64(p->dst) ? -1 : 1;
	else
		cmp = (flow_be64(p->src + 8) > flow_be64(p->dst + 8)) -
		    (flow_be64(p->src + 8) < flow_be64(p->dst + 8));
	dir = !(cmp < 0 || (cmp == 0 && sport <= dport));
	a0 = dir ? p->dst : p->src;
	a1 = dir ? p->src : p->dst;
	lo = dir ? dport : sport;
	hi = dir ? sport : dport;
	/* the key's bytes as little-endian words */
	hash_addr_words(p->af, a0, kw->w);
	hash_addr_words(p->af, a1, kw->w + 2);
	kw->w[4] = flow_le16x4(lo, hi, v0, v1);
	kw->w[5] = (uint64_t)p->af | (uint64_t)p->proto << 8;
	*h = hash_fast_w(&ft->key, kw->w, 6);
	return dir;
}

/*
 * A stable flow id: hash_fast, under a fixed key, of the key's six words
 * and the first packet's time.  Fixed, so every run over a capture gives
 * the same ids; five multiplies, where a byte-at-a-time hash of the 56
 * bytes cost 56 dependent ones on every new flow.
 */
static uint64_t
flow_id(const struct flow_key *k, int64_t start)
{
	static const struct hash_key	idkey = {
		0x5be0cd19137e2179ULL, 0x1f83d9abfb41bd6bULL
	};
	uint64_t			w[7];
	int				i;

	for (i = 0; i < 6; i++)
		w[i] = hash_load64((const uint8_t *)k + 8 * i);
	w[6] = (uint64_t)start;
	return hash_fast_w(&idkey, w, 7);
}

/* Which side began the conversation, judged from its first packet. */
static int
flow_initiator(const struct pkt *p, int dir)
{
	switch (p->proto) {
	case 6:
		if (p->tcp_flags & TCP_SYN)
			return (p->tcp_flags & TCP_ACK) ? !dir : dir;
		break;
	case 1:
	case 58:
		return flow_icmp_is_reply(p->af, (uint8_t)p->sport) ? !dir : dir;
	case 17:
		break;
	default:
		return dir;
	}
	/* Mid-stream: a well-known port answering an ephemeral one. */
	if (p->sport < 1024 && p->dport >= 1024)
		return !dir;
	return dir;
}

/* The timeout class of a flow in its state. */
static enum flow_class
flow_class_of(const struct flow *f)
{
	switch (f->key.proto) {
	case 6:
		switch (f->state) {
		case FLOW_S_ATTEMPT:
			return FLOW_C_TCP_NEW;
		case FLOW_S_CLOSED:
		case FLOW_S_RESET:
			return FLOW_C_TCP_CLOSED;
		default:
			return FLOW_C_TCP_EST;
		}
	case 17:
		return FLOW_C_UDP;
	case 1:
	case 58:
		return FLOW_C_ICMP;
	default:
		return FLOW_C_OTHER;
	}
}

/* Follow the TCP handshake and teardown from one packet's flags. */
static void
flow_tcp_update(struct flow *f, int dir, uint8_t flags)
{
	f->tcpf[dir] |= flags;
	if (flags & TCP_RST)
		f->state = FLOW_S_RESET;
	else if (flags & TCP_FIN)
		f->state = (f->tcpf[!dir] & TCP_FIN) ? FLOW_S_CLOSED :
		    FLOW_S_CLOSING;
	else if (f->state == FLOW_S_ATTEMPT && dir != f->init)
		f->state = FLOW_S_ESTABLISHED;
}

/* A new flow for the packet's key, evicting first if the table is full. */
static struct flow *
flow_create(struct flow_table *ft, const struct flow_key *k, size_t b,
    const struct pkt *p, int dir, int64_t ts)
{
	struct flow	*f;
	int		 priv0, priv1;

	if (ft->stats.active >= ft->cfg.max_flows) {
		flow_evict(ft);
		b = flow_bucket(ft, k);
	}
	f = flow_alloc(ft);
	f->key = *k;
	f->start = f->first = f->rec_start = ts;
	f->id = flow_id(k, ts);
	f->nvlan = p->nvlan;
	f->init = (uint8_t)flow_initiator(p, dir);
	if (ft->rank != NULL) {
		priv0 = ft->rank(ft->rank_arg, k->af, k->addr[0]);
		priv1 = ft->rank(ft->rank_arg, k->af, k->addr[1]);
	} else {
		priv0 = util_addr_private(k->af, k->addr[0]);
		priv1 = util_addr_private(k->af, k->addr[1]);
	}
	f->appliance = priv0 != priv1 ? (uint8_t)(priv1 > priv0) : f->init;
	if (k->proto == 1 || k->proto == 58) {
		f->icmp_type = (uint8_t)p->sport;
		f->icmp_code = (uint8_t)p->dport;
	}
	if (k->proto == 6) {
		if ((p->tcp_flags & (TCP_SYN | TCP_ACK)) == TCP_SYN)
			f->state = FLOW_S_ATTEMPT;
		else if (p->tcp_flags & TCP_SYN)
			f->state = FLOW_S_ESTABLISHED;
		else
			f->state = FLOW_S_MIDSTREAM;
	}
	f->cls = (uint8_t)flow_class_of(f);
	flow_chain(ft, f, b);
	TAILQ_INSERT_TAIL(&ft->idle[f->cls], f, idle_entry);
	TAILQ_INSERT_TAIL(&ft->active, f, active_entry);
	flow_deadline(ft, ts + ft->cfg.active_timeout);
	ft->stats.created++;
	if (++ft->stats.active > ft->stats.peak)
		ft->stats.peak = ft->stats.active;
	if (ft->stats.active > ft->nbuckets && ft->nbuckets < ft->max_buckets)
		flow_grow(ft);
	return f;
}

/*
 * Count one decoded packet to its flow; the flow, and in *hit (if not NULL)
 * the side that sent it, whether it began the flow and how long the flow
 * had been quiet.
 */
struct flow *
flow_packet(struct flow_table *ft, const struct pkt *p, struct flow_hit *hit)
{
	struct flow_key	 k;
	struct flow_kw	 kw;
	struct flow	*f;
	size_t		 b;
	uint64_t	 h;
	int64_t		 ts = p->ts, idle = 0;
	int		 dir, cls, created = 0;

	if (ts < ft->clock) {
		ft->stats.ts_backwards++;
		ts = ft->clock;
	}
	ft->clock = ts;
	if (ts >= ft->next_expire && !ft->deferred)
		flow_advance(ft, ts);
	dir = flow_key_make(ft, p, &kw, &h);
	b = h & (ft->nbuckets - 1);
	for (f = ft->buckets[b]; f != NULL; f = f->hnext)
		if (flow_key_eq_w(&f->key, &kw))
			break;
	if (f != NULL && ft->deferred)
		f = flow_overdue(ft, f, ts);
	if (f != NULL && p->proto == 6 &&
	    (f->state == FLOW_S_CLOSED || f->state == FLOW_S_RESET) &&
	    (p->tcp_flags & (TCP_SYN | TCP_ACK)) == TCP_SYN) {
		/* The 5-tuple is reused by a new connection. */
		flow_finish(ft, f, FLOW_R_END);
		b = h & (ft->nbuckets - 1);
		f = NULL;
	}
	if (f == NULL) {
		flow_key_store(&k, &kw);
		f = flow_create(ft, &k, b, p, dir, ts);
		created = 1;
	} else {
		idle = ts - f->last;
		if (f->pkts[0] + f->pkts[1] == 0)
			f->first = ts;
	}
	f->pkts[dir]++;
	f->bytes[dir] += p->ip_len;
	f->sides |= (uint8_t)(1 << dir);
	f->last = ts;
	f->truncated |= p->truncated;
	if (p->proto == 6)
		flow_tcp_update(f, dir, p->tcp_flags);
	cls = flow_class_of(f);
	TAILQ_REMOVE(&ft->idle[f->cls], f, idle_entry);
	f->cls = (uint8_t)cls;
	TAILQ_INSERT_TAIL(&ft->idle[cls], f, idle_entry);
	flow_deadline(ft, ts + ft->cfg.timeout[cls]);
	if (hit != NULL) {
		hit->dir = dir;
		hit->created = created;
		hit->idle = idle;
	}
	return f;
}

/*
 * The live flow a packet belongs to, or NULL: nothing is counted, created
 * or moved (a SPAN copy dropped by the decoder is told to its flow).
 */
struct flow *
flow_find(struct flow_table *ft, const struct pkt *p)
{
	struct flow_kw	 kw;
	struct flow	*f;
	uint64_t	 h;

	(void)flow_key_make(ft, p, &kw, &h);
	for (f = ft->buckets[h & (ft->nbuckets - 1)]; f != NULL; f = f->hnext)
		if (flow_key_eq_w(&f->key, &kw))
			return f;
	return NULL;
}

/* Report every remaining flow, in the order their records began. */
void
flow_flush(struct flow_table *ft)
{
	struct flow	*f;

	while ((f = TAILQ_FIRST(&ft->active)) != NULL)
		flow_finish(ft, f, FLOW_R_SHUTDOWN);
}

/* Counters of the table. */
const struct flow_stats *
flow_stats(const struct flow_table *ft)
{
	return &ft->stats;
}

/* Bytes the table holds: slabs and buckets. */
size_t
flow_memory(const struct flow_table *ft)
{
	return sizeof(*ft) + ft->nslabs * (sizeof(struct flow_slab) +
	    ft->slab_flows * sizeof(struct flow)) +
	    ft->nbuckets * sizeof(*ft->buckets);
}

/* The name of a state for the records. */
const char *
flow_state_name(enum flow_state s)
{
	static const char	*names[] = { "active", "attempt", "established",
	    "midstream", "closing", "closed", "reset" };

	return (size_t)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

/* The name of an end reason for the records. */
const char *
flow_reason_name(enum flow_reason r)
{
	static const char	*names[] = { "end", "idle", "active",
	    "evicted", "shutdown" };

	return (size_t)r < sizeof(names) / sizeof(names[0]) ? names[r] : "?";
}
