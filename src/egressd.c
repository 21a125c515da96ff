/*
 * egressd: audit where the appliances of a site send their traffic.
 * Offline (-r capture ...) it prints an audit summary and writes JSON lines;
 * live (-i interface) it runs on a libevent loop until SIGTERM.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <linux/capability.h>

#include "alert.h"
#include "alert_beacon.h"
#include "alert_capture.h"
#include "alert_dns.h"
#include "alert_record.h"
#include "app.h"
#include "beacon.h"
#include "capture.h"
#include "clock.h"
#include "decode.h"
#include "domain.h"
#include "event.h"
#include "flow.h"
#include "geo.h"
#include "hash.h"
#include "log.h"
#include "mac.h"
#include "notify.h"
#include "pdns.h"
#include "policy.h"
#include "record.h"
#include "sink.h"
#include "sink_json.h"
#include "sink_sqlite.h"
#include "sink_summary.h"
#include "sink_syslog.h"
#include "syslog_msg.h"
#include "util.h"
#include "xmalloc.h"

#define EGRESSD_USER		"egressd"
#define EGRESSD_CONF		"/etc/egressd/egressd.conf"
#define EGRESSD_SNAPLEN		262144
#define EGRESSD_BUFSIZE		(64 * 1024 * 1024)
#define EGRESSD_STATS_EVERY	60	/* seconds */
#define EGRESSD_STATUS_EVERY	5	/* seconds, to the service manager */
#define EGRESSD_EXPIRE_SLICE	1024	/* flows ended between two reads */
#define EGRESSD_REOPEN_MAX	10	/* seconds between tries, at most */

/* What the command line says. */
struct egressd_opts {
	const char	 *ifname;
	const char	 *jpath;		/* -j, or NULL */
	const char	 *wpath;		/* -w, or NULL */
	const char	**files;
	int		  nfiles;
	const char	 *asn_db, *country_db;	/* NULL: look for them */
	const char	 *conffile;
	int		  verbose, foreground, checkconf;
	int		  no_beacons, threads, force;
	int		  allow_root;		/* --allow-root */
	const char	 *stats_socket;		/* --stats-socket */
	unsigned int	  tunnels;		/* DECODE_TUN_* */
	int		  tunnels_given;	/* --tunnel, --vxlan */
};

/* Everything one run holds; the only mutable state outside the modules. */
struct egressd {
	struct decoder		*dec;
	struct clock		*clock;		/* the packet clock */
	struct flow_table	*flows;
	struct geo		*geo;
	struct app		*app;
	struct sinks		*sinks;
	struct alert_windows	*windows;
	struct alert_record	*alerts;	/* on records */
	struct alert_beacon	*beacons;	/* NULL: --no-beacons */
	struct alert_dns	*dns;		/* look-ups and tunnels, or NULL */
	struct domain		*domains;	/* registered domains, or NULL */
	struct record		*rec;
	const struct policy	*policy;	/* NULL: audit mode */
	struct policy		*owned;		/* the policy, after a reload */
	const char		*conffile;	/* read again on SIGHUP */
	struct mac_table	*macs;		/* listed MACs seen, or NULL */
	struct capture		*live;		/* NULL: live and lost */
	struct event_base	*base;
	int64_t			 first_ts, last_ts;	/* the clock's */
	uint64_t		 read;		/* frames read, held or not */
	int64_t			 read_first, read_last;	/* their times */
	time_t			 last_stats;
	/* live mode */
	const char		*ifname;
	struct event		*rev;		/* the capture's descriptor */
	struct event		*expire;	/* expiry left for later */
	struct event		*retry;		/* the next try to reopen */
	struct event		*watchdog;	/* WATCHDOG=1, or NULL */
	time_t			 last_status;
	int			 retry_wait;	/* seconds */
	time_t			 down_since;	/* 0: capturing */
	int64_t			 wall;		/* the tick's packet time */
	uint64_t		 kdrops_closed;	/* drops of handles closed: */
	uint64_t		 ifdrops_closed;	/* kernel, interface */
	uint64_t		 kdrops_seen;	/* at the last stats */
	uint64_t		 ifdrops_seen;
	struct capture_live_opts copts;		/* how the interface opens */
	time_t			 stats_every;	/* seconds */
	uint64_t		 loss_threshold;	/* drops an interval */
	int			 ctl_fd;	/* egressctl stats, or -1 */
	struct event		*ctl_ev;
	const char		*ctl_path;
	time_t			 started;
	uint64_t		 reopens;
	int			 caps_kept;	/* CAP_NET_RAW kept, not root */
};

enum {
	OPT_VERSION = 256,
	OPT_HELP,
	OPT_ASN_DB,
	OPT_COUNTRY_DB,
	OPT_NO_BEACONS,
	OPT_THREADS,
	OPT_VXLAN,
	OPT_FORCE,
	OPT_ALLOW_ROOT,
	OPT_TUNNEL,
	OPT_STATS_SOCKET,
};

static const struct option egressd_longopts[] = {
	{ "version",	no_argument,		NULL, OPT_VERSION },
	{ "help",	no_argument,		NULL, OPT_HELP },
	{ "asn-db",	required_argument,	NULL, OPT_ASN_DB },
	{ "country-db",	required_argument,	NULL, OPT_COUNTRY_DB },
	{ "no-beacons",	no_argument,		NULL, OPT_NO_BEACONS },
	{ "threads",	required_argument,	NULL, OPT_THREADS },
	{ "vxlan",	no_argument,		NULL, OPT_VXLAN },
	{ "force",	no_argument,		NULL, OPT_FORCE },
	{ "allow-root",	no_argument,		NULL, OPT_ALLOW_ROOT },
	{ "tunnel",	required_argument,	NULL, OPT_TUNNEL },
	{ "stats-socket", required_argument,	NULL, OPT_STATS_SOCKET },
	{ NULL,		0,			NULL, 0 }
};

/* The synopsis, to stderr on a usage error or to stdout for --help. */
static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: egressd [-dtv] [-c config] [-i interface | -r capture "
	    "[capture ...]]\n"
	    "               [-j events.jsonl] [-w audit.db] [--asn-db FILE] "
	    "[--country-db FILE]\n"
	    "               [--no-beacons] [--threads 1|2] "
	    "[--tunnel gre,erspan,vxlan]\n"
	    "               [--force] [--allow-root] [--stats-socket PATH]\n"
	    "  -c FILE     the policy configuration (default with -t: "
	    EGRESSD_CONF ")\n"
	    "  -t          check the configuration and exit; -tv prints it\n"
	    "  -r FILE...  read pcap/pcapng captures, in order, as one stream\n"
	    "  -i IFACE    capture live on IFACE (needs CAP_NET_RAW)\n"
	    "  -j FILE     write flow records as JSON lines (- for stdout)\n"
	    "  -w FILE     the SQLite audit store (see egressctl)\n"
	    "  -d          stay in the foreground, log to stderr\n"
	    "  -v          more verbose (repeat for debug)\n"
	    "  --version   print the version\n"
	    "  --asn-db FILE, --country-db FILE\n"
	    "              MaxMind-format databases (GeoLite2, DB-IP); default:\n"
	    "              asn.mmdb, country.mmdb beside the capture, else\n"
	    "              GeoLite2-*.mmdb in /var/lib/GeoIP, /usr/share/GeoIP\n"
	    "  --no-beacons  no beacon detection (flows and policy alerts only)\n"
	    "  --threads N   1: one thread; 2: beacon detection, and writing\n"
	    "              the JSON lines, in threads of their own (default\n"
	    "              when it may use more than one CPU); the results\n"
	    "              are the same\n"
	    "  --tunnel KINDS  the mirror arrives in these tunnels (gre, erspan,\n"
	    "              vxlan): decode the frames inside too (off by\n"
	    "              default: any host can send them); --vxlan is\n"
	    "              --tunnel vxlan\n"
	    "  --force     with -w: read captures the store holds already\n"
	    "  --allow-root  keep running as root (else egressd gives it up\n"
	    "              for the configured user once its files are open)\n"
	    "  --stats-socket PATH  with -i: the stats socket, in place of the\n"
	    "              configuration's stats-socket (one per instance)\n");
}

/* Where databases are looked for when no option names one. */
static const char *egressd_asn_names[] = {
	"asn.mmdb", "/var/lib/GeoIP/GeoLite2-ASN.mmdb",
	"/usr/share/GeoIP/GeoLite2-ASN.mmdb", NULL
};
static const char *egressd_country_names[] = {
	"country.mmdb", "/var/lib/GeoIP/GeoLite2-Country.mmdb",
	"/usr/share/GeoIP/GeoLite2-Country.mmdb",
	"/var/lib/GeoIP/GeoLite2-City.mmdb",
	"/usr/share/GeoIP/GeoLite2-City.mmdb", NULL
};

/*
 * The first readable database of a list: a relative name is looked for
 * beside the first capture file (so a case folder can carry its own), an
 * absolute one where geoipupdate puts them.  NULL if none.
 */
static char *
egressd_find_db(const char **names, const char *capture)
{
	const char	*slash;
	char		 path[4096];
	int		 i, n;

	for (i = 0; names[i] != NULL; i++) {
		if (names[i][0] != '/') {
			if (capture == NULL || strcmp(capture, "-") == 0)
				continue;
			slash = strrchr(capture, '/');
			n = slash ? (int)(slash - capture) + 1 : 0;
			snprintf(path, sizeof(path), "%.*s%s", n, capture,
			    names[i]);
		} else
			snprintf(path, sizeof(path), "%s", names[i]);
		if (access(path, R_OK) == 0)
			return xstrdup(path);
	}
	return NULL;
}

/* A finished flow record: named and written out on the record path. */
static void
egressd_flow(void *arg, const struct flow *f, enum flow_reason r)
{
	struct egressd	*e = arg;

	record_flow(e->rec, f, r);
}

/* A flow ends: forget its application layer. */
static void
egressd_release(void *arg, struct flow *f)
{
	struct egressd	*e = arg;

	app_flow_free(e->app, f);
}

/*
 * Which side of a new flow is the appliance: a member of a group over a
 * host of the internal networks over anything else (equal: the initiator).
 */
static int
egressd_rank(void *arg, uint8_t af, const uint8_t *addr)
{
	struct egressd		*e = arg;
	const struct policy	*p = e->policy;

	if (policy_group_of(p, af, addr, mac_of(e->macs, af, addr)) != NULL)
		return 2;
	if (p->ninternal > 0 ? policy_is_internal(p, af, addr) :
	    util_addr_private(af, addr))
		return 1;
	return 0;
}

/* One decoded packet: count it to its flow, read its payload. */
static void
egressd_flow_packet(struct egressd *e, const struct pkt *p)
{
	struct flow	*f;
	struct flow_hit	 hit;

	if (e->macs != NULL && p->has_mac &&
	    policy_group_of_mac(e->policy, p->mac) != NULL)
		mac_learn(e->macs, p->af, p->src, p->mac);
	f = flow_packet(e->flows, p, &hit);
	app_packet(e->app, f, hit.dir, p);
	if (e->beacons != NULL)
		alert_beacon_packet(e->beacons, f, &hit, p);
}

/* A SPAN copy the decoder dropped: told to its flow. */
static void
egressd_duplicate(struct egressd *e, const struct pkt *p)
{
	struct flow	*f;

	if ((f = flow_find(e->flows, p)) != NULL)
		app_duplicate(e->app, f);
}

/*
 * One captured frame, at the packet clock's time: decode it, and count
 * each packet in it (a tunnel's datagram and the packet inside) to its
 * flow.
 */
static void
egressd_frame(void *arg, int dlt, const uint8_t *data, size_t caplen,
    size_t len, int64_t ts)
{
	struct egressd		*e = arg;
	struct pkt		 p;
	enum decode_result	 r;

	if (e->first_ts == 0 || ts < e->first_ts)
		e->first_ts = ts;
	if (ts > e->last_ts)
		e->last_ts = ts;
	r = decode_packet(e->dec, dlt, data, caplen, len, ts, &p);
	for (; r != DECODE_END; r = decode_next(e->dec, &p))
		if (r == DECODE_OK)
			egressd_flow_packet(e, &p);
		else if (r == DECODE_DUP)
			egressd_duplicate(e, &p);
}

/*
 * One captured frame: counted to its capture file as read, then through
 * the packet clock (clock.c) to egressd_frame.
 */
static void
egressd_packet(void *arg, int dlt, const uint8_t *data, size_t caplen,
    size_t len, int64_t ts)
{
	struct egressd	*e = arg;

	e->read++;
	if (e->read_first == 0 || ts < e->read_first)
		e->read_first = ts;
	if (ts > e->read_last)
		e->read_last = ts;
	if (clock_pass(e->clock, ts))
		egressd_frame(e, dlt, data, caplen, len, ts);
	else
		clock_packet(e->clock, dlt, data, caplen, len, ts,
		    egressd_frame, e);
}

/*
 * The CPUs this process may run on (its affinity mask: taskset, a
 * container's cpuset), else those online.
 */
static long
egressd_cpus(void)
{
#ifdef CPU_COUNT
	cpu_set_t	set;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		return CPU_COUNT(&set);
#endif
	return sysconf(_SC_NPROCESSORS_ONLN);
}

/* Seconds of a monotonic clock, for the speed of a run. */
static double
egressd_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#define EGRESSD_CAP_NET_RAW	(1u << CAP_NET_RAW)

/* Set this process's permitted and effective capabilities (of the first 32). */
static int
egressd_capset(uint32_t permitted, uint32_t effective)
{
	struct __user_cap_header_struct	hdr;
	struct __user_cap_data_struct	data[_LINUX_CAPABILITY_U32S_3];

	memset(&hdr, 0, sizeof(hdr));
	memset(data, 0, sizeof(data));
	hdr.version = _LINUX_CAPABILITY_VERSION_3;
	data[0].permitted = permitted;
	data[0].effective = effective;
	return (int)syscall(SYS_capset, &hdr, data);
}

/*
 * Give up root once every capture handle and output is open: to user (the
 * configuration's), else the egressd user, else nobody; never to root
 * itself.  With as_root (run-as-root yes, --allow-root) root stays, said.
 * Live (keep_raw), the user keeps CAP_NET_RAW in its permitted set only,
 * and nothing else, to open the interface again when it comes back
 * (egressd_live_reopen): the descriptor it holds can send on that
 * interface anyway.  Returns whether CAP_NET_RAW was kept that way.
 */
static int
egressd_drop_privileges(int keep_raw, const char *user, int as_root)
{
	struct passwd	*pw;

	if (geteuid() != 0)
		return 0;
	if (as_root) {
		log_warnx("running as root, as told (run-as-root yes or "
		    "--allow-root)");
		return 0;
	}
	if (user != NULL) {
		if ((pw = getpwnam(user)) == NULL)
			fatalx("user %s: no such user", user);
	} else if ((pw = getpwnam(EGRESSD_USER)) == NULL &&
	    (pw = getpwnam("nobody")) == NULL)
		fatalx("no user %s or nobody to run as", EGRESSD_USER);
	if (pw->pw_uid == 0 || pw->pw_gid == 0)
		fatalx("user %s is root's uid or gid: egressd does not keep "
		    "running as root unless told (run-as-root yes, "
		    "--allow-root)", pw->pw_name);
	if (keep_raw && prctl(PR_SET_KEEPCAPS, 1L, 0L, 0L, 0L) == -1)
		fatal("prctl PR_SET_KEEPCAPS");
	if (setgroups(1, &pw->pw_gid) == -1 ||
	    setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) == -1 ||
	    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) == -1)
		fatal("cannot drop privileges to %s", pw->pw_name);
	if (keep_raw && (egressd_capset(EGRESSD_CAP_NET_RAW, 0) == -1 ||
	    prctl(PR_SET_KEEPCAPS, 0L, 0L, 0L, 0L) == -1))
		fatal("cannot keep CAP_NET_RAW");
	if (setuid(0) != -1 || seteuid(0) != -1 || setgid(0) != -1 ||
	    setegid(0) != -1)
		fatalx("still able to become root after dropping privileges");
	log_info("running as %s%s", pw->pw_name,
	    keep_raw ? ", CAP_NET_RAW kept to reopen the interface" : "");
	return keep_raw;
}

/* Every counter of the run, in the order the summary lists them. */
static void
egressd_counters(struct egressd *e, struct event_counters *c)
{
	const struct flow_stats	*fs = flow_stats(e->flows);
	const struct alert_stats *as = alert_stats(e->windows);
	char			 name[EVENT_COUNTER_NAME];
	int			 k;

	for (k = 0; k < DC_MAX; k++)
		event_counter(c, decode_counter_name((enum decode_counter)k),
		    e->dec->counters[k]);
	for (k = 0; k < 256; k++)
		if (e->dec->other_proto[k] != 0) {
			snprintf(name, sizeof(name), "decode.ip.proto.%d", k);
			event_counter(c, name, e->dec->other_proto[k]);
		}
	event_counter(c, "flow.ts_backwards", fs->ts_backwards);
	for (k = 0; k < APP_C_MAX; k++)
		event_counter(c, app_counter_name((enum app_counter)k),
		    e->app->counters[k]);
	for (k = 0; k < PDNS_C_MAX; k++)
		event_counter(c, pdns_counter_name((enum pdns_counter)k),
		    pdns_counter(e->app->pdns, (enum pdns_counter)k));
	if (e->geo != NULL) {
		event_counter(c, "geo.lookups", geo_stats(e->geo)->lookups);
		event_counter_share(c, "geo.cache_hits",
		    geo_stats(e->geo)->hits, "geo.lookups");
	}
	if (e->beacons != NULL)
		alert_beacon_counters(e->beacons, c);
	if (e->dns != NULL)
		alert_dns_counters(e->dns, c);
	event_counter(c, "alert.suppressed", as->suppressed);
	event_counter(c, "alert.states_evicted", as->states_evicted);
	event_counter(c, "alert.copy_flows", alert_record_copy_flows(e->alerts));
	event_counter(c, "clock.future_held", clock_stats(e->clock)->held);
	event_counter(c, "clock.future_outliers",
	    clock_stats(e->clock)->outliers);
	event_counter(c, "clock.before_1970", clock_stats(e->clock)->before_1970);
	sinks_lost(e->sinks, c);
}

/*
 * The end of an offline run: the sinks get every beacon series as it
 * stands, then the counters with what the run was.
 */
static void
egressd_finish(struct egressd *e, const struct egressd_opts *o, double secs)
{
	const struct flow_stats	*fs = flow_stats(e->flows);
	const uint64_t		*dc = e->dec->counters;
	struct event_counters	 c;
	struct event_run	 run;

	if (e->beacons != NULL)
		alert_beacon_series(e->beacons);
	sinks_flush(e->sinks);		/* what is lost is known now */
	memset(&run, 0, sizeof(run));
	run.files = o->files;
	run.nfiles = o->nfiles;
	run.first_ts = e->first_ts;
	run.last_ts = e->last_ts;
	run.seconds = secs;
	run.audit = e->policy == NULL;
	run.policy = e->policy != NULL ? o->conffile : NULL;
	run.asn_db = e->geo != NULL ? geo_path(e->geo, 0) : NULL;
	run.country_db = e->geo != NULL ? geo_path(e->geo, 1) : NULL;
	run.packets = dc[DC_PACKETS];
	run.flow_packets = dc[DC_FLOW_PACKETS];
	run.flow_bytes = dc[DC_FLOW_BYTES];
	run.duplicates = dc[DC_DUPLICATE];
	run.truncated = dc[DC_TRUNCATED];
	run.flows = fs->created;
	run.records = fs->records;
	run.evicted = fs->evicted;
	run.peak = fs->peak;
	memset(&c, 0, sizeof(c));
	egressd_counters(e, &c);
	c.run = &run;
	sinks_counters(e->sinks, &c);
	event_counters_free(&c);
}

/*
 * Open every capture file, or say why not; NULL if any failed.  want_sum:
 * the store takes their SHA-256 (filesum.c).
 */
static struct capture **
egressd_open_files(const char **files, int nfiles, int want_sum)
{
	struct capture	**caps;
	char		  err[CAPTURE_ERRLEN];
	int		  i, failed = 0;

	caps = xcalloc((size_t)nfiles, sizeof(*caps));
	for (i = 0; i < nfiles; i++) {
		if ((caps[i] = capture_open_file(files[i], want_sum, err,
		    sizeof(err))) == NULL) {
			log_warnx("%s: %s", files[i], err);
			failed = 1;
		} else if (!capture_is_pcapng(caps[i]) &&
		    !decode_dlt_supported(capture_dlt(caps[i]))) {
			/*
			 * Only pcap files: a pcapng file may mix interfaces,
			 * and the packets of one egressd does not decode are
			 * counted (decode.link.unsupported).
			 */
			log_warnx("%s: link type %d (%s) is not supported",
			    files[i], capture_dlt(caps[i]),
			    capture_dlt_name(caps[i]));
			failed = 1;
		}
	}
	if (!failed)
		return caps;
	for (i = 0; i < nfiles; i++)
		capture_close(caps[i]);
	free(caps);
	return NULL;
}

/*
 * Read capture file i, the sinks told before (one may say it is not to be
 * read: the store has it) and after, with its packets and span.  -1 if it
 * broke off (said).
 */
static int
egressd_file(struct egressd *e, const struct egressd_opts *o,
    struct capture *cap, int i)
{
	struct event_capture	ev;
	char			err[CAPTURE_ERRLEN];
	int			rv = 0;

	memset(&ev, 0, sizeof(ev));
	ev.path = o->files[i];
	ev.index = i;
	ev.sum = capture_sum(cap);
	if (sinks_capture(e->sinks, &ev) == 1)
		return 0;
	/*
	 * The file's own packets and span, as read: the packet clock may
	 * hold the last of them until the next file says where time is.
	 */
	e->read = 0;
	e->read_first = e->read_last = 0;
	if (capture_read(cap, egressd_packet, e, err, sizeof(err)) == -1) {
		log_warnx("%s: %s; the packets before it are kept", o->files[i],
		    err);
		ev.cut = 1;
		rv = -1;
	}
	ev.done = 1;
	ev.packets = e->read;
	ev.first_ts = e->read_first;
	ev.last_ts = e->read_last;
	sinks_capture(e->sinks, &ev);
	return rv;
}

/* Read every capture file in order; the exit status. */
static int
egressd_offline(struct egressd *e, const struct egressd_opts *o)
{
	struct capture	**caps;
	double		  t0;
	int		  i, status = 0;

	if ((caps = egressd_open_files(o->files, o->nfiles,
	    o->wpath != NULL)) == NULL)
		return 1;
	egressd_drop_privileges(0, e->policy != NULL ? e->policy->opts.user :
	    NULL, o->allow_root || (e->policy != NULL &&
	    e->policy->opts.run_as_root));
	t0 = egressd_now();
	for (i = 0; i < o->nfiles; i++) {
		if (egressd_file(e, o, caps[i], i) == -1)
			status = 1;
		/*
		 * Read: its buffers go now (the clock holds copies of the
		 * packets it holds), so that a run over many files keeps
		 * one file's, not all of them.
		 */
		capture_close(caps[i]);
		caps[i] = NULL;
	}
	clock_flush(e->clock, egressd_frame, e);
	alert_beacon_flush(e->beacons);
	flow_flush(e->flows);
	egressd_finish(e, o, egressd_now() - t0);
	free(caps);
	return status;
}

/* The drops so far, kernel and interface, of every handle opened. */
static void
egressd_drops(struct egressd *e, uint64_t *kdrop, uint64_t *ifdrop)
{
	uint64_t	recv = 0, k = 0, i = 0;

	if (e->live != NULL)
		capture_stats(e->live, &recv, &k, &i);
	*kdrop = e->kdrops_closed + k;
	*ifdrop = e->ifdrops_closed + i;
}

/*
 * What waits in the sinks, for the stats line and the status: "; queues:
 * store N rows, syslog NAME N alerts", or "" when no sink has a queue.
 */
static void
egressd_queues(struct egressd *e, char *buf, size_t len)
{
	struct sink_queue	q[SINKS_MAX];
	size_t			i, n, off;
	int			w;

	buf[0] = '\0';
	n = sinks_queues(e->sinks, q, SINKS_MAX);
	for (i = 0, off = 0; i < n && off < len; i++, off += (size_t)w)
		if ((w = snprintf(buf + off, len - off, "%s%s%s%s %llu %s",
		    i == 0 ? "; queues: " : ", ", q[i].kind,
		    q[i].name != NULL ? " " : "", q[i].name != NULL ?
		    q[i].name : "", (unsigned long long)q[i].n,
		    q[i].unit)) < 0)
			break;
}

/* Log the counters of a live run. */
static void
egressd_log_stats(struct egressd *e)
{
	const struct flow_stats		*fs = flow_stats(e->flows);
	const struct beacon_stats	*bs;
	static const struct beacon_stats none;
	uint64_t			 kdrop, ifdrop;
	char				 down[96] = "";
	char				 queues[512];

	bs = e->beacons != NULL ?	/* every beat fed */
	    beacon_stats(alert_beacon_detector(e->beacons)) : &none;
	egressd_drops(e, &kdrop, &ifdrop);
	if (e->live == NULL)
		snprintf(down, sizeof(down), "; %s down for %lld s, reopening",
		    e->ifname, (long long)(time(NULL) - e->down_since));
	egressd_queues(e, queues, sizeof(queues));
	log_warnx("stats: %llu packets, %llu kernel drops, %llu interface "
	    "drops, %llu duplicates (%llu past a mirror's), %zu live flows, "
	    "%llu records, %llu evicted, %llu records lost, %llu alerts; "
	    "%llu names evicted unexpired; %llu beacon series, %llu evicted, "
	    "%llu periodic; %llu reopens%s%s",
	    (unsigned long long)e->dec->counters[DC_PACKETS],
	    (unsigned long long)kdrop, (unsigned long long)ifdrop,
	    (unsigned long long)e->dec->counters[DC_DUPLICATE],
	    (unsigned long long)e->dec->counters[DC_DUPLICATE_EXCESS],
	    fs->active,
	    (unsigned long long)fs->records,
	    (unsigned long long)fs->evicted,
	    (unsigned long long)sinks_lost_total(e->sinks),
	    (unsigned long long)sinks_alerts(e->sinks),
	    (unsigned long long)pdns_counter(e->app->pdns,
	    PDNS_C_evicted_live),
	    (unsigned long long)bs->series,
	    (unsigned long long)(bs->evicted + bs->evicted_appliance),
	    (unsigned long long)bs->periodic,
	    (unsigned long long)e->reopens, down, queues);
}

/*
 * The drops since the last check: a capture-loss alert when they reach
 * the threshold (capture-loss-threshold).
 */
static void
egressd_check_loss(struct egressd *e, int64_t now, time_t secs)
{
	struct alert_capture_loss	l;
	uint64_t			kdrop, ifdrop;

	egressd_drops(e, &kdrop, &ifdrop);
	memset(&l, 0, sizeof(l));
	l.kernel = kdrop - e->kdrops_seen;
	l.interface = ifdrop - e->ifdrops_seen;
	e->kdrops_seen = kdrop;
	e->ifdrops_seen = ifdrop;
	if (l.kernel + l.interface == 0 ||
	    l.kernel + l.interface < e->loss_threshold)
		return;
	l.ifname = e->ifname;
	l.ts = now;
	l.interval = (int64_t)secs * 1000000;
	l.threshold = e->loss_threshold;
	log_warnx("%s: %llu packets dropped in %lld s: capture-loss",
	    e->ifname, (unsigned long long)(l.kernel + l.interface),
	    (long long)secs);
	alert_capture_loss(e->sinks, &l);
}

/*
 * Open the interface for live capture and check its link type; NULL
 * (said) if not.  With CAP_NET_RAW kept after root was given up, it is
 * raised for the open only.
 */
static struct capture *
egressd_live_open(const struct capture_live_opts *o, const char *ifname,
    int caps_kept, int quiet)
{
	struct capture			*c;
	char				 err[CAPTURE_ERRLEN];

	if (caps_kept && egressd_capset(EGRESSD_CAP_NET_RAW,
	    EGRESSD_CAP_NET_RAW) == -1)
		log_warn("raising CAP_NET_RAW");
	c = capture_open_live(ifname, o, err, sizeof(err));
	if (caps_kept && egressd_capset(EGRESSD_CAP_NET_RAW, 0) == -1)
		fatal("lowering CAP_NET_RAW");
	if (c == NULL) {
		if (quiet)
			log_info("%s: %s", ifname, err);
		else
			log_warnx("%s: %s", ifname, err);
		return NULL;
	}
	if (!decode_dlt_supported(capture_dlt(c))) {
		log_warnx("%s: link type %d (%s) is not supported", ifname,
		    capture_dlt(c), capture_dlt_name(c));
		capture_close(c);
		return NULL;
	}
	return c;
}

/*
 * The time expiry runs on: the newest packet the packet clock let
 * through, or the tick's clock.
 */
static int64_t
egressd_live_clock(const struct egressd *e)
{
	return e->last_ts > e->wall ? e->last_ts : e->wall;
}

/* Have what expiry is due done after the next reads, a slice at a time. */
static void
egressd_live_expire_soon(struct egressd *e)
{
	if (flow_expire_pending(e->flows))
		event_active(e->expire, EV_TIMEOUT, 0);
}

/*
 * Flows due to end, a slice at a time (EGRESSD_EXPIRE_SLICE): the loop
 * reads the capture between two slices, so a million flows ending at
 * once never hold packets up.
 */
static void
egressd_live_expire(evutil_socket_t fd, short what, void *arg)
{
	struct egressd	*e = arg;

	if (flow_expire(e->flows, egressd_live_clock(e), EGRESSD_EXPIRE_SLICE))
		event_active(e->expire, EV_TIMEOUT, 0);
}

/*
 * The capture failed or its interface is gone: say why, close it, and try
 * again in a second, then less often (up to EGRESSD_REOPEN_MAX).  Flows,
 * beacon series and alert windows stay as they are.
 */
static void
egressd_live_lost(struct egressd *e, const char *why)
{
	struct timeval	tv = { 1, 0 };
	uint64_t	recv = 0, drop = 0, ifdrop = 0;

	log_warnx("%s: capture lost: %s; opening it again every %d s at "
	    "most", e->ifname, why, EGRESSD_REOPEN_MAX);
	if (capture_stats(e->live, &recv, &drop, &ifdrop) == 0) {
		e->kdrops_closed += drop;
		e->ifdrops_closed += ifdrop;
	}
	event_free(e->rev);
	e->rev = NULL;
	capture_close(e->live);
	e->live = NULL;
	e->down_since = time(NULL);
	e->retry_wait = 1;
	evtimer_add(e->retry, &tv);
}

static void	egressd_live_read(evutil_socket_t, short, void *);

/* Watch the capture's descriptor. */
static void
egressd_live_watch(struct egressd *e)
{
	if ((e->rev = event_new(e->base, capture_fd(e->live),
	    EV_READ | EV_PERSIST, egressd_live_read, e)) == NULL)
		fatalx("event_new failed");
	event_add(e->rev, NULL);
}

/* Try to open the lost interface again; on failure wait twice as long. */
static void
egressd_live_reopen(evutil_socket_t fd, short what, void *arg)
{
	struct egressd	*e = arg;
	struct timeval	 tv = { 0, 0 };

	if ((e->live = egressd_live_open(&e->copts, e->ifname, e->caps_kept,
	    1)) ==
	    NULL) {
		e->retry_wait = e->retry_wait * 2 > EGRESSD_REOPEN_MAX ?
		    EGRESSD_REOPEN_MAX : e->retry_wait * 2;
		tv.tv_sec = e->retry_wait;
		evtimer_add(e->retry, &tv);
		return;
	}
	egressd_live_watch(e);
	e->reopens++;
	log_warnx("%s: capturing again (%s), after %lld s without",
	    e->ifname, capture_dlt_name(e->live),
	    (long long)(time(NULL) - e->down_since));
	e->down_since = 0;
}

/* Live, every minute: the counters to the sinks, at packet time now. */
static void
egressd_minute(struct egressd *e, int64_t now)
{
	struct event_counters	c;

	memset(&c, 0, sizeof(c));
	egressd_counters(e, &c);
	c.ts = now;
	sinks_counters(e->sinks, &c);
	event_counters_free(&c);
}

/*
 * The one line systemctl status shows: capture, packets and drops, and
 * what waits in the store and the syslog sinks.
 */
static void
egressd_status(struct egressd *e, char *buf, size_t len)
{
	uint64_t	kdrop, ifdrop;
	char		queues[512];

	egressd_drops(e, &kdrop, &ifdrop);
	egressd_queues(e, queues, sizeof(queues));
	snprintf(buf, len, "%s %s: %llu packets, %llu kernel drops, "
	    "%llu interface drops, %zu flows%s", e->live != NULL ?
	    "capturing on" : "reopening", e->ifname,
	    (unsigned long long)e->dec->counters[DC_PACKETS],
	    (unsigned long long)kdrop, (unsigned long long)ifdrop,
	    flow_stats(e->flows)->active, queues);
}

/* Tell the service manager how the capture is going. */
static void
egressd_notify_status(struct egressd *e)
{
	char	buf[512];

	egressd_status(e, buf, sizeof(buf));
	notify_status(buf);
}

/* The service watchdog's timer: the loop still turns. */
static void
egressd_live_watchdog(evutil_socket_t fd, short what, void *arg)
{
	notify_watchdog();
}

/* The capture descriptor is readable. */
static void
egressd_live_read(evutil_socket_t fd, short what, void *arg)
{
	struct egressd	*e = arg;

	if (capture_dispatch(e->live, egressd_packet, e) == -1) {
		egressd_live_lost(e, capture_error(e->live));
		return;
	}
	egressd_live_expire_soon(e);
}

/*
 * Once a second: move packet time on from the wall clock when the link is
 * quiet (one second behind, so buffered packets are not "late"), write
 * what the sinks hold, check the interface is still the one opened,
 * and log the stats every minute.
 */
static void
egressd_live_tick(evutil_socket_t fd, short what, void *arg)
{
	struct egressd	*e = arg;
	struct timespec	 ts;
	int64_t		 now;

	clock_gettime(CLOCK_REALTIME, &ts);
	e->wall = ((int64_t)ts.tv_sec - 1) * 1000000 + ts.tv_nsec / 1000;
	/* packets held by the packet clock wait no longer than this */
	clock_tick(e->clock, e->wall, egressd_frame, e);
	alert_beacon_flush(e->beacons);	/* alerts wait no longer than this */
	now = egressd_live_clock(e);
	if (flow_expire(e->flows, now, EGRESSD_EXPIRE_SLICE))
		egressd_live_expire_soon(e);
	sinks_tick(e->sinks, now);
	sinks_flush(e->sinks);
	if (e->geo != NULL)
		geo_reload(e->geo);
	if (e->live != NULL && !capture_live_same(e->live, e->ifname))
		egressd_live_lost(e, "the interface was removed or made again");
	if (ts.tv_sec - e->last_status >= EGRESSD_STATUS_EVERY) {
		e->last_status = ts.tv_sec;
		egressd_notify_status(e);
	}
	if (ts.tv_sec - e->last_stats >= e->stats_every) {
		egressd_check_loss(e, now, ts.tv_sec - e->last_stats);
		e->last_stats = ts.tv_sec;
		egressd_log_stats(e);
		egressd_minute(e, now);
	}
}

/* SIGTERM and SIGINT end the loop; the caller flushes. */
static void
egressd_live_signal(evutil_socket_t sig, short what, void *arg)
{
	struct egressd	*e = arg;

	log_info("signal %d: shutting down", (int)sig);
	notify_stopping();
	event_base_loopbreak(e->base);
}

/* The stats interval and the capture-loss threshold of a policy. */
static void
egressd_stats_options(struct egressd *e, const struct policy *p)
{
	e->stats_every = p != NULL && p->opts.stats_interval != 0 ?
	    (time_t)(p->opts.stats_interval / 1000000) : EGRESSD_STATS_EVERY;
	e->loss_threshold = p != NULL && p->opts.capture_loss != 0 ?
	    p->opts.capture_loss : 1;
}

/* Are two optional strings of a configuration the same? */
static int
egressd_same_str(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/*
 * What a reload cannot change in a running process: say which options
 * of the new configuration wait for the next start.
 */
static void
egressd_reload_later(const struct egressd *e, const struct policy *old,
    const struct policy *p)
{
	const struct policy_options	*a = &old->opts, *b = &p->opts;

	if (!egressd_same_str(a->interface, b->interface))
		log_warnx("reload: interface changed: at the next start");
	if (!egressd_same_str(a->database, b->database))
		log_warnx("reload: database changed: at the next start");
	if (!egressd_same_str(a->json, b->json))
		log_warnx("reload: json changed: at the next start");
	if (!egressd_same_str(a->asn_db, b->asn_db) ||
	    !egressd_same_str(a->country_db, b->country_db))
		log_warnx("reload: asn-db or country-db changed: at the next "
		    "start (a database file replaced is reopened now)");
	if (!egressd_same_str(a->user, b->user) ||
	    a->run_as_root != b->run_as_root ||
	    !egressd_same_str(a->filter, b->filter) ||
	    a->buffer_size != b->buffer_size ||
	    !egressd_same_str(a->stats_socket, b->stats_socket))
		log_warnx("reload: user, run-as-root, filter, buffer-size or "
		    "stats-socket changed: at the next start");
	if (p->nmacs > 0 && e->macs == NULL)
		log_warnx("reload: MAC members are matched from the next "
		    "start (the running process learns no MACs)");
}

/*
 * Read the configuration file again and, if it is valid, judge by it from
 * now on: flows, name caches, beacon series and alert windows stay; what
 * is judged after this (records of flows that end, beats, look-ups) is
 * judged by the new policy.  If it is not valid, every error is logged
 * and the old policy stays.  0 if swapped, -1 if not.
 */
static int
egressd_reload(struct egressd *e)
{
	struct policy		*p, *old;
	struct flow_config	 fc;
	FILE			*fp;
	char			*errs = NULL, *line, *next;
	size_t			 len = 0;

	if (e->conffile == NULL) {
		log_warnx("reload: no configuration file (-c): audit mode "
		    "stays");
		return -1;
	}
	if ((fp = open_memstream(&errs, &len)) == NULL) {
		log_warn("reload: open_memstream");
		return -1;
	}
	p = parse_config_errors(e->conffile, fp);
	fclose(fp);
	for (line = errs; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		log_warnx("reload: %s", line);
	}
	free(errs);
	if (p == NULL) {
		log_warnx("reload: %s has errors: the configuration in use "
		    "stays", e->conffile);
		return -1;
	}
	if (e->policy == NULL) {
		log_warnx("reload: started in audit mode: the configuration "
		    "is read at the next start");
		policy_free(p);
		return -1;
	}
	old = e->owned;
	egressd_reload_later(e, e->policy, p);
	alert_beacon_flush(e->beacons);	/* beats so far: the old policy */
	sinks_flush(e->sinks);
	e->policy = e->owned = p;
	record_set_policy(e->rec, p);
	alert_record_set_policy(e->alerts, p);
	policy_flow_config(p, &fc);
	flow_table_configure(e->flows, &fc);
	if (e->beacons != NULL)
		alert_beacon_set_policy(e->beacons, p);
	if (e->dns != NULL)
		alert_dns_set_policy(e->dns, p);
	egressd_stats_options(e, p);
	policy_free(old);
	log_info("reload: %s read: new flows are judged by it",
	    e->conffile);
	return 0;
}

/*
 * SIGHUP: read the configuration again (egressd_reload), open the outputs
 * again (after logrotate moved them) and any GeoIP database replaced.
 */
static void
egressd_live_hup(evutil_socket_t sig, short what, void *arg)
{
	struct egressd	*e = arg;
	char		 status[512];

	notify_reloading();
	log_warnx("SIGHUP: reading %s and opening the outputs again",
	    e->conffile != NULL ? e->conffile : "no configuration");
	egressd_reload(e);
	sinks_reopen(e->sinks);
	if (e->geo != NULL)
		geo_reload(e->geo);
	egressd_status(e, status, sizeof(status));
	notify_ready(status);
}

/* SIGUSR1: the stats line now. */
static void
egressd_live_usr1(evutil_socket_t sig, short what, void *arg)
{
	egressd_log_stats(arg);
}

/* libevent's messages through our log. */
static void
egressd_event_log(int severity, const char *msg)
{
	if (severity >= EVENT_LOG_WARN)
		log_warnx("libevent: %s", msg);
	else
		log_debug("libevent: %s", msg);
}

/* The live figures egressctl stats prints: one "name value" a line. */
static void
egressd_stats_text(struct egressd *e, FILE *fp)
{
	const struct flow_stats	*fs = flow_stats(e->flows);
	struct sink_queue	 q[SINKS_MAX];
	uint64_t		 kdrop, ifdrop;
	size_t			 i, n;

	egressd_drops(e, &kdrop, &ifdrop);
	fprintf(fp, "interface %s\n", e->ifname);
	fprintf(fp, "capturing %s\n", e->live != NULL ? "yes" : "no");
	fprintf(fp, "uptime %lld\n", (long long)(time(NULL) - e->started));
	fprintf(fp, "packets %llu\n",
	    (unsigned long long)e->dec->counters[DC_PACKETS]);
	fprintf(fp, "kernel_drops %llu\n", (unsigned long long)kdrop);
	fprintf(fp, "interface_drops %llu\n", (unsigned long long)ifdrop);
	fprintf(fp, "duplicates %llu\n",
	    (unsigned long long)e->dec->counters[DC_DUPLICATE]);
	fprintf(fp, "flows %zu\n", fs->active);
	fprintf(fp, "records %llu\n", (unsigned long long)fs->records);
	fprintf(fp, "evicted %llu\n", (unsigned long long)fs->evicted);
	fprintf(fp, "records_lost %llu\n",
	    (unsigned long long)sinks_lost_total(e->sinks));
	fprintf(fp, "alerts %llu\n",
	    (unsigned long long)sinks_alerts(e->sinks));
	fprintf(fp, "reopens %llu\n", (unsigned long long)e->reopens);
	n = sinks_queues(e->sinks, q, SINKS_MAX);
	for (i = 0; i < n; i++)		/* store_queue, syslog_queue.NAME */
		fprintf(fp, "%s_queue%s%s %llu\n", q[i].kind,
		    q[i].name != NULL ? "." : "", q[i].name != NULL ?
		    q[i].name : "", (unsigned long long)q[i].n);
}

/*
 * A client of the stats socket: the figures, written at once (they fit
 * the socket's buffer; a client that reads nothing loses them), then
 * the connection closed.
 */
static void
egressd_ctl_accept(evutil_socket_t fd, short what, void *arg)
{
	struct egressd	*e = arg;
	FILE		*fp;
	char		*buf = NULL;
	size_t		 len = 0;
	int		 c;

	if ((c = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) ==
	    -1) {
		if (errno != EAGAIN && errno != EINTR)
			log_warn("%s: accept", e->ctl_path);
		return;
	}
	if ((fp = open_memstream(&buf, &len)) != NULL) {
		egressd_stats_text(e, fp);
		if (fclose(fp) == 0 && send(c, buf, len, MSG_NOSIGNAL |
		    MSG_DONTWAIT) == -1)
			log_debug("%s: send: %s", e->ctl_path,
			    strerror(errno));
		free(buf);
	}
	close(c);
}

/*
 * The stats socket (stats-socket): made after root was given up, so it is
 * the daemon's user's, mode 0600 (owner only).  A socket left by a run
 * before is replaced.  0, or -1 (said; egressd runs on without it).
 */
static int
egressd_ctl_open(struct egressd *e, const char *path)
{
	struct sockaddr_un	 sun;
	struct stat		 st;
	mode_t			 old;
	int			 fd;

	e->ctl_fd = -1;
	if (path == NULL)
		return 0;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		log_warnx("stats-socket %s: too long", path);
		return -1;
	}
	strcpy(sun.sun_path, path);
	if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode) &&
	    unlink(path) == -1) {
		log_warn("stats-socket %s: unlink", path);
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1) {
		log_warn("stats-socket: socket");
		return -1;
	}
	old = umask(0177);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		log_warn("stats-socket %s: bind", path);
		umask(old);
		close(fd);
		return -1;
	}
	umask(old);
	if (chmod(path, 0600) == -1 || listen(fd, 8) == -1) {
		log_warn("stats-socket %s", path);
		close(fd);
		unlink(path);
		return -1;
	}
	if ((e->ctl_ev = event_new(e->base, fd, EV_READ | EV_PERSIST,
	    egressd_ctl_accept, e)) == NULL)
		fatalx("event_new failed");
	event_add(e->ctl_ev, NULL);
	e->ctl_fd = fd;
	e->ctl_path = path;
	log_info("stats on %s (egressctl stats --socket %s)", path, path);
	return 0;
}

/* Close the stats socket and remove it. */
static void
egressd_ctl_close(struct egressd *e)
{
	if (e->ctl_fd == -1)
		return;
	event_free(e->ctl_ev);
	close(e->ctl_fd);
	if (unlink(e->ctl_path) == -1 && errno != ENOENT)
		log_debug("%s: unlink: %s", e->ctl_path, strerror(errno));
	e->ctl_fd = -1;
}

/*
 * Capture live on the capture opened (before the outputs: a start that
 * cannot capture touches no output) until SIGTERM or SIGINT; the exit
 * status.  stats_socket (--stats-socket) stands in for the
 * configuration's.
 */
static int
egressd_live(struct egressd *e, const char *ifname, struct capture *c,
    int allow_root, const char *stats_socket)
{
	static const int	 sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGUSR1 };
	const struct policy_options *po = e->policy != NULL ?
				    &e->policy->opts : NULL;
	struct event		*tick, *sigev[4];
	struct timeval		 sec = { 1, 0 }, wd;
	uint64_t		 wd_usec;
	char			 status[512];
	size_t			 i;

	e->live = c;
	e->ifname = ifname;
	e->caps_kept = egressd_drop_privileges(1, po != NULL ? po->user : NULL,
	    allow_root || (po != NULL && po->run_as_root));
	e->started = time(NULL);
	egressd_stats_options(e, e->policy);
	signal(SIGPIPE, SIG_IGN);	/* a reader gone is a write error */
	flow_set_deferred(e->flows, 1);
	event_set_log_callback(egressd_event_log);
	if ((e->base = event_base_new()) == NULL)
		fatalx("event_base_new failed");
	tick = event_new(e->base, -1, EV_PERSIST, egressd_live_tick, e);
	e->expire = event_new(e->base, -1, 0, egressd_live_expire, e);
	e->retry = evtimer_new(e->base, egressd_live_reopen, e);
	for (i = 0; i < 4; i++)
		sigev[i] = evsignal_new(e->base, sigs[i], sigs[i] == SIGHUP ?
		    egressd_live_hup : sigs[i] == SIGUSR1 ? egressd_live_usr1 :
		    egressd_live_signal, e);
	if (tick == NULL || e->expire == NULL || e->retry == NULL ||
	    sigev[0] == NULL || sigev[1] == NULL || sigev[2] == NULL ||
	    sigev[3] == NULL)
		fatalx("event_new failed");
	egressd_live_watch(e);
	egressd_ctl_open(e, stats_socket != NULL ? stats_socket :
	    po != NULL ? po->stats_socket : NULL);
	sinks_attach(e->sinks, e->base);
	event_add(tick, &sec);
	for (i = 0; i < 4; i++)
		event_add(sigev[i], NULL);
	if ((wd_usec = notify_watchdog_usec()) != 0) {
		wd.tv_sec = (time_t)(wd_usec / 2 / 1000000);
		wd.tv_usec = (suseconds_t)(wd_usec / 2 % 1000000);
		if ((e->watchdog = event_new(e->base, -1, EV_PERSIST,
		    egressd_live_watchdog, e)) == NULL)
			fatalx("event_new failed");
		event_add(e->watchdog, &wd);
		log_info("watchdog every %llu ms",
		    (unsigned long long)(wd_usec / 2 / 1000));
	}
	e->last_stats = e->last_status = time(NULL);
	log_info("capturing on %s (%s)", ifname, capture_dlt_name(e->live));
	egressd_status(e, status, sizeof(status));
	notify_ready(status);
	event_base_dispatch(e->base);
	if (e->live != NULL)
		capture_dispatch(e->live, egressd_packet, e);
	clock_flush(e->clock, egressd_frame, e);
	alert_beacon_flush(e->beacons);
	flow_advance(e->flows, egressd_live_clock(e));	/* what was due */
	flow_flush(e->flows);
	egressd_check_loss(e, egressd_live_clock(e), time(NULL) -
	    e->last_stats);
	egressd_log_stats(e);
	egressd_minute(e, egressd_live_clock(e));
	egressd_ctl_close(e);
	if (e->rev != NULL)
		event_free(e->rev);
	event_free(tick);
	event_free(e->expire);
	event_free(e->retry);
	if (e->watchdog != NULL)
		event_free(e->watchdog);
	for (i = 0; i < 4; i++)
		event_free(sigev[i]);
	sinks_detach(e->sinks);
	event_base_free(e->base);
	capture_close(e->live);
	return 0;
}

/*
 * Read the command line into o.  Returns -1 to go on, else the exit status
 * (--help, --version, a usage error).
 */
static int
egressd_getopt(struct egressd_opts *o, int argc, char *argv[])
{
	unsigned int	kinds;
	int		ch, i;

	memset(o, 0, sizeof(*o));
	while ((ch = getopt_long(argc, argv, "c:dhi:j:r:tvw:",
	    egressd_longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			o->conffile = optarg;
			break;
		case 't':
			o->checkconf = 1;
			break;
		case 'w':
			o->wpath = optarg;
			break;
		case OPT_FORCE:
			o->force = 1;
			break;
		case OPT_ALLOW_ROOT:
			o->allow_root = 1;
			break;
		case OPT_STATS_SOCKET:
			o->stats_socket = optarg;
			break;
		case OPT_ASN_DB:
			o->asn_db = optarg;
			break;
		case OPT_COUNTRY_DB:
			o->country_db = optarg;
			break;
		case OPT_NO_BEACONS:
			o->no_beacons = 1;
			break;
		case OPT_VXLAN:
			o->tunnels |= DECODE_TUN_VXLAN;
			o->tunnels_given = 1;
			break;
		case OPT_TUNNEL:
			if (decode_tunnel_kinds(optarg, &kinds) == -1) {
				log_warnx("--tunnel: \"%s\": give gre, erspan "
				    "or vxlan, comma-separated", optarg);
				return 1;
			}
			o->tunnels |= kinds;
			o->tunnels_given = 1;
			break;
		case OPT_THREADS:
			if (strcmp(optarg, "1") != 0 &&
			    strcmp(optarg, "2") != 0) {
				log_warnx("--threads: \"%s\": give 1 or 2",
				    optarg);
				return 1;
			}
			o->threads = optarg[0] - '0';
			break;
		case 'd':
			o->foreground = 1;
			break;
		case 'i':
			o->ifname = optarg;
			break;
		case 'j':
			o->jpath = optarg;
			break;
		case 'r':
			o->files = xreallocarray(o->files, (size_t)o->nfiles + 1,
			    sizeof(*o->files));
			o->files[o->nfiles++] = optarg;
			break;
		case 'v':
			o->verbose++;
			break;
		case OPT_VERSION:
			printf("egressd %s\n", PACKAGE_VERSION);
			return 0;
		case 'h':
		case OPT_HELP:
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	/* -r a.pcap b.pcap: the operands after -r are captures too. */
	if (optind < argc && o->nfiles > 0) {
		o->files = xreallocarray(o->files, (size_t)o->nfiles +
		    (size_t)(argc - optind), sizeof(*o->files));
		for (i = optind; i < argc; i++)
			o->files[o->nfiles++] = argv[i];
	} else if (optind < argc) {
		log_warnx("unexpected argument \"%s\"", argv[optind]);
		usage(stderr);
		return 1;
	}
	return -1;
}

/*
 * The capture filter of a live run: the configuration's (filter), else
 * the one the inventory makes (policy_bpf) for an Ethernet link or
 * (ethernet 0) for one without Ethernet headers; NULL: none.  Allocated.
 */
static char *
egressd_filter(const struct policy *p, int vxlan, int ethernet)
{
	if (p != NULL && p->opts.filter != NULL)
		return xstrdup(p->opts.filter);
	return policy_bpf(p, vxlan, ethernet);
}

/*
 * -t: the policy was read (-tv: print it, and the capture filter built
 * from the inventory, as a comment); the exit status.
 */
static int
egressd_checkconf(const struct egressd_opts *o, const struct policy *p)
{
	char	*filter, err[CAPTURE_ERRLEN];

	filter = egressd_filter(p, (o->tunnels & DECODE_TUN_VXLAN) != 0, 1);
	if (filter != NULL && capture_filter_check(filter, err,
	    sizeof(err)) == -1) {
		log_warnx("%s: the capture filter%s does not compile: %s",
		    o->conffile, p->opts.filter != NULL ? "" :
		    " built from the inventory", err);
		free(filter);
		return 1;
	}
	if (o->verbose) {
		policy_print(stdout, p);
		if (filter != NULL && p->opts.filter == NULL)
			printf("\n# the capture filter, built from the "
			    "inventory (filter overrides it):\n# %s\n",
			    filter);
	}
	free(filter);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		log_warn("stdout");
		return 1;
	}
	return 0;
}

/*
 * What the command line leaves open, the configuration says; then check
 * that there is one source of packets.  0, or -1 (said).
 */
static int
egressd_sources(struct egressd_opts *o, const struct policy *p)
{
	int	i, nstdin;

	if (p != NULL) {
		if (o->ifname == NULL && o->nfiles == 0)
			o->ifname = p->opts.interface;
		if (o->asn_db == NULL)
			o->asn_db = p->opts.asn_db;
		if (o->country_db == NULL)
			o->country_db = p->opts.country_db;
		if (o->jpath == NULL)
			o->jpath = p->opts.json;
		if (o->wpath == NULL)
			o->wpath = p->opts.database;
	}
	if (o->ifname != NULL && o->nfiles > 0) {
		log_warnx("-i and -r cannot be used together");
		usage(stderr);
		return -1;
	}
	if (o->ifname == NULL && o->nfiles == 0) {
		log_warnx("give -i interface or -r capture");
		usage(stderr);
		return -1;
	}
	if (o->stats_socket != NULL && o->ifname == NULL) {
		log_warnx("--stats-socket is for live capture (-i)");
		usage(stderr);
		return -1;
	}
	for (i = 0, nstdin = 0; i < o->nfiles; i++)
		nstdin += strcmp(o->files[i], "-") == 0;
	if (nstdin > 1) {
		log_warnx("-r: standard input (-) can be read only once");
		usage(stderr);
		return -1;
	}
	return 0;
}

/*
 * The ASN and country databases: those named, else the first found where
 * they are looked for.  0 (none is allowed, and said), or -1 (said).
 */
static int
egressd_open_geo(struct egressd *e, const struct egressd_opts *o)
{
	const char	*first = o->nfiles > 0 ? o->files[0] : NULL;
	char		*asn = NULL, *cc = NULL, err[512];
	int		 rv = 0;

	if (o->asn_db == NULL)
		asn = egressd_find_db(egressd_asn_names, first);
	if (o->country_db == NULL)
		cc = egressd_find_db(egressd_country_names, first);
	if ((o->asn_db != NULL || asn != NULL || o->country_db != NULL ||
	    cc != NULL) && (e->geo = geo_open(o->asn_db ? o->asn_db : asn,
	    o->country_db ? o->country_db : cc, err, sizeof(err))) == NULL) {
		log_warnx("%s", err);
		rv = -1;
	} else if (e->geo == NULL)
		log_info("no ASN or country database: destinations are not "
		    "named by network (see --asn-db, --country-db)");
	free(asn);
	free(cc);
	return rv;
}

/* The audit store (-w, database) as a sink; 0, or -1 (said). */
static int
egressd_open_store(struct egressd *e, const struct egressd_opts *o)
{
	const struct policy_options	*po = e->policy ? &e->policy->opts :
					    NULL;
	struct sink_sqlite_config	 c;
	struct sink_sqlite		*s;
	char				 err[512];

	memset(&c, 0, sizeof(c));
	c.path = o->wpath;
	c.source = o->ifname != NULL ? o->ifname : o->files[0];
	c.live = o->ifname != NULL;
	c.audit = e->policy == NULL;
	c.threaded = (o->threads != 0 ? o->threads : egressd_cpus()) > 1;
	c.force = o->force;
	c.macs = e->macs;
	c.retention = SINK_SQLITE_RETENTION;
	if (po != NULL && po->database_retention != 0)
		c.retention = po->database_retention;
	if (po != NULL) {
		c.batch_rows = po->database_batch_rows;
		c.batch_interval = po->database_batch_interval;
	}
	if ((s = sink_sqlite_open(&c, err, sizeof(err))) == NULL) {
		log_warnx("%s", err);
		return -1;
	}
	sinks_add(e->sinks, &sink_sqlite_ops, s);
	return 0;
}

/*
 * The syslog sinks of the configuration, after the store: they send
 * alerts from its outbox, so they need one.  0, or -1 (said).
 */
static int
egressd_open_syslog(struct egressd *e, const struct egressd_opts *o)
{
	const struct policy	*p = e->policy;
	struct sink_syslog	*s;
	char			 err[512];
	size_t			 i;

	if (p == NULL || p->nsyslogs == 0)
		return 0;
	if (o->wpath == NULL) {
		log_warnx("%s:%d: syslog \"%s\" sends alerts from the audit "
		    "store, and there is none: add database \"FILE\" to the "
		    "configuration, or give -w FILE", p->syslogs[0]->file,
		    p->syslogs[0]->line, p->syslogs[0]->name);
		return -1;
	}
	signal(SIGPIPE, SIG_IGN);	/* a receiver gone is a write error */
	for (i = 0; i < p->nsyslogs; i++) {
		if ((s = sink_syslog_open(p->syslogs[i], o->wpath,
		    o->ifname != NULL, err, sizeof(err))) == NULL) {
			log_warnx("%s", err);
			return -1;
		}
		sinks_add(e->sinks, &sink_syslog_ops, s);
	}
	return 0;
}

/*
 * The sinks of this run: the summary of an offline run (unless the JSON
 * lines go to standard output), the JSON lines, the audit store.  0, or
 * -1 (said).
 */
static int
egressd_open_sinks(struct egressd *e, const struct egressd_opts *o)
{
	struct sink_json	*json;

	e->sinks = sinks_new();
	if (o->ifname == NULL &&
	    (o->jpath == NULL || strcmp(o->jpath, "-") != 0))
		sinks_add(e->sinks, &sink_summary_ops,
		    sink_summary_open(stdout, e->geo, o->no_beacons));
	if (o->jpath != NULL) {
		if ((json = sink_json_open(o->jpath)) == NULL) {
			log_warn("%s", o->jpath);
			return -1;
		}
		if (o->ifname != NULL)
			sink_json_live(json);
		if ((o->threads != 0 ? o->threads : egressd_cpus()) > 1)
			sink_json_thread(json);
		sinks_add(e->sinks, &sink_json_ops, json);
	}
	if (o->wpath != NULL && egressd_open_store(e, o) == -1)
		return -1;
	return egressd_open_syslog(e, o);
}

/*
 * Everything a run holds, in the order data flows through it: decoder,
 * flow table, application layer, sinks, alerts, the record path.  0, or
 * -1 (said; egressd_close frees what was made).
 */
static int
egressd_open(struct egressd *e, const struct egressd_opts *o,
    const struct policy *policy)
{
	struct flow_config	 fc;
	struct hash_key		 key;
	struct alert_beacon_in	 ab;
	struct alert_dns_in	 ad;
	struct record_in	 ri;

	memset(e, 0, sizeof(*e));
	e->policy = policy;
	if (egressd_open_geo(e, o) == -1)
		return -1;
	e->dec = decode_new();
	if (o->tunnels_given)	/* the command line wins */
		decode_set_tunnels(e->dec, o->tunnels);
	else
		policy_decode_config(policy, e->dec);
	e->clock = clock_new();
	hash_key_random(&key);
	policy_flow_config(policy, &fc);
	e->flows = flow_table_new(&fc, &key, egressd_flow, e);
	if (policy != NULL && policy->nmacs > 0)
		e->macs = mac_table_new(MAC_TABLE_MAX);
	if (policy != NULL)
		flow_set_rank(e->flows, egressd_rank, e);
	flow_set_release(e->flows, egressd_release);
	e->app = app_new();
	if (egressd_open_sinks(e, o) == -1)
		return -1;
	e->windows = alert_windows_new();
	e->alerts = alert_record_new(policy, e->windows, e->sinks);
	if ((e->domains = domain_open()) == NULL)
		log_warnx("no Public Suffix List: DNS look-ups are not "
		    "followed, call-homes are named by their full names");
	if (!o->no_beacons) {
		memset(&ab, 0, sizeof(ab));
		ab.app = e->app;
		ab.geo = e->geo;
		ab.policy = policy;
		ab.macs = e->macs;
		ab.windows = e->windows;
		ab.sinks = e->sinks;
		ab.domains = e->domains;
		ab.threads = o->threads != 0 ? o->threads :
		    egressd_cpus() > 1 ? 2 : 1;
		e->beacons = alert_beacon_new(&ab);
	}
	if (e->domains != NULL) {
		memset(&ad, 0, sizeof(ad));
		ad.policy = policy;
		ad.macs = e->macs;
		ad.geo = e->geo;
		ad.domains = e->domains;
		ad.windows = e->windows;
		ad.sinks = e->sinks;
		ad.beacons = e->beacons;
		e->dns = alert_dns_new(&ad);
		app_set_dns_cb(e->app, alert_dns_message, e->dns);
	}
	memset(&ri, 0, sizeof(ri));
	ri.geo = e->geo;
	ri.app = e->app;
	ri.policy = policy;
	ri.macs = e->macs;
	ri.alerts = e->alerts;
	ri.sinks = e->sinks;
	e->rec = record_new(&ri);
	return 0;
}

/*
 * Free what a run holds; the last alerts are raised and the sinks closed
 * first.  0, or -1 when a sink failed (said).
 */
static int
egressd_close(struct egressd *e)
{
	int	rv;

	alert_beacon_free(e->beacons);
	alert_dns_free(e->dns);
	domain_close(e->domains);
	rv = sinks_close(e->sinks);
	record_free(e->rec);
	alert_record_free(e->alerts);
	alert_windows_free(e->windows);
	flow_table_free(e->flows);
	app_free(e->app);
	mac_table_free(e->macs);
	decode_free(e->dec);
	clock_free(e->clock);
	geo_close(e->geo);
	return rv;
}

int
main(int argc, char *argv[])
{
	struct egressd_opts	 o;
	struct egressd		 e;
	struct policy		*policy = NULL;
	struct capture		*live = NULL;
	struct capture_live_opts copts = { EGRESSD_SNAPLEN, 1,
				    EGRESSD_BUFSIZE, NULL, NULL };
	char			*filter = NULL, *filter_ip = NULL;
	int			 status, rv;

	log_init("egressd", 1, 0);
	if ((status = egressd_getopt(&o, argc, argv)) != -1)
		goto out;
	status = 1;
	if (o.checkconf && o.conffile == NULL)
		o.conffile = EGRESSD_CONF;
	if (o.conffile != NULL && (policy = parse_config(o.conffile)) == NULL)
		goto out;
	if (o.checkconf) {
		status = egressd_checkconf(&o, policy);
		goto out;
	}
	if (egressd_sources(&o, policy) == -1)
		goto out;
	log_init("egressd", o.ifname == NULL || o.foreground, o.verbose);
	if (o.ifname != NULL) {
		if (policy != NULL && policy->opts.buffer_size != 0)
			copts.bufsize = (int)policy->opts.buffer_size;
		copts.filter = filter = egressd_filter(policy,
		    (o.tunnels & DECODE_TUN_VXLAN) != 0, 1);
		copts.filter_ip = filter_ip = egressd_filter(policy,
		    (o.tunnels & DECODE_TUN_VXLAN) != 0, 0);
		if ((live = egressd_live_open(&copts, o.ifname, 0, 0)) == NULL)
			goto out;
		if (filter != NULL)
			log_info("capture filter: %s", capture_ethernet(live) ?
			    filter : filter_ip);
		if (policy != NULL && policy->nmacs > 0 &&
		    !capture_ethernet(live))
			log_warnx("%s: %s frames carry no MAC address: the "
			    "inventory's MAC members match nothing here",
			    o.ifname, capture_dlt_name(live));
	}
	rv = egressd_open(&e, &o, policy);
	e.owned = policy;
	e.conffile = o.conffile;
	e.copts = copts;
	if (rv == 0)
		status = live != NULL ? egressd_live(&e, o.ifname, live,
		    o.allow_root, o.stats_socket) : egressd_offline(&e, &o);
	else
		capture_close(live);
	if (egressd_close(&e) == -1)
		status = 1;
	policy = e.owned;		/* a reload swapped it */
out:
	policy_free(policy);
	free(filter);
	free(filter_ip);
	free(o.files);
	return status;
}
