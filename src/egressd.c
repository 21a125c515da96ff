/*
 * egressd: audit where the appliances of a site send their traffic.
 * Offline (-r capture ...) it prints an audit summary and writes JSON lines;
 * live (-i interface) it runs on a libevent loop until SIGTERM.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <errno.h>
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

#include "app.h"
#include "beacon.h"
#include "capture.h"
#include "clock.h"
#include "decode.h"
#include "detect.h"
#include "flow.h"
#include "geo.h"
#include "hash.h"
#include "log.h"
#include "mac.h"
#include "pdns.h"
#include "policy.h"
#include "record.h"
#include "sink_json.h"
#include "summary.h"
#include "util.h"
#include "xmalloc.h"

#define EGRESSD_USER		"egressd"
#define EGRESSD_CONF		"/etc/egressd/egressd.conf"
#define EGRESSD_SNAPLEN		262144
#define EGRESSD_BUFSIZE		(64 * 1024 * 1024)
#define EGRESSD_STATS_EVERY	60	/* seconds */

/* Everything one run holds; the only mutable state outside the modules. */
struct egressd {
	struct decoder		*dec;
	struct clock		*clock;
	struct flow_table	*flows;
	struct sink_json	*json;
	struct summary		*sum;
	struct geo		*geo;
	struct app		*app;
	struct record		*rec;
	struct detect		*det;
	const struct policy	*policy;	/* NULL: audit mode */
	struct mac_table	*macs;		/* listed MACs seen, or NULL */
	struct capture		*live;
	struct event_base	*base;
	int64_t			 first_ts, last_ts;
	time_t			 last_stats;
};

enum {
	OPT_VERSION = 256,
	OPT_HELP,
	OPT_ASN_DB,
	OPT_COUNTRY_DB,
	OPT_NO_BEACONS,
	OPT_THREADS,
	OPT_VXLAN,
	OPT_TUNNEL,
};

static const struct option egressd_longopts[] = {
	{ "version",	no_argument,		NULL, OPT_VERSION },
	{ "help",	no_argument,		NULL, OPT_HELP },
	{ "asn-db",	required_argument,	NULL, OPT_ASN_DB },
	{ "country-db",	required_argument,	NULL, OPT_COUNTRY_DB },
	{ "no-beacons",	no_argument,		NULL, OPT_NO_BEACONS },
	{ "threads",	required_argument,	NULL, OPT_THREADS },
	{ "vxlan",	no_argument,		NULL, OPT_VXLAN },
	{ "tunnel",	required_argument,	NULL, OPT_TUNNEL },
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
	    "  -c FILE     the policy configuration (default with -t: "
	    EGRESSD_CONF ")\n"
	    "  -t          check the configuration and exit; -tv prints it\n"
	    "  -r FILE...  read pcap/pcapng captures, in order, as one stream\n"
	    "  -i IFACE    capture live on IFACE (needs CAP_NET_RAW)\n"
	    "  -j FILE     write flow records as JSON lines (- for stdout)\n"
	    "  -d          stay in the foreground, log to stderr\n"
	    "  -v          more verbose (repeat for debug)\n"
	    "  --version   print the version\n"
	    "  --asn-db FILE, --country-db FILE\n"
	    "              MaxMind-format databases (GeoLite2, DB-IP); default:\n"
	    "              asn.mmdb, country.mmdb beside the capture, else\n"
	    "              GeoLite2-*.mmdb in /var/lib/GeoIP, /usr/share/GeoIP\n"
	    "  --no-beacons  no beacon detection (flows and policy alerts only)\n"
	    "  --threads N   1: one thread; 2: beacon detection in a second\n"
	    "              thread (default when it may use more than one CPU);\n"
	    "              the results are the same\n"
	    "  --tunnel KINDS  the mirror arrives in these tunnels (gre, erspan,\n"
	    "              vxlan): decode the frames inside too (off by\n"
	    "              default: any host can send them); --vxlan is\n"
	    "              --tunnel vxlan\n"
	    "Not yet in this version: -w (the audit store).\n");
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

/* The summary's sections from the detectors. */
static void
egressd_sections(void *arg, FILE *fp)
{
	struct egressd	*e = arg;

	detect_print(e->det, fp);
}

/* The summary's counters from the detectors. */
static void
egressd_counters(void *arg, FILE *fp)
{
	struct egressd	*e = arg;

	detect_counters(e->det, fp);
	summary_counter(fp, "clock.future_held", clock_stats(e->clock)->held);
	summary_counter(fp, "clock.future_outliers",
	    clock_stats(e->clock)->outliers);
	summary_counter(fp, "clock.before_1970",
	    clock_stats(e->clock)->before_1970);
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
	detect_packet(e->det, f, &hit, p);
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

/* One captured frame: through the packet clock (clock.c) to egressd_frame. */
static void
egressd_packet(void *arg, int dlt, const uint8_t *data, size_t caplen,
    size_t len, int64_t ts)
{
	struct egressd	*e = arg;

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

/*
 * Give up root once every capture handle and output is open: to the
 * egressd user, or nobody when it does not exist.
 */
static void
egressd_drop_privileges(void)
{
	struct passwd	*pw;

	if (geteuid() != 0)
		return;
	if ((pw = getpwnam(EGRESSD_USER)) == NULL &&
	    (pw = getpwnam("nobody")) == NULL)
		fatalx("no user %s or nobody to run as", EGRESSD_USER);
	if (setgroups(1, &pw->pw_gid) == -1 ||
	    setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) == -1 ||
	    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) == -1)
		fatal("cannot drop privileges to %s", pw->pw_name);
	if (setuid(0) != -1)
		fatalx("still able to become root after dropping privileges");
	log_info("running as %s", pw->pw_name);
}

/* Read every capture file in order; the exit status. */
static int
egressd_offline(struct egressd *e, const char **files, int nfiles, int quiet)
{
	struct capture		**caps;
	struct summary_run	  run;
	char			  err[CAPTURE_ERRLEN];
	double			  t0;
	int			  i, status = 0;

	memset(&run, 0, sizeof(run));
	caps = xcalloc((size_t)nfiles, sizeof(*caps));
	for (i = 0; i < nfiles; i++) {
		if ((caps[i] = capture_open_file(files[i], err,
		    sizeof(err))) == NULL) {
			log_warnx("%s: %s", files[i], err);
			status = 1;
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
			status = 1;
		}
	}
	if (status != 0)
		goto done;
	egressd_drop_privileges();
	t0 = egressd_now();
	for (i = 0; i < nfiles; i++) {
		if (capture_read(caps[i], egressd_packet, e, err,
		    sizeof(err)) == -1) {
			log_warnx("%s: %s; the packets before it are kept",
			    files[i], err);
			status = 1;
		}
	}
	clock_flush(e->clock, egressd_frame, e);
	detect_flush(e->det);
	flow_flush(e->flows);
	if (!quiet) {
		run.files = files;
		run.nfiles = nfiles;
		run.first_ts = e->first_ts;
		run.last_ts = e->last_ts;
		run.seconds = egressd_now() - t0;
		run.geo = e->geo;
		run.app = e->app;
		run.sections = egressd_sections;
		run.counters = egressd_counters;
		run.sections_arg = e;
		summary_print(e->sum, stdout, &run, e->dec,
		    flow_stats(e->flows));
		if (fflush(stdout) == EOF || ferror(stdout)) {
			log_warn("stdout");
			status = 1;
		}
	}
done:
	for (i = 0; i < nfiles; i++)
		capture_close(caps[i]);
	free(caps);
	return status;
}

/* Log the counters of a live run. */
static void
egressd_log_stats(struct egressd *e)
{
	const struct flow_stats		*fs = flow_stats(e->flows);
	const struct beacon_stats	*bs;
	uint64_t			 recv = 0, drop = 0;

	bs = beacon_stats(detect_beacon(e->det));	/* every beat fed */
	capture_stats(e->live, &recv, &drop);
	log_warnx("stats: %llu packets, %llu kernel drops, %llu duplicates "
	    "(%llu past a mirror's), %zu live flows, %llu records, %llu "
	    "evicted; %llu names evicted unexpired; %llu beacon series, "
	    "%llu evicted, %llu periodic",
	    (unsigned long long)e->dec->counters[DC_PACKETS],
	    (unsigned long long)drop,
	    (unsigned long long)e->dec->counters[DC_DUPLICATE],
	    (unsigned long long)e->dec->counters[DC_DUPLICATE_EXCESS],
	    fs->active,
	    (unsigned long long)fs->records,
	    (unsigned long long)fs->evicted,
	    (unsigned long long)pdns_counter(e->app->pdns,
	    PDNS_C_evicted_live), (unsigned long long)bs->series,
	    (unsigned long long)(bs->evicted + bs->evicted_appliance),
	    (unsigned long long)bs->periodic);
}

/* The capture descriptor is readable. */
static void
egressd_live_read(evutil_socket_t fd, short what, void *arg)
{
	struct egressd	*e = arg;

	if (capture_dispatch(e->live, egressd_packet, e) == -1)
		log_warnx("capture read failed");
}

/*
 * Once a second: move packet time on from the wall clock when the link is
 * quiet (one second behind, so buffered packets are not "late"), and log
 * the stats every minute.
 */
static void
egressd_live_tick(evutil_socket_t fd, short what, void *arg)
{
	struct egressd	*e = arg;
	struct timespec	 ts;

	detect_flush(e->det);		/* alerts wait no longer than this */
	clock_gettime(CLOCK_REALTIME, &ts);
	flow_advance(e->flows, ((int64_t)ts.tv_sec - 1) * 1000000 +
	    ts.tv_nsec / 1000);
	if (e->geo != NULL)
		geo_reload(e->geo);
	if (ts.tv_sec - e->last_stats >= EGRESSD_STATS_EVERY) {
		e->last_stats = ts.tv_sec;
		egressd_log_stats(e);
	}
}

/* SIGTERM and SIGINT end the loop; the caller flushes. */
static void
egressd_live_signal(evutil_socket_t sig, short what, void *arg)
{
	struct egressd	*e = arg;

	log_info("signal %d: shutting down", (int)sig);
	event_base_loopbreak(e->base);
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

/* Capture live until a signal; the exit status. */
static int
egressd_live(struct egressd *e, const char *ifname)
{
	struct capture_live_opts	 o = { EGRESSD_SNAPLEN, 1,
					    EGRESSD_BUFSIZE, NULL };
	struct event			*rev, *tick, *sigterm, *sigint;
	struct timeval			 sec = { 1, 0 };
	char				 err[CAPTURE_ERRLEN];

	if ((e->live = capture_open_live(ifname, &o, err, sizeof(err))) ==
	    NULL) {
		log_warnx("%s: %s", ifname, err);
		return 1;
	}
	if (!decode_dlt_supported(capture_dlt(e->live))) {
		log_warnx("%s: link type %d (%s) is not supported", ifname,
		    capture_dlt(e->live), capture_dlt_name(e->live));
		capture_close(e->live);
		return 1;
	}
	egressd_drop_privileges();
	event_set_log_callback(egressd_event_log);
	if ((e->base = event_base_new()) == NULL)
		fatalx("event_base_new failed");
	rev = event_new(e->base, capture_fd(e->live), EV_READ | EV_PERSIST,
	    egressd_live_read, e);
	tick = event_new(e->base, -1, EV_PERSIST, egressd_live_tick, e);
	sigterm = evsignal_new(e->base, SIGTERM, egressd_live_signal, e);
	sigint = evsignal_new(e->base, SIGINT, egressd_live_signal, e);
	if (rev == NULL || tick == NULL || sigterm == NULL || sigint == NULL)
		fatalx("event_new failed");
	event_add(rev, NULL);
	event_add(tick, &sec);
	event_add(sigterm, NULL);
	event_add(sigint, NULL);
	e->last_stats = time(NULL);
	log_info("capturing on %s (%s)", ifname, capture_dlt_name(e->live));
	event_base_dispatch(e->base);
	capture_dispatch(e->live, egressd_packet, e);
	clock_flush(e->clock, egressd_frame, e);
	detect_flush(e->det);
	flow_flush(e->flows);
	egressd_log_stats(e);
	event_free(rev);
	event_free(tick);
	event_free(sigterm);
	event_free(sigint);
	event_base_free(e->base);
	capture_close(e->live);
	return 0;
}

int
main(int argc, char *argv[])
{
	struct egressd		 e;
	struct flow_config	 fc;
	struct record_out	 out;
	struct detect_in	 din;
	struct hash_key		 key;
	const char		*ifname = NULL, *jpath = NULL, **files = NULL;
	const char		*unsupported = NULL, *asn_db = NULL;
	const char		*country_db = NULL, *conffile = NULL;
	struct policy		*policy = NULL;
	char			 err[512], *dflt_asn = NULL, *dflt_cc = NULL;
	int			 ch, verbose = 0, foreground = 0, nfiles = 0;
	int			 status = 1, i, checkconf = 0, no_beacons = 0;
	int			 threads = 0, nstdin, tunnels_given = 0;
	unsigned int		 tunnels = 0, kinds;

	log_init("egressd", 1, 0);
	while ((ch = getopt_long(argc, argv, "c:dhi:j:r:tvw:",
	    egressd_longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			conffile = optarg;
			break;
		case 't':
			checkconf = 1;
			break;
		case 'w':
			unsupported = "-w: the audit store";
			break;
		case OPT_ASN_DB:
			asn_db = optarg;
			break;
		case OPT_COUNTRY_DB:
			country_db = optarg;
			break;
		case OPT_NO_BEACONS:
			no_beacons = 1;
			break;
		case OPT_VXLAN:
			tunnels |= DECODE_TUN_VXLAN;
			tunnels_given = 1;
			break;
		case OPT_TUNNEL:
			if (decode_tunnel_kinds(optarg, &kinds) == -1) {
				log_warnx("--tunnel: \"%s\": give gre, erspan "
				    "or vxlan, comma-separated", optarg);
				goto out;
			}
			tunnels |= kinds;
			tunnels_given = 1;
			break;
		case OPT_THREADS:
			if (strcmp(optarg, "1") != 0 &&
			    strcmp(optarg, "2") != 0) {
				log_warnx("--threads: \"%s\": give 1 or 2",
				    optarg);
				goto out;
			}
			threads = optarg[0] - '0';
			break;
		case 'd':
			foreground = 1;
			break;
		case 'i':
			ifname = optarg;
			break;
		case 'j':
			jpath = optarg;
			break;
		case 'r':
			files = xreallocarray(files, (size_t)nfiles + 1,
			    sizeof(*files));
			files[nfiles++] = optarg;
			break;
		case 'v':
			verbose++;
			break;
		case OPT_VERSION:
			printf("egressd %s\n", PACKAGE_VERSION);
			status = 0;
			goto out;
		case 'h':
		case OPT_HELP:
			usage(stdout);
			status = 0;
			goto out;
		default:
			usage(stderr);
			goto out;
		}
	}
	if (unsupported != NULL) {
		log_warnx("%s is not available in this version yet",
		    unsupported);
		goto out;
	}
	/* -r a.pcap b.pcap: the operands after -r are captures too. */
	if (optind < argc && nfiles > 0) {
		files = xreallocarray(files, (size_t)nfiles + (size_t)(argc -
		    optind), sizeof(*files));
		for (i = optind; i < argc; i++)
			files[nfiles++] = argv[i];
	} else if (optind < argc) {
		log_warnx("unexpected argument \"%s\"", argv[optind]);
		usage(stderr);
		goto out;
	}
	/* -t: check the policy (-tv: print it) and stop. */
	if (checkconf && conffile == NULL)
		conffile = EGRESSD_CONF;
	if (conffile != NULL && (policy = parse_config(conffile)) == NULL)
		goto out;
	if (checkconf) {
		if (verbose)
			policy_print(stdout, policy);
		if (fflush(stdout) == EOF || ferror(stdout))
			log_warn("stdout");
		else
			status = 0;
		goto out;
	}
	/* What the command line leaves open, the configuration says. */
	if (policy != NULL) {
		if (ifname == NULL && nfiles == 0)
			ifname = policy->opts.interface;
		if (asn_db == NULL)
			asn_db = policy->opts.asn_db;
		if (country_db == NULL)
			country_db = policy->opts.country_db;
		if (jpath == NULL)
			jpath = policy->opts.json;
	}
	if (ifname != NULL && nfiles > 0) {
		log_warnx("-i and -r cannot be used together");
		usage(stderr);
		goto out;
	}
	if (ifname == NULL && nfiles == 0) {
		log_warnx("give -i interface or -r capture");
		usage(stderr);
		goto out;
	}
	for (i = 0, nstdin = 0; i < nfiles; i++)
		nstdin += strcmp(files[i], "-") == 0;
	if (nstdin > 1) {
		log_warnx("-r: standard input (-) can be read only once");
		usage(stderr);
		goto out;
	}
	log_init("egressd", ifname == NULL || foreground, verbose);

	memset(&e, 0, sizeof(e));
	if (asn_db == NULL)
		asn_db = dflt_asn = egressd_find_db(egressd_asn_names,
		    nfiles ? files[0] : NULL);
	if (country_db == NULL)
		country_db = dflt_cc = egressd_find_db(egressd_country_names,
		    nfiles ? files[0] : NULL);
	if ((asn_db != NULL || country_db != NULL) &&
	    (e.geo = geo_open(asn_db, country_db, err, sizeof(err))) == NULL) {
		log_warnx("%s", err);
		goto out;
	}
	if (e.geo == NULL)
		log_info("no ASN or country database: destinations are not "
		    "named by network (see --asn-db, --country-db)");
	e.dec = decode_new();
	e.clock = clock_new();
	if (tunnels_given)
		decode_set_tunnels(e.dec, tunnels);
	else
		policy_decode_config(policy, e.dec);
	hash_key_random(&key);
	policy_flow_config(policy, &fc);
	e.flows = flow_table_new(&fc, &key, egressd_flow, &e);
	e.policy = policy;
	if (policy != NULL && policy->nmacs > 0)
		e.macs = mac_table_new(MAC_TABLE_MAX);
	if (policy != NULL)
		flow_set_rank(e.flows, egressd_rank, &e);
	flow_set_release(e.flows, egressd_release);
	e.app = app_new();
	if (jpath != NULL && (e.json = sink_json_open(jpath)) == NULL)
		log_warn("%s", jpath);
	else {
		if (ifname == NULL)
			e.sum = summary_new();
		memset(&din, 0, sizeof(din));
		din.app = e.app;
		din.geo = e.geo;
		din.json = e.json;
		din.policy = policy;
		din.no_beacons = no_beacons;
		din.threads = threads != 0 ? threads :
		    egressd_cpus() > 1 ? 2 : 1;
		din.macs = e.macs;
		e.det = detect_new(&din);
		memset(&out, 0, sizeof(out));
		out.geo = e.geo;
		out.app = e.app;
		out.json = e.json;
		out.sum = e.sum;
		out.policy = policy;
		out.macs = e.macs;
		out.detect = e.det;
		e.rec = record_new(&out);
		if (ifname != NULL)
			status = egressd_live(&e, ifname);
		else
			status = egressd_offline(&e, files, nfiles,
			    jpath != NULL && strcmp(jpath, "-") == 0);
		record_free(e.rec);
		e.rec = NULL;
		detect_free(e.det);
		e.det = NULL;
	}
	if (sink_json_close(e.json) == -1)
		status = 1;
	summary_free(e.sum);
	flow_table_free(e.flows);
	app_free(e.app);
	mac_table_free(e.macs);
	decode_free(e.dec);
	clock_free(e.clock);
	geo_close(e.geo);
out:
	policy_free(policy);
	free(dflt_asn);
	free(dflt_cc);
	free(files);
	return status;
}
