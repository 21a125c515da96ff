/* pdns.c: passive DNS, the names each appliance resolved, from answers to its own queries. */
#ifndef EGRESSD_PDNS_H
#define EGRESSD_PDNS_H

#include <stddef.h>
#include <stdint.h>

#define PDNS_QUERY_SLOTS	65536		/* outstanding queries remembered */
#define PDNS_QUERY_BUCKETS	32768
#define PDNS_QUERY_TIMEOUT	(30 * 1000000LL)
#define PDNS_TTL_FLOOR		300		/* seconds */
#define PDNS_TTL_CEIL		86400
#define PDNS_MAX_NAMES		262144

struct dns_msg;

/* What an appliance resolved to reach an address. */
struct pdns_name {
	const char	*name;		/* the name it asked for */
	const char	*cname;		/* "a,b" CNAME chain after it, or "" */
};

struct pdns_stats {
	uint64_t	queries;
	uint64_t	answers;
	uint64_t	unsolicited;	/* no query of that appliance matched */
	uint64_t	learned;
	uint64_t	refreshed;	/* the same name answered again */
	uint64_t	evicted;
	uint64_t	evicted_live;	/* ... before its TTL ran out */
	uint64_t	queries_lost;	/* given way before answered, in time */
	uint64_t	filter_rebuilds;
};

/*
 * The counters the summary and the stats line show (when not zero): why
 * a flow may have no name that its appliance did resolve.  X(field, name).
 */
#define PDNS_COUNTERS(X)						\
	X(evicted,	"pdns.names_evicted")				\
	X(evicted_live,	"pdns.names_evicted_unexpired")			\
	X(queries_lost,	"pdns.queries_given_way")

#define PDNS_ENUM(f, s)	PDNS_C_##f,
enum pdns_counter {
	PDNS_COUNTERS(PDNS_ENUM)
	PDNS_C_MAX
};
#undef PDNS_ENUM

struct pdns;

struct pdns	*pdns_new(size_t);
void		 pdns_free(struct pdns *);
void		 pdns_query(struct pdns *, uint8_t, const uint8_t *,
		    const uint8_t *, const struct dns_msg *, int64_t);
int		 pdns_answer(struct pdns *, uint8_t, const uint8_t *,
		    const uint8_t *, const struct dns_msg *, int64_t);
int		 pdns_lookup(struct pdns *, uint8_t, const uint8_t *,
		    const uint8_t *, int64_t, struct pdns_name *);
int		 pdns_lookup_expired(struct pdns *, uint8_t, const uint8_t *,
		    const uint8_t *, int64_t, struct pdns_name *);
const struct pdns_stats *pdns_stats(const struct pdns *);
const char	*pdns_counter_name(enum pdns_counter);
uint64_t	 pdns_counter(const struct pdns *, enum pdns_counter);

#endif
