/*
 * policy.c: the parsed configuration, one immutable object (parse.y builds
 * it), and the verdict of a flow under it.
 */
#ifndef EGRESSD_POLICY_H
#define EGRESSD_POLICY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "flow.h"

/* Defaults of the options that are not the flow table's. */
#define POLICY_DEFAULT_UNAPPROVED_WINDOW	(3600 * 1000000LL)
#define POLICY_DEFAULT_EXFIL_THRESHOLD		100000000ULL
#define POLICY_DEFAULT_EXFIL_WINDOW		(3600 * 1000000LL)

#define POLICY_MAX_NAMES	3

enum policy_verdict {
	POLICY_INTERNAL,	/* to a site-internal network */
	POLICY_APPROVED,	/* an allow rule of the group, or site DNS/NTP */
	POLICY_UNAPPROVED,	/* nothing allows it (or unknown appliance) */
	POLICY_DENIED,		/* a global deny rule */
	POLICY_UNREVIEWED	/* audit mode: no policy to judge by */
};

/* Where a destination name was learned; a bit each, strongest first. */
enum policy_evidence {
	POLICY_EV_DNS = 1,	/* the appliance resolved it to this address */
	POLICY_EV_TLS = 2,	/* TLS ClientHello SNI */
	POLICY_EV_HTTP = 4	/* HTTP Host */
};

enum policy_selector {
	POLICY_SEL_ADDR,
	POLICY_SEL_ASN,
	POLICY_SEL_COUNTRY,
	POLICY_SEL_DOMAIN
};

enum policy_action {
	POLICY_ALLOW,
	POLICY_DENY
};

/* An address or network; af 4 or 6, the bits past plen are zero. */
struct policy_prefix {
	uint8_t		 af;
	uint8_t		 plen;
	uint8_t		 addr[16];
	const char	*file;
	int		 line;
};

/* A group member: a prefix, or a MAC address when is_mac. */
struct policy_member {
	int			 is_mac;
	uint8_t			 mac[6];
	struct policy_prefix	 pfx;
};

struct policy_portrange {
	uint16_t	lo, hi;
};

/* Most-specific-prefix lookup: sorted disjoint spans, one table per af. */
struct policy_span {
	uint8_t		 start[16];
	const void	*value;		/* NULL: no prefix covers the span */
};
struct policy_ptable {
	struct policy_span	*spans;
	size_t			 nspans;
};
struct policy_pset {
	struct policy_ptable	 v4, v6;
};

struct policy_group;
struct policy_index;

/* One "allow to ..." of a group or a global "deny to ...". */
struct policy_rule {
	enum policy_action	 action;
	enum policy_selector	 sel;
	struct policy_prefix	*addrs;
	size_t			 naddrs;
	struct policy_pset	 addrset;
	uint32_t		*asns;
	size_t			 nasns;
	char			(*countries)[3];
	size_t			 ncountries;
	char			**domains;	/* lower case; "*.x" = below x */
	size_t			 ndomains;
	uint8_t			*protos;	/* none: any */
	size_t			 nprotos;
	struct policy_portrange	*ports;		/* none: any */
	size_t			 nports;
	const struct policy_group *group;	/* NULL for a deny */
	char			*name;		/* the rule in normal form */
	const char		*file;
	int			 line;
};

struct policy_group {
	char			 *name;
	char			 *vendor;
	char			 *model;
	struct policy_member	 *members;
	size_t			  nmembers;
	struct policy_rule	**rules;
	size_t			  nrules;
	struct policy_index	 *index;	/* of rules (policy_finish) */
	const char		 *file;
	int			  line;
};

struct policy_mac {
	uint8_t				 mac[6];
	const struct policy_member	*member;
	const struct policy_group	*group;
};

/* Global options; 0 or NULL: not set (the default applies). */
struct policy_options {
	char		*interface;
	char		*asn_db;
	char		*country_db;
	char		*database;
	char		*json;
	int64_t		 idle_timeout[FLOW_C_MAX];	/* microseconds */
	int64_t		 active_timeout;
	uint64_t	 max_flows;
	int64_t		 unapproved_window;
	uint64_t	 exfil_threshold;		/* bytes */
	int64_t		 exfil_window;
	int64_t		 database_retention;		/* us; 0: unset */
	uint64_t	 database_batch_rows;
	int64_t		 database_batch_interval;	/* us */
	/* the detectors' (alert_beacon.h, alert_long.h, alert_dns.h) */
	int64_t		 beacon_window;
	int64_t		 long_connection;
	int64_t		 dns_tunnel_window;
	uint64_t	 dns_tunnel_names;
	uint64_t	 dns_tunnel_encoded;
	uint64_t	 dns_tunnel_answers;
	uint64_t	 dns_tunnel_label;
	uint64_t	 dns_poll_count;
	int64_t		 dns_poll_spread;
	/* the live daemon's */
	char		*user;				/* to run as */
	int		 run_as_root;			/* 1: yes */
	char		*filter;			/* BPF, or NULL: built */
	uint64_t	 buffer_size;			/* bytes */
	int64_t		 stats_interval;		/* us */
	char		*stats_socket;			/* egressctl stats */
	uint64_t	 capture_loss;			/* drops an interval */
};

/*
 * "tunnel": the kinds of remote SPAN tunnel to enter (gre, erspan, vxlan:
 * kind i is DECODE_TUN_* 1 << i), each from anywhere or from listed
 * mirror sources only.
 */
#define POLICY_TUNNEL_KINDS	3
struct policy_tunnel {
	int			 given;
	struct policy_prefix	*from;		/* none: from anywhere */
	size_t			 nfrom;
};

/* How a syslog sink reaches its receiver. */
enum policy_syslog_transport {
	POLICY_SYSLOG_LOCAL,		/* the local socket (datagrams) */
	POLICY_SYSLOG_UDP,
	POLICY_SYSLOG_TCP,		/* RFC 6587 octet counting */
	POLICY_SYSLOG_TLS,		/* RFC 5425 */
};

/* What a syslog sink sends. */
enum policy_syslog_send {
	POLICY_SYSLOG_ALERTS,
	POLICY_SYSLOG_SERIES,		/* alerts and beacon series */
	POLICY_SYSLOG_ALL,		/* and every flow record */
};

/* A syslog sink: syslog "name" { ... }. */
struct policy_syslog {
	char				*name;
	const char			*file;
	int				 line;
	enum policy_syslog_transport	 transport;
	char				*host;		/* udp, tcp, tls */
	int				 port;		/* 0: the default */
	char				*path;		/* local; NULL: /dev/log */
	int				 format;	/* enum syslog_fmt */
	enum policy_syslog_send		 send;
	char				*ca, *cert, *key;	/* tls */
	char				*hostname;	/* NULL: this host's */
	int				 facility;	/* 0 to 23 */
	uint64_t			 queue_limit;	/* alerts waiting */
	int64_t				 wait;		/* us, at the end */
	unsigned int			 given;		/* bits: options set */
};

#define POLICY_SYSLOG_PORT_UDP		514
#define POLICY_SYSLOG_PORT_TCP		514
#define POLICY_SYSLOG_PORT_TLS		6514
#define POLICY_SYSLOG_QUEUE_LIMIT	100000
#define POLICY_SYSLOG_WAIT		(10 * 1000000LL)

/* The whole configuration.  Read-only once parse_config returns it. */
struct policy {
	struct policy_options	  opts;
	struct policy_tunnel	  tunnels[POLICY_TUNNEL_KINDS];
	struct policy_prefix	 *internal;
	size_t			  ninternal;
	struct policy_prefix	 *resolvers;
	size_t			  nresolvers;
	struct policy_prefix	 *ntp;
	size_t			  nntp;
	struct policy_group	**groups;
	size_t			  ngroups;
	struct policy_rule	**denies;
	size_t			  ndenies;
	struct policy_syslog	**syslogs;
	size_t			  nsyslogs;
	char			**files;	/* every file read, for file:line */
	size_t			  nfiles;
	/* Look-up tables built by policy_finish. */
	struct policy_pset	  internal_set;
	struct policy_pset	  resolver_set;
	struct policy_pset	  ntp_set;
	struct policy_pset	  member_set;
	struct policy_mac	 *macs;
	size_t			  nmacs;
	struct policy_index	 *deny_index;
};

/* A destination name and how it was learned. */
struct policy_name {
	const char		*name;
	enum policy_evidence	 evidence;
};

/* What is known of one flow; addresses are af-sized (4 or 16 bytes). */
struct policy_query {
	uint8_t			 af;		/* 4 or 6 */
	const uint8_t		*appliance_addr;	/* the appliance */
	const uint8_t		*appliance_mac;	/* or NULL */
	const uint8_t		*dst_addr;
	uint8_t			 proto;		/* IP protocol */
	uint16_t		 dport;
	uint32_t		 asn;		/* 0: unknown */
	const char		*country;	/* "" or NULL: unknown */
	struct policy_name	 names[POLICY_MAX_NAMES];
	int			 nnames;
};

struct policy_result {
	enum policy_verdict		 verdict;
	const struct policy_group	*group;		/* NULL: unknown */
	const struct policy_rule	*rule;		/* NULL: none */
	const char			*rule_name;	/* NULL: none */
	const char			*file;		/* where it was said */
	int				 line;
	unsigned int			 evidence;	/* POLICY_EV_* matched */
	const char			*name;		/* the name that matched */
};

typedef void (*policy_error_cb)(void *, const char *, int, const char *);

struct decoder;

/* parse.y */
char		*policy_bpf(const struct policy *, int, int);
struct policy	*parse_config(const char *);
struct policy	*parse_config_errors(const char *, FILE *);
struct policy	*parse_config_buffer(const char *, const char *, size_t,
		    FILE *);

/* policy.c */
struct policy	*policy_new(void);
void		 policy_free(struct policy *);
const char	*policy_file(struct policy *, const char *);
struct policy_group *policy_group_add(struct policy *, const char *,
		    const char *, int);
struct policy_group *policy_group_find(const struct policy *, const char *);
void		 policy_rule_add(struct policy *, struct policy_group *,
		    struct policy_rule *);
void		 policy_rule_free(struct policy_rule *);
int		 policy_finish(struct policy *, policy_error_cb, void *);
const struct policy_group *policy_group_of(const struct policy *, uint8_t,
		    const uint8_t *, const uint8_t *);
const struct policy_group *policy_group_of_mac(const struct policy *,
		    const uint8_t *);
int		 policy_is_internal(const struct policy *, uint8_t,
		    const uint8_t *);
int		 policy_is_outside(const struct policy *, uint8_t,
		    const uint8_t *);
int		 policy_is_resolver(const struct policy *, uint8_t,
		    const uint8_t *);
int		 policy_is_ntp_server(const struct policy *, uint8_t,
		    const uint8_t *);
void		 policy_query_flow(struct policy_query *, const struct flow *,
		    const uint8_t *, uint32_t, const char *);
void		 policy_query_name(struct policy_query *, const char *,
		    enum policy_evidence);
enum policy_verdict policy_verdict(const struct policy *,
		    const struct policy_query *, struct policy_result *);
enum policy_verdict policy_verdict_scan(const struct policy *,
		    const struct policy_query *, struct policy_result *);
int		 policy_rule_transport(const struct policy_rule *,
		    const struct policy_query *);
long		 policy_rules_first(struct policy_rule *const *, size_t,
		    const struct policy_query *, struct policy_result *);
const char	*policy_verdict_name(enum policy_verdict);
const char	*policy_evidence_name(unsigned int);
void		 policy_flow_config(const struct policy *,
		    struct flow_config *);
void		 policy_decode_config(const struct policy *,
		    struct decoder *);
int		 policy_country_valid(const char *);
int		 policy_domain_valid(const char *);
int		 policy_domain_match(const char *, const char *);
const char	*policy_flow_class_name(int);

/* policy_print.c */
void		 policy_print(FILE *, const struct policy *);
void		 policy_print_rule(FILE *, const struct policy_rule *);
char		*policy_rule_text(const struct policy_rule *);

#endif
