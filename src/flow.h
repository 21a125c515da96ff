/* flow.c: the bidirectional flow table, its timeouts and its memory cap. */
#ifndef EGRESSD_FLOW_H
#define EGRESSD_FLOW_H

#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>

#include "hash.h"

struct pkt;
struct flow_app;
struct geo_info;

/* Which timeout governs a flow; each class is its own LRU list. */
enum flow_class {
	FLOW_C_TCP_NEW,		/* SYN seen, no answer yet */
	FLOW_C_TCP_EST,		/* established or mid-stream */
	FLOW_C_TCP_CLOSED,	/* FIN both ways or RST */
	FLOW_C_UDP,
	FLOW_C_ICMP,
	FLOW_C_OTHER,
	FLOW_C_MAX
};

enum flow_state {
	FLOW_S_ACTIVE,		/* not TCP */
	FLOW_S_ATTEMPT,		/* SYN only */
	FLOW_S_ESTABLISHED,
	FLOW_S_MIDSTREAM,	/* no handshake seen */
	FLOW_S_CLOSING,		/* FIN from one side */
	FLOW_S_CLOSED,		/* FIN from both sides */
	FLOW_S_RESET,
};

enum flow_reason {
	FLOW_R_END,		/* TCP closed or reset, and the linger passed */
	FLOW_R_IDLE,
	FLOW_R_ACTIVE,		/* long flow: a record every active timeout */
	FLOW_R_EVICTED,		/* table full */
	FLOW_R_SHUTDOWN,
};

/* Both ends in a canonical order: side 0 sorts before side 1. */
struct flow_key {
	uint8_t		addr[2][16];
	uint16_t	port[2];
	uint16_t	vlan[2];
	uint8_t		af;
	uint8_t		proto;
	uint8_t		pad[6];		/* 48 bytes: whole hash blocks */
};

/*
 * A flow: 192 bytes, aligned to a cache line.  What every packet of it
 * reads or writes is in the first two lines (the key and the chain, its
 * counters and its place in the idle list); the third holds what its
 * first packet and its records use.
 */
struct flow {
	/* line 0: the look-up */
	_Alignas(64) struct flow_key key;
	struct flow	*hnext;			/* hash chain */
	int64_t		 last;		/* last packet of this record */
	/* line 1: every packet */
	uint64_t	 pkts[2], bytes[2];	/* this record, sent by side i */
	TAILQ_ENTRY(flow) idle_entry;		/* idle list of its class */
	struct flow_app	*app;			/* application layer, or NULL */
	uint8_t		 appliance;	/* side of the appliance */
	uint8_t		 sides;		/* bit i: side i sent something, ever */
	uint8_t		 tcpf[2];	/* TCP flags seen from each side */
	uint8_t		 state;		/* enum flow_state */
	uint8_t		 cls;		/* enum flow_class */
	uint8_t		 truncated;	/* a packet of this record was cut */
	uint8_t		 app_flags;	/* FLOW_APP_*, for app.c */
	/* line 2: the first packet, the records */
	uint32_t	 app_seq;	/* next client byte expected */
	uint8_t		 init;		/* side that initiated */
	uint8_t		 nvlan;
	uint8_t		 icmp_type, icmp_code;	/* first packet, from init */
	int64_t		 first;		/* first packet of this record */
	int64_t		 start;		/* first packet of the flow */
	int64_t		 rec_start;	/* when this record began (queue order) */
	uint64_t	 id;
	TAILQ_ENTRY(flow) active_entry;		/* active-timeout queue */
	struct flow	**hprev;	/* what points at it in its chain */
};

_Static_assert(sizeof(struct flow) == 192, "a flow is three cache lines");

#define FLOW_APP_SEQ	0x01		/* app_seq is known */
#define FLOW_APP_DONE	0x02		/* client bytes no longer read */
#define FLOW_APP_BEAT_NAME 0x04		/* detect.c: a beat awaits its name */
#define FLOW_APP_BEAT_HELD 0x08		/* alert_beacon.c: its first beat
					   waits for what the request is */
#define FLOW_APP_PKI_NOTED 0x10		/* alert_beacon.c: its request's kind
					   noted for its service */
#define FLOW_APP_FAR_OPEN 0x20		/* alert_beacon.c: the far side began
					   the exchange, unanswered yet */
#define FLOW_APP_HEARD	0x40		/* alert_beacon.c: the appliance spoke
					   after a quiet spell, or answered */

/* What is known of a flow's destination when its record is written. */
struct flow_meta {
	const struct geo_info	*geo;		/* ASN and country, or NULL */
	const char		*domain;	/* destination.domain, or NULL */
	const char		*name_source;	/* "dns", "tls" or "http" */
	const char		*cname;		/* "a,b" after the name, or NULL */
	const char		*verdict;	/* egressd.verdict */
	const char		*group;		/* egressd.group, or NULL */
	const char		*rule;		/* rule.name, or NULL */
	const char		*rule_at;	/* egressd.rule "file:line" */
	const char		*evidence;	/* what matched a domain rule */
};

struct flow_config {
	int64_t		timeout[FLOW_C_MAX];	/* microseconds */
	int64_t		active_timeout;
	size_t		max_flows;
};

struct flow_stats {
	uint64_t	created;
	uint64_t	records;
	uint64_t	evicted;
	uint64_t	ts_backwards;
	size_t		active;
	size_t		peak;
};

/* What one packet did to its flow. */
struct flow_hit {
	int		dir;		/* the side of the key that sent it */
	int		created;	/* it began the flow */
	int64_t		idle;		/* since the flow's last packet, us */
};

typedef void (*flow_emit_cb)(void *, const struct flow *, enum flow_reason);
typedef void (*flow_release_cb)(void *, struct flow *);
typedef int (*flow_rank_cb)(void *, uint8_t, const uint8_t *);

struct flow_table;

#define FLOW_MAX_TIMEOUT	(7 * 86400 * 1000000LL)

void	flow_config_default(struct flow_config *);
const char *flow_config_check(const struct flow_config *);
struct flow_table *flow_table_new(const struct flow_config *,
	    const struct hash_key *, flow_emit_cb, void *);
void	flow_table_free(struct flow_table *);
void	flow_table_configure(struct flow_table *,
	    const struct flow_config *);
void	flow_set_release(struct flow_table *, flow_release_cb);
void	flow_set_rank(struct flow_table *, flow_rank_cb, void *);
struct flow *flow_packet(struct flow_table *, const struct pkt *,
	    struct flow_hit *);
struct flow *flow_find(struct flow_table *, const struct pkt *);
void	flow_advance(struct flow_table *, int64_t);
int	flow_expire(struct flow_table *, int64_t, size_t);
void	flow_set_deferred(struct flow_table *, int);
int	flow_expire_pending(const struct flow_table *);
void	flow_flush(struct flow_table *);
const struct flow_stats *flow_stats(const struct flow_table *);
size_t	flow_memory(const struct flow_table *);
const char *flow_state_name(enum flow_state);
const char *flow_reason_name(enum flow_reason);

#endif
