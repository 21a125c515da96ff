/*
 * egressctl: questions to the audit store egressd writes (-w, database).
 * Read-only, and safe beside a running egressd (WAL readers); several -w
 * files (the sensors of a site) are read as one, each row marked with its
 * sensor.  The queries and formats are in libegress (store_query.c,
 * store_print.c).
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "store.h"
#include "store_print.h"
#include "store_query.h"
#include "xmalloc.h"

#define EGRESSCTL_DB	"/var/lib/egressd/egressd.db"
#define EGRESSCTL_SOCKET	"/run/egressd/stats.sock"

enum {
	OPT_JSON = 256, OPT_CSV, OPT_APPLIANCE, OPT_GROUP, OPT_VERDICT,
	OPT_COUNTRY, OPT_ASN, OPT_DESTINATION, OPT_SINCE, OPT_UNTIL,
	OPT_ACTION, OPT_UNDELIVERED, OPT_VERSION, OPT_HELP, OPT_LIVE,
	OPT_SOCKET
};

static const struct option egressctl_longopts[] = {
	{ "json",	no_argument,		NULL, OPT_JSON },
	{ "csv",	no_argument,		NULL, OPT_CSV },
	{ "appliance",	required_argument,	NULL, OPT_APPLIANCE },
	{ "group",	required_argument,	NULL, OPT_GROUP },
	{ "verdict",	required_argument,	NULL, OPT_VERDICT },
	{ "country",	required_argument,	NULL, OPT_COUNTRY },
	{ "asn",	required_argument,	NULL, OPT_ASN },
	{ "destination", required_argument,	NULL, OPT_DESTINATION },
	{ "since",	required_argument,	NULL, OPT_SINCE },
	{ "until",	required_argument,	NULL, OPT_UNTIL },
	{ "action",	required_argument,	NULL, OPT_ACTION },
	{ "undelivered", no_argument,		NULL, OPT_UNDELIVERED },
	{ "live",	no_argument,		NULL, OPT_LIVE },
	{ "socket",	required_argument,	NULL, OPT_SOCKET },
	{ "version",	no_argument,		NULL, OPT_VERSION },
	{ "help",	no_argument,		NULL, OPT_HELP },
	{ NULL,		0,			NULL, 0 }
};

/* The filters by option, for "is not an option of" messages. */
static const struct { int opt, flag; const char *name; } egressctl_filters[] = {
	{ OPT_APPLIANCE, STORE_F_APPLIANCE, "--appliance" },
	{ OPT_GROUP, STORE_F_GROUP, "--group" },
	{ OPT_VERDICT, STORE_F_VERDICT, "--verdict" },
	{ OPT_COUNTRY, STORE_F_COUNTRY, "--country" },
	{ OPT_ASN, STORE_F_ASN, "--asn" },
	{ OPT_DESTINATION, STORE_F_DESTINATION, "--destination" },
	{ OPT_SINCE, STORE_F_SINCE, "--since" },
	{ OPT_UNTIL, STORE_F_UNTIL, "--until" },
	{ OPT_ACTION, STORE_F_ACTION, "--action" },
	{ OPT_UNDELIVERED, STORE_F_UNDELIVERED, "--undelivered" },
};

/* The synopsis, to stderr on a usage error or to stdout for --help. */
static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: egressctl [-w FILE ...] [--json | --csv] COMMAND [options]\n"
	    "  appliances\n"
	    "  destinations [--appliance A | --group G] [--verdict V]"
	    " [--country CC] [--asn N]\n"
	    "  names\n"
	    "  alerts [--since T] [--until T] [--action A] [--undelivered]\n"
	    "  beacons\n"
	    "  flows [--appliance A] [--destination D] [--since T]"
	    " [--until T]\n"
	    "  captures\n"
	    "  stats [--live | --socket PATH]\n"
	    "  -w FILE   an audit store (default " EGRESSCTL_DB "); several\n"
	    "            are read as one, each row marked with its sensor\n"
	    "  T         RFC 3339 (2026-03-02T08:00:00Z), or back from the\n"
	    "            newest time stored: 90s, 30m, 24h, 7d, 2w\n"
	    "  --live    stats: a running egressd's figures, from its\n"
	    "            stats-socket (default " EGRESSCTL_SOCKET ")\n");
}

/* Is a stats value a number (printed bare in JSON)? */
static int
egressctl_is_number(const char *v)
{
	if (*v == '\0')
		return 0;
	for (; *v != '\0'; v++)
		if (!isdigit((unsigned char)*v))
			return 0;
	return 1;
}

/*
 * stats --live: read a running egressd's figures from its stats socket and
 * print them, "name value" a line, or one JSON object; the exit status.
 */
static int
egressctl_live(const char *path, int json)
{
	struct sockaddr_un	 sun;
	FILE			*fp;
	char			 line[512], *sp;
	int			 fd, n = 0;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		log_warnx("%s: too long", path);
		return 1;
	}
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		log_warn("%s", path);
		if (fd != -1)
			close(fd);
		return 1;
	}
	if ((fp = fdopen(fd, "r")) == NULL) {
		log_warn("%s", path);
		close(fd);
		return 1;
	}
	if (json)
		putchar('{');
	while (fgets(line, sizeof(line), fp) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (!json) {
			puts(line);
			continue;
		}
		if ((sp = strchr(line, ' ')) == NULL)
			continue;
		*sp++ = '\0';
		/*
		 * names are [a-z_] (syslog_queue.NAME: [A-Za-z0-9._-]),
		 * values numbers or words egressd wrote
		 */
		printf(egressctl_is_number(sp) ? "%s\"%s\": %s" :
		    "%s\"%s\": \"%s\"", n++ ? ", " : "", line, sp);
	}
	if (json)
		puts("}");
	fclose(fp);
	if (n == 0 && json) {
		log_warnx("%s: no figures", path);
		return 1;
	}
	if (fflush(stdout) == EOF || ferror(stdout)) {
		log_warn("stdout");
		return 1;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	struct store_filter	 f;
	struct store_result	 r;
	enum store_format	 fmt = STORE_FMT_TABLE;
	const char		*since = NULL, *until = NULL, *cmd, *base;
	const char		*live = NULL;
	const char		**files = NULL;
	char			 err[STORE_ERRLEN], *sensor, *dot, *end;
	sqlite3			**dbs;
	int64_t			 newest = INT64_MIN, t;
	int			 ch, i, k, nfiles = 0, given = 0, allowed;
	int			 status = 1;

	log_init("egressctl", 1, 0);
	memset(&f, 0, sizeof(f));
	while ((ch = getopt_long(argc, argv, "hw:", egressctl_longopts,
	    NULL)) != -1) {
		for (k = 0; k < (int)(sizeof(egressctl_filters) /
		    sizeof(egressctl_filters[0])); k++)
			if (egressctl_filters[k].opt == ch)
				given |= egressctl_filters[k].flag;
		switch (ch) {
		case 'w':
			files = xreallocarray(files, (size_t)nfiles + 1,
			    sizeof(*files));
			files[nfiles++] = optarg;
			break;
		case OPT_JSON:
			fmt = STORE_FMT_JSON;
			break;
		case OPT_CSV:
			fmt = STORE_FMT_CSV;
			break;
		case OPT_APPLIANCE:
			f.appliance = optarg;
			break;
		case OPT_GROUP:
			f.group = optarg;
			break;
		case OPT_VERDICT:
			f.verdict = optarg;
			break;
		case OPT_COUNTRY:
			f.country = optarg;
			break;
		case OPT_ASN:
			errno = 0;
			f.asn = strtoll(optarg + (strncasecmp(optarg, "AS",
			    2) == 0 ? 2 : 0), &end, 10);
			if (errno != 0 || *end != '\0' || end == optarg ||
			    f.asn < 0 || f.asn > UINT32_MAX) {
				log_warnx("--asn: \"%s\" is not an AS number",
				    optarg);
				goto out;
			}
			f.has_asn = 1;
			break;
		case OPT_DESTINATION:
			f.destination = optarg;
			break;
		case OPT_SINCE:
			since = optarg;
			break;
		case OPT_UNTIL:
			until = optarg;
			break;
		case OPT_ACTION:
			f.action = optarg;
			break;
		case OPT_UNDELIVERED:
			f.undelivered = 1;
			break;
		case OPT_LIVE:
			live = EGRESSCTL_SOCKET;
			break;
		case OPT_SOCKET:
			live = optarg;
			break;
		case OPT_VERSION:
			printf("egressctl %s\n", PACKAGE_VERSION);
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
	if (optind != argc - 1) {
		if (optind >= argc)
			log_warnx("give a command");
		else
			log_warnx("unexpected argument \"%s\"", argv[optind + 1]);
		usage(stderr);
		goto out;
	}
	cmd = argv[optind];
	if (live != NULL) {
		if (strcmp(cmd, "stats") != 0 || nfiles > 0) {
			log_warnx("--live and --socket are for stats alone");
			goto out;
		}
		status = egressctl_live(live, fmt == STORE_FMT_JSON);
		goto out;
	}
	if ((allowed = store_query_filters(cmd)) == -1) {
		log_warnx("unknown command \"%s\"", cmd);
		usage(stderr);
		goto out;
	}
	for (k = 0; k < (int)(sizeof(egressctl_filters) /
	    sizeof(egressctl_filters[0])); k++)
		if ((given & egressctl_filters[k].flag) &&
		    !(allowed & egressctl_filters[k].flag)) {
			log_warnx("%s: %s is not an option of this command",
			    cmd, egressctl_filters[k].name);
			goto out;
		}
	if (f.appliance != NULL && f.group != NULL) {
		log_warnx("%s: give --appliance or --group, not both", cmd);
		goto out;
	}
	if (nfiles == 0) {
		files = xreallocarray(files, 1, sizeof(*files));
		files[nfiles++] = EGRESSCTL_DB;
	}
	dbs = xcalloc((size_t)nfiles, sizeof(*dbs));
	for (i = 0; i < nfiles; i++) {
		if ((dbs[i] = store_open(files[i], STORE_READ, err,
		    sizeof(err))) == NULL) {
			log_warnx("%s", err);
			goto close;
		}
		if (store_query_newest(dbs[i], &t) == 0 && t > newest)
			newest = t;
	}
	if ((since != NULL && store_time_parse(since, newest, &f.since) ==
	    -1) || (until != NULL && store_time_parse(until, newest,
	    &f.until) == -1)) {
		log_warnx("%s: \"%s\" is not a time (RFC 3339, or 24h, 7d ...)",
		    cmd, since != NULL && store_time_parse(since, newest, &t) ==
		    -1 ? since : until);
		goto close;
	}
	f.has_since = since != NULL;
	f.has_until = until != NULL;
	store_query_init(&r, cmd);
	for (i = 0; i < nfiles; i++) {
		base = strrchr(files[i], '/') ? strrchr(files[i], '/') + 1 :
		    files[i];
		sensor = xstrdup(base);
		if ((dot = strrchr(sensor, '.')) != NULL && dot != sensor)
			*dot = '\0';
		k = store_query_run(dbs[i], cmd, sensor, &f, &r, err,
		    sizeof(err));
		free(sensor);
		if (k == -1) {
			log_warnx("%s: %s", files[i], err);
			store_query_free(&r);
			goto close;
		}
	}
	store_query_sort(&r);
	if (store_print(stdout, &r, fmt, nfiles > 1) == -1)
		log_warn("stdout");
	else
		status = 0;
	store_query_free(&r);
close:
	for (i = 0; i < nfiles; i++)
		store_close(dbs[i]);
	free(dbs);
out:
	free(files);
	return status;
}
