/*
 * The configuration language: a bison grammar with its own lexer, in the
 * manner of the OpenBSD daemons.  It reads one file (and what it
 * includes) or a buffer into a struct policy, reports every error as
 * "file:line: message", and rejects the configuration whole on any.
 *
 * Lexer: words (letters, digits and - _ . : / *), quoted strings ("...",
 * where \" and \\ are the only escapes; UTF-8, one line, 1024 bytes at
 * most), numbers (digits only), the characters { } , = and newline; "#"
 * starts a comment.  "$name" is replaced by the text of macro name
 * (defined with name = "text"), which is read as tokens.  An included file
 * is read where its include statement is, and relative paths are relative
 * to the directory of the file that includes them.
 */
%{
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>
#include <ctype.h>
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <search.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "decode.h"
#include "log.h"
#include "policy.h"
#include "syslog_msg.h"
#include "xmalloc.h"

#define PARSE_MAX_TOKEN		1024
#define PARSE_MAX_FILE		(4 * 1024 * 1024)
#define PARSE_MAX_INCLUDE	16	/* files included within each other */
#define PARSE_MAX_FILES		1024	/* files read in all */
#define PARSE_MAX_BYTES_READ	(64 * 1024 * 1024)	/* read in all */
#define PARSE_MAX_MACRO		32	/* macros expanded within each other */
#define PARSE_MAX_EXPANSION	(1024 * 1024)	/* bytes of macro text in all */
#define PARSE_NL		256	/* a newline that ends no line */
#define PARSE_MAX_SAME		10	/* errors of a kind printed */
#define PARSE_KINDS		64	/* kinds of error counted */
#define PARSE_PUSHBACK		4

#define PARSE_MAX_WINDOW	(30 * 86400 * 1000000LL)
#define PARSE_MAX_FLOWS		100000000LL
#define PARSE_MAX_BYTES		1000000000000000LL
#define PARSE_MAX_RETENTION	(36500LL * 86400 * 1000000)
#define PARSE_MAX_BATCH_ROWS	1000000
#define PARSE_MAX_BUFFER	2000000000LL	/* pcap_set_buffer_size: an int */

/* One source of characters: a file, a buffer, or the text of a macro. */
struct parse_input {
	struct parse_input	*prev;		/* read after this one */
	struct parse_input	*parent;	/* the file that included it */
	const char		*name;		/* the policy's copy */
	char			*buf;
	size_t			 len, pos;
	int			 lineno;
	int			 depth;		/* of includes */
	int			 nl;		/* give a PARSE_NL first */
	int			 done;		/* its end was given */
	int			 push[PARSE_PUSHBACK];	/* given back */
	int			 npush;
	char			*macro;		/* the macro's name, or NULL */
	dev_t			 dev;
	ino_t			 ino;
};

/* Everything allocated while parsing, freed at the end. */
struct parse_chunk {
	struct parse_chunk	*next;
	max_align_t		 data[];
};

/* A word or number of a list, with its line. */
struct parse_item {
	struct parse_item	*next;
	char			*s;		/* NULL for a number */
	int64_t			 num;
	int			 line;
};

struct parse_list {
	struct parse_item	*head;
	struct parse_item	**tail;
	size_t			 n;
};

/* "to ..." of a rule: which kind of selector, and its items. */
struct parse_sel {
	enum policy_selector	 kind;
	struct parse_list	*list;
};

/* "proto ..." and "port ..." of a rule. */
struct parse_ropts {
	struct parse_list	*protos;
	struct parse_list	*ports;
	int			 proto_line, port_line;
};

/* A unit of a duration or a size, and what it multiplies by. */
struct parse_unit {
	const char	*unit;
	int64_t		 mult;
};

struct parse_macro {
	char	*name;
	char	*value;
};

/* An error found after the parse, to print in order. */
struct parse_late {
	const char	*file;
	size_t		 fileidx;
	int		 line;
	size_t		 seq;
	char		*msg;
};

/* One kind of error (its format): how many, the first, the last place. */
struct parse_kind {
	const char	*fmt;
	size_t		 n;
	char		 first[256];
	const char	*file;
	int		 line;
};

enum parse_opt {
	PARSE_O_INTERFACE, PARSE_O_ASN_DB, PARSE_O_COUNTRY_DB,
	PARSE_O_DATABASE, PARSE_O_JSON, PARSE_O_ACTIVE, PARSE_O_MAX_FLOWS,
	PARSE_O_UNAPPROVED, PARSE_O_EXFIL_THRESHOLD, PARSE_O_EXFIL_WINDOW,
	PARSE_O_DB_RETENTION, PARSE_O_DB_BATCH_ROWS, PARSE_O_DB_BATCH_INTERVAL,
	PARSE_O_USER, PARSE_O_RUN_AS_ROOT, PARSE_O_FILTER, PARSE_O_BUFFER_SIZE,
	PARSE_O_STATS_INTERVAL, PARSE_O_STATS_SOCKET, PARSE_O_CAPTURE_LOSS,
	PARSE_O_DETECT,		/* + parse_detect_opts index */
	PARSE_O_IDLE = PARSE_O_DETECT + 9,	/* + flow class */
	PARSE_O_MAX = PARSE_O_IDLE + FLOW_C_MAX
};

struct parse_state {
	struct policy		*pol;
	struct parse_input	*in;
	int			 nfiles;
	size_t			 bytes_read;
	size_t			 expanded;	/* bytes of macro text read */
	int			 from_buffer;
	FILE			*errfp;
	int			 errors;
	const char		*errfile;	/* where the last error was */
	int			 errline;
	const char		*tokfile;	/* where the last token was */
	int			 tokline;
	struct parse_chunk	*chunks;
	void			*macros;	/* tsearch(3) tree by name */
	void			*groups;	/* of group names */
	struct parse_late	*late;
	size_t			 nlate;
	struct policy_group	*group;		/* being read */
	struct parse_kind	 kinds[PARSE_KINDS];
	int			 nkinds;
	struct policy_syslog	*syslog;	/* being read */
	const char		*opt_file[PARSE_O_MAX];
	int			 opt_line[PARSE_O_MAX];
	char			 tok[PARSE_MAX_TOKEN + 1];
};

struct parse_value {
	union {
		int64_t			 number;
		char			*string;
		struct parse_list	*list;
		struct parse_sel	*sel;
		struct parse_ropts	*ropts;
	} v;
	int	lineno;
};

static int	yylex(struct parse_value *, struct parse_state *);
static void	yyerror(struct parse_state *, const char *);
static void	parse_error(struct parse_state *, int, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static const char *parse_curfile(struct parse_state *);
static void	*parse_alloc(struct parse_state *, size_t);
static char	*parse_strdup(struct parse_state *, const char *);
static struct parse_list *parse_list_new(struct parse_state *);
static struct parse_list *parse_list_add(struct parse_state *,
		    struct parse_list *, char *, int64_t, int);
static void	parse_include(struct parse_state *, const char *, int);
static void	parse_macro_set(struct parse_state *, const char *,
		    const char *);
static void	parse_opt_str(struct parse_state *, enum parse_opt,
		    const char *, char **, const char *, int);
static void	parse_opt_duration(struct parse_state *, enum parse_opt,
		    const char *, int64_t *, struct parse_item *, int64_t,
		    int64_t);
static void	parse_opt_yesno(struct parse_state *, enum parse_opt,
		    const char *, int *, struct parse_item *);
static void	parse_opt_count(struct parse_state *, enum parse_opt,
		    const char *, uint64_t *, struct parse_item *, int64_t,
		    int);
static void	parse_opt_detect(struct parse_state *, char *,
		    struct parse_item *);
static void	parse_opt_idle(struct parse_state *, struct parse_item *,
		    struct parse_item *);
static void	parse_site(struct parse_state *, struct policy_prefix **,
		    size_t *, struct parse_list *);
static void	parse_tunnel(struct parse_state *, struct parse_list *,
		    struct parse_list *, int);
static void	parse_syslog_begin(struct parse_state *, const char *, int);
static void	parse_syslog_opt(struct parse_state *, const char *,
		    struct parse_item *, int);
static void	parse_syslog_end(struct parse_state *);
static void	parse_group_begin(struct parse_state *, const char *, int);
static void	parse_group_end(struct parse_state *);
static void	parse_hosts(struct parse_state *, struct parse_list *);
static void	parse_label(struct parse_state *, char **, const char *,
		    const char *, int);
static void	parse_rule(struct parse_state *, enum policy_action,
		    struct parse_sel *, struct parse_ropts *, int);
static struct parse_sel *parse_sel_new(struct parse_state *,
		    enum policy_selector, struct parse_list *);
%}

%define api.pure full
%define api.value.type {struct parse_value}
%define parse.error verbose
%param {struct parse_state *ps}

%token ALLOW "allow" ASN "asn" ASNDB "asn-db" COUNTRY "country"
%token COUNTRYDB "country-db" DATABASE "database" DENY "deny"
%token DOMAIN "domain" EXFILTHRESHOLD "exfil-threshold"
%token EXFILWINDOW "exfil-window" FLOWACTIVE "flow-active-timeout"
%token FLOWIDLE "flow-idle-timeout" GROUP "group" HOSTS "hosts"
%token INCLUDE "include" INTERFACE "interface" INTERNAL "internal"
%token JSON "json" MAXFLOWS "max-flows" MODEL "model"
%token NTPSERVERS "ntp-servers" PORT "port" PROTO "proto"
%token RESOLVERS "resolvers" SYSLOG "syslog" TO "to" TUNNEL "tunnel" FROM "from"
%token UNAPPROVEDWINDOW "unapproved-window" VENDOR "vendor"
%token ERROR "invalid token" EOL "end of line"
%token DBRETENTION "database-retention" DBBATCHROWS "database-batch-rows"
%token DBBATCHINTERVAL "database-batch-interval"
%token USER "user" RUNASROOT "run-as-root" FILTER "filter"
%token BUFFERSIZE "buffer-size" STATSINTERVAL "stats-interval"
%token STATSSOCKET "stats-socket" CAPTURELOSS "capture-loss-threshold"
%token <v.string> DETECTOPT "detection option"
%token <v.string> STRING "string"
%token <v.number> NUMBER "number"
%type <v.list> atom atoms itemlist
%type <v.sel> selector
%type <v.ropts> ruleopts

%%

grammar		: %empty
		| grammar EOL
		| grammar statement EOL
		| grammar badword error EOL	{ yyerrok; }
		| grammar ingroup error EOL	{ yyerrok; }
		| grammar error EOL		{ yyerrok; }
		;

statement	: include
		| macro
		| option
		| dboption
		| daemonoption
		| site
		| group
		| deny
		| syslog
		;

badword		: STRING {
			parse_error(ps, $<lineno>1, "unknown keyword \"%s\"",
			    $1);
		}
		;

ingroup		: ALLOW {
			parse_error(ps, $<lineno>1, "allow is for a group: "
			    "group \"name\" { ... allow to ... }");
		}
		| HOSTS {
			parse_error(ps, $<lineno>1, "hosts is for a group: "
			    "group \"name\" { hosts { ... } ... }");
		}
		| VENDOR {
			parse_error(ps, $<lineno>1, "vendor is for a group");
		}
		| MODEL {
			parse_error(ps, $<lineno>1, "model is for a group");
		}
		;

include		: INCLUDE STRING {
			parse_include(ps, $2, $<lineno>2);
		}
		;

macro		: STRING '=' atom {
			if ($3->head->s != NULL)
				parse_macro_set(ps, $1, $3->head->s);
			else {
				char	num[32];

				snprintf(num, sizeof(num), "%lld",
				    (long long)$3->head->num);
				parse_macro_set(ps, $1, num);
			}
		}
		;

option		: INTERFACE STRING {
			parse_opt_str(ps, PARSE_O_INTERFACE, "interface",
			    &ps->pol->opts.interface, $2, $<lineno>2);
		}
		| ASNDB STRING {
			parse_opt_str(ps, PARSE_O_ASN_DB, "asn-db",
			    &ps->pol->opts.asn_db, $2, $<lineno>2);
		}
		| COUNTRYDB STRING {
			parse_opt_str(ps, PARSE_O_COUNTRY_DB, "country-db",
			    &ps->pol->opts.country_db, $2, $<lineno>2);
		}
		| DATABASE STRING {
			parse_opt_str(ps, PARSE_O_DATABASE, "database",
			    &ps->pol->opts.database, $2, $<lineno>2);
		}
		| JSON STRING {
			parse_opt_str(ps, PARSE_O_JSON, "json",
			    &ps->pol->opts.json, $2, $<lineno>2);
		}
		| FLOWIDLE atom atom {
			parse_opt_idle(ps, $2->head, $3->head);
		}
		| FLOWACTIVE atom {
			parse_opt_duration(ps, PARSE_O_ACTIVE,
			    "flow-active-timeout",
			    &ps->pol->opts.active_timeout, $2->head, 1000,
			    FLOW_MAX_TIMEOUT);
		}
		| MAXFLOWS atom {
			parse_opt_count(ps, PARSE_O_MAX_FLOWS, "max-flows",
			    &ps->pol->opts.max_flows, $2->head,
			    PARSE_MAX_FLOWS, 0);
		}
		| UNAPPROVEDWINDOW atom {
			parse_opt_duration(ps, PARSE_O_UNAPPROVED,
			    "unapproved-window",
			    &ps->pol->opts.unapproved_window, $2->head,
			    1000000, PARSE_MAX_WINDOW);
		}
		| EXFILTHRESHOLD atom {
			parse_opt_count(ps, PARSE_O_EXFIL_THRESHOLD,
			    "exfil-threshold", &ps->pol->opts.exfil_threshold,
			    $2->head, PARSE_MAX_BYTES, 1);
		}
		| EXFILWINDOW atom {
			parse_opt_duration(ps, PARSE_O_EXFIL_WINDOW,
			    "exfil-window", &ps->pol->opts.exfil_window,
			    $2->head, 1000000, PARSE_MAX_WINDOW);
		}
		| TUNNEL atoms {
			parse_tunnel(ps, $2, NULL, $<lineno>1);
		}
		| TUNNEL atoms FROM atoms {
			parse_tunnel(ps, $2, $4, $<lineno>1);
		}
		| DETECTOPT atom {
			parse_opt_detect(ps, $1, $2->head);
		}
		;

/* The audit store's retention and batches (the file is "database"). */
dboption	: DBRETENTION atom {
			parse_opt_duration(ps, PARSE_O_DB_RETENTION,
			    "database-retention",
			    &ps->pol->opts.database_retention, $2->head,
			    1000000, PARSE_MAX_RETENTION);
		}
		| DBBATCHROWS atom {
			parse_opt_count(ps, PARSE_O_DB_BATCH_ROWS,
			    "database-batch-rows",
			    &ps->pol->opts.database_batch_rows, $2->head,
			    PARSE_MAX_BATCH_ROWS, 0);
		}
		| DBBATCHINTERVAL atom {
			parse_opt_duration(ps, PARSE_O_DB_BATCH_INTERVAL,
			    "database-batch-interval",
			    &ps->pol->opts.database_batch_interval, $2->head,
			    1000, 86400 * 1000000LL);
		}
		;

/* The live daemon's: privileges, capture, stats. */
daemonoption	: USER STRING {
			parse_opt_str(ps, PARSE_O_USER, "user",
			    &ps->pol->opts.user, $2, $<lineno>2);
		}
		| RUNASROOT atom {
			parse_opt_yesno(ps, PARSE_O_RUN_AS_ROOT, "run-as-root",
			    &ps->pol->opts.run_as_root, $2->head);
		}
		| FILTER STRING {
			parse_opt_str(ps, PARSE_O_FILTER, "filter",
			    &ps->pol->opts.filter, $2, $<lineno>2);
		}
		| BUFFERSIZE atom {
			parse_opt_count(ps, PARSE_O_BUFFER_SIZE, "buffer-size",
			    &ps->pol->opts.buffer_size, $2->head,
			    PARSE_MAX_BUFFER, 1);
		}
		| STATSINTERVAL atom {
			parse_opt_duration(ps, PARSE_O_STATS_INTERVAL,
			    "stats-interval", &ps->pol->opts.stats_interval,
			    $2->head, 1000000, 86400 * 1000000LL);
		}
		| STATSSOCKET STRING {
			parse_opt_str(ps, PARSE_O_STATS_SOCKET, "stats-socket",
			    &ps->pol->opts.stats_socket, $2, $<lineno>2);
		}
		| CAPTURELOSS atom {
			parse_opt_count(ps, PARSE_O_CAPTURE_LOSS,
			    "capture-loss-threshold",
			    &ps->pol->opts.capture_loss, $2->head,
			    PARSE_MAX_FLOWS, 0);
		}
		;

site		: INTERNAL atoms {
			parse_site(ps, &ps->pol->internal,
			    &ps->pol->ninternal, $2);
		}
		| RESOLVERS atoms {
			parse_site(ps, &ps->pol->resolvers,
			    &ps->pol->nresolvers, $2);
		}
		| NTPSERVERS atoms {
			parse_site(ps, &ps->pol->ntp,
			    &ps->pol->nntp, $2);
		}
		;

group		: GROUP STRING {
			parse_group_begin(ps, $2, $<lineno>2);
		} '{' optnl groupbody grouplast '}' {
			parse_group_end(ps);
		}
		;

/* syslog "name" { transport tcp; host ...; ... }: a delivering sink. */
syslog		: SYSLOG STRING {
			parse_syslog_begin(ps, $2, $<lineno>2);
		} '{' optnl syslogbody sysloglast '}' {
			parse_syslog_end(ps);
		}
		;

syslogbody	: %empty
		| syslogbody syslogitem syslogsep
		| syslogbody error nl		{ yyerrok; }
		;

syslogsep	: nl
		| ';' optnl
		;

sysloglast	: %empty
		| syslogitem
		;

syslogitem	: STRING atom {
			parse_syslog_opt(ps, $1, $2->head, $<lineno>1);
		}
		| PORT atom {
			parse_syslog_opt(ps, "port", $2->head, $<lineno>1);
		}
		| STRING JSON {
			struct parse_item	it = { .s = "json" };

			it.line = $<lineno>2;
			parse_syslog_opt(ps, $1, &it, $<lineno>1);
		}
		;

groupbody	: %empty
		| groupbody groupitem nl
		| groupbody groupbad error nl	{ yyerrok; }
		| groupbody toplevel error nl	{ yyerrok; }
		| groupbody error nl		{ yyerrok; }
		;

grouplast	: %empty
		| groupitem
		;

groupbad	: STRING {
			parse_error(ps, $<lineno>1,
			    "unknown keyword \"%s\" in a group", $1);
		}
		;

toplevel	: DENY {
			parse_error(ps, $<lineno>1, "deny rules are for every "
			    "group: write them outside any group");
		}
		| GROUP {
			parse_error(ps, $<lineno>1, "a group inside a group "
			    "(is a \"}\" missing?)");
		}
		| INCLUDE {
			parse_error(ps, $<lineno>1, "include inside a group");
		}
		;

groupitem	: HOSTS atoms {
			parse_hosts(ps, $2);
		}
		| VENDOR STRING {
			parse_label(ps, &ps->group->vendor, "vendor", $2,
			    $<lineno>2);
		}
		| MODEL STRING {
			parse_label(ps, &ps->group->model, "model", $2,
			    $<lineno>2);
		}
		| VENDOR STRING MODEL STRING {
			parse_label(ps, &ps->group->vendor, "vendor", $2,
			    $<lineno>2);
			parse_label(ps, &ps->group->model, "model", $4,
			    $<lineno>4);
		}
		| ALLOW TO selector ruleopts {
			parse_rule(ps, POLICY_ALLOW, $3, $4, $<lineno>1);
		}
		;

deny		: DENY TO selector ruleopts {
			parse_rule(ps, POLICY_DENY, $3, $4, $<lineno>1);
		}
		;

selector	: atoms {
			$$ = parse_sel_new(ps, POLICY_SEL_ADDR, $1);
		}
		| ASN atoms {
			$$ = parse_sel_new(ps, POLICY_SEL_ASN, $2);
		}
		| COUNTRY atoms {
			$$ = parse_sel_new(ps, POLICY_SEL_COUNTRY, $2);
		}
		| DOMAIN atoms {
			$$ = parse_sel_new(ps, POLICY_SEL_DOMAIN, $2);
		}
		;

ruleopts	: %empty {
			$$ = parse_alloc(ps, sizeof(struct parse_ropts));
		}
		| ruleopts PROTO atoms {
			$$ = $1;
			if ($$->protos != NULL)
				parse_error(ps, $<lineno>2,
				    "proto given twice in one rule");
			else {
				$$->protos = $3;
				$$->proto_line = $<lineno>2;
			}
		}
		| ruleopts PORT atoms {
			$$ = $1;
			if ($$->ports != NULL)
				parse_error(ps, $<lineno>2,
				    "port given twice in one rule");
			else {
				$$->ports = $3;
				$$->port_line = $<lineno>2;
			}
		}
		;

atom		: STRING {
			$$ = parse_list_add(ps, parse_list_new(ps), $1, 0,
			    $<lineno>1);
		}
		| NUMBER {
			$$ = parse_list_add(ps, parse_list_new(ps), NULL, $1,
			    $<lineno>1);
		}
		;

atoms		: atom			{ $$ = $1; }
		| '{' optnl itemlist '}' { $$ = $3; }
		;

itemlist	: atom optnl		{ $$ = $1; }
		| itemlist comma atom optnl {
			$$ = $1;
			*$$->tail = $3->head;
			$$->tail = $3->tail;
			$$->n++;
		}
		;

comma		: ',' optnl
		| %empty
		;

optnl		: %empty
		| nl
		;

nl		: EOL
		| nl EOL
		;

%%

struct parse_keyword {
	const char	*name;
	int		 token;
};

/* Sorted for bsearch. */
static const struct parse_keyword parse_keywords[] = {
	{ "allow",		ALLOW },
	{ "asn",		ASN },
	{ "asn-db",		ASNDB },
	{ "beacon-window",	DETECTOPT },
	{ "buffer-size",	BUFFERSIZE },
	{ "capture-loss-threshold", CAPTURELOSS },
	{ "country",		COUNTRY },
	{ "country-db",		COUNTRYDB },
	{ "database",		DATABASE },
	{ "database-batch-interval", DBBATCHINTERVAL },
	{ "database-batch-rows", DBBATCHROWS },
	{ "database-retention",	DBRETENTION },
	{ "deny",		DENY },
	{ "dns-poll-count",	DETECTOPT },
	{ "dns-poll-spread",	DETECTOPT },
	{ "dns-tunnel-answers",	DETECTOPT },
	{ "dns-tunnel-encoded",	DETECTOPT },
	{ "dns-tunnel-label",	DETECTOPT },
	{ "dns-tunnel-names",	DETECTOPT },
	{ "dns-tunnel-window",	DETECTOPT },
	{ "domain",		DOMAIN },
	{ "exfil-threshold",	EXFILTHRESHOLD },
	{ "exfil-window",	EXFILWINDOW },
	{ "filter",		FILTER },
	{ "flow-active-timeout", FLOWACTIVE },
	{ "flow-idle-timeout",	FLOWIDLE },
	{ "from",		FROM },
	{ "group",		GROUP },
	{ "hosts",		HOSTS },
	{ "include",		INCLUDE },
	{ "interface",		INTERFACE },
	{ "internal",		INTERNAL },
	{ "json",		JSON },
	{ "long-connection",	DETECTOPT },
	{ "max-flows",		MAXFLOWS },
	{ "model",		MODEL },
	{ "ntp-servers",	NTPSERVERS },
	{ "port",		PORT },
	{ "proto",		PROTO },
	{ "resolvers",		RESOLVERS },
	{ "run-as-root",	RUNASROOT },
	{ "stats-interval",	STATSINTERVAL },
	{ "stats-socket",	STATSSOCKET },
	{ "syslog",		SYSLOG },
	{ "to",			TO },
	{ "tunnel",		TUNNEL },
	{ "unapproved-window",	UNAPPROVEDWINDOW },
	{ "user",		USER },
	{ "vendor",		VENDOR },
};

/*
 * Where an error is: "file:line: ", the file's name as the operator gave
 * it, with its control characters escaped (log_escape).
 */
static void
parse_where(FILE *fp, const char *file, int line)
{
	log_escape_print(fp, file);
	fprintf(fp, ":%d: ", line);
}

/*
 * Report an error at a line of the file being read.  Of one kind (one
 * format) the first PARSE_MAX_SAME are printed, the rest only counted
 * (parse_more_flush says how many): forty levels of macros that double
 * each other gave 139,776 lines of the same error.
 */
static void
parse_error(struct parse_state *ps, int line, const char *fmt, ...)
{
	struct parse_kind	*k = NULL;
	va_list			 ap;
	int			 i;

	ps->errors++;
	ps->errfile = parse_curfile(ps);
	ps->errline = line;
	if (ps->errfp == NULL)
		return;
	for (i = 0; i < ps->nkinds; i++)
		if (ps->kinds[i].fmt == fmt)
			k = &ps->kinds[i];
	if (k == NULL && ps->nkinds < PARSE_KINDS) {
		k = &ps->kinds[ps->nkinds++];
		k->fmt = fmt;
		va_start(ap, fmt);
		vsnprintf(k->first, sizeof(k->first), fmt, ap);
		va_end(ap);
	}
	if (k != NULL && ++k->n > PARSE_MAX_SAME) {
		k->file = ps->errfile;
		k->line = line;
		return;
	}
	va_start(ap, fmt);
	parse_where(ps->errfp, ps->errfile, line);
	vfprintf(ps->errfp, fmt, ap);
	fputc('\n', ps->errfp);
	va_end(ap);
}

/* How many errors of each kind were not printed, at the last of them. */
static void
parse_more_flush(struct parse_state *ps)
{
	struct parse_kind	*k;
	int			 i;

	for (i = 0; i < ps->nkinds && ps->errfp != NULL; i++) {
		k = &ps->kinds[i];
		if (k->n > PARSE_MAX_SAME) {
			parse_where(ps->errfp, k->file, k->line);
			fprintf(ps->errfp, "... %zu more like: %s\n",
			    k->n - PARSE_MAX_SAME, k->first);
		}
	}
}

/*
 * A syntax error from the parser, at the last token read; not reported
 * when a more precise error was on the same line already.
 */
static void
yyerror(struct parse_state *ps, const char *msg)
{
	if (ps->errfile == ps->tokfile && ps->errline == ps->tokline &&
	    ps->errors > 0)
		return;
	ps->errors++;
	ps->errfile = ps->tokfile;
	ps->errline = ps->tokline;
	if (ps->errfp != NULL) {
		parse_where(ps->errfp, ps->tokfile, ps->tokline);
		fprintf(ps->errfp, "%s\n", msg);
	}
}

/* Errors found once the whole policy is there (policy_finish), kept to sort. */
static void
parse_finish_error(void *arg, const char *file, int line, const char *msg)
{
	struct parse_state	*ps = arg;
	struct parse_late	*e;

	ps->errors++;
	ps->late = xreallocarray(ps->late, ps->nlate + 1, sizeof(*ps->late));
	e = &ps->late[ps->nlate];
	e->file = file;
	e->line = line;
	e->seq = ps->nlate++;
	e->msg = xstrdup(msg);
}

/* The index of a file in the order files were read. */
static size_t
parse_file_index(const struct policy *pol, const char *file)
{
	size_t	i;

	for (i = 0; i < pol->nfiles; i++)
		if (pol->files[i] == file)
			return i;
	return i;
}

/* Order late errors by file (as read), line, and as found. */
static int
parse_late_cmp(const void *a, const void *b)
{
	const struct parse_late	*x = a, *y = b;

	if (x->fileidx != y->fileidx)
		return x->fileidx < y->fileidx ? -1 : 1;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Print the errors policy_finish found, in file and line order. */
static void
parse_late_flush(struct parse_state *ps)
{
	size_t	i;

	if (ps->nlate == 0)
		return;
	for (i = 0; i < ps->nlate; i++)
		ps->late[i].fileidx = parse_file_index(ps->pol,
		    ps->late[i].file);
	qsort(ps->late, ps->nlate, sizeof(*ps->late), parse_late_cmp);
	for (i = 0; i < ps->nlate; i++) {
		if (ps->errfp != NULL) {
			parse_where(ps->errfp, ps->late[i].file,
			    ps->late[i].line);
			fprintf(ps->errfp, "%s\n", ps->late[i].msg);
		}
		free(ps->late[i].msg);
	}
	free(ps->late);
	ps->late = NULL;
	ps->nlate = 0;
}

/* Memory that lives until the parse ends. */
static void *
parse_alloc(struct parse_state *ps, size_t size)
{
	struct parse_chunk	*c;

	c = xcalloc(1, sizeof(*c) + size);
	c->next = ps->chunks;
	ps->chunks = c;
	return c->data;
}

/* A string that lives until the parse ends. */
static char *
parse_strdup(struct parse_state *ps, const char *s)
{
	size_t	len = strlen(s) + 1;

	return memcpy(parse_alloc(ps, len), s, len);
}

/* An empty list. */
static struct parse_list *
parse_list_new(struct parse_state *ps)
{
	struct parse_list	*l;

	l = parse_alloc(ps, sizeof(*l));
	l->tail = &l->head;
	return l;
}

/* Append a word (s) or a number (s NULL) to a list. */
static struct parse_list *
parse_list_add(struct parse_state *ps, struct parse_list *l, char *s,
    int64_t num, int line)
{
	struct parse_item	*it;

	it = parse_alloc(ps, sizeof(*it));
	it->s = s;
	it->num = num;
	it->line = line;
	*l->tail = it;
	l->tail = &it->next;
	l->n++;
	return l;
}

/* The name of the file being read (not of a macro being expanded). */
static const char *
parse_curfile(struct parse_state *ps)
{
	struct parse_input	*in;

	for (in = ps->in; in != NULL; in = in->prev)
		if (in->macro == NULL)
			return in->name;
	return "";
}

/* The input of the file being read. */
static struct parse_input *
parse_curinput(struct parse_state *ps)
{
	struct parse_input	*in;

	for (in = ps->in; in != NULL; in = in->prev)
		if (in->macro == NULL)
			return in;
	return NULL;
}

/* Drop the input on top. */
static void
parse_pop(struct parse_state *ps)
{
	struct parse_input	*in = ps->in;

	ps->in = in->prev;
	free(in->buf);
	free(in->macro);
	free(in);
}

/*
 * The next character: what was given back to the input on top, else its
 * text.  The end of a macro's text reads as a space, the end of a file as
 * a PARSE_NL; the input is dropped at the next read, so that a character
 * given back goes back to the input it came from.  After the first file,
 * EOF.
 */
static int
lgetc(struct parse_state *ps)
{
	struct parse_input	*in;

	while ((in = ps->in) != NULL) {
		if (in->npush > 0)
			return in->push[--in->npush];
		if (in->done) {
			if (in->prev == NULL)
				return EOF;
			parse_pop(ps);
			continue;
		}
		if (in->nl) {
			in->nl = 0;
			return PARSE_NL;
		}
		if (in->pos < in->len)
			return (unsigned char)in->buf[in->pos++];
		in->done = 1;
		if (in->macro != NULL)
			return ' ';
		/* What is said at the end is said on the last line. */
		if (in->len > 0 && in->buf[in->len - 1] == '\n')
			in->lineno--;
		return PARSE_NL;
	}
	return EOF;
}

/* Give a character back to the input on top. */
static void
lungetc(struct parse_state *ps, int c)
{
	if (ps->in != NULL && ps->in->npush < PARSE_PUSHBACK)
		ps->in->push[ps->in->npush++] = c;
}

/* May a character be part of a word? */
static int
parse_wordchar(int c)
{
	return (c >= 0 && c < 256 && isalnum(c)) || c == '-' || c == '_' ||
	    c == '.' || c == ':' || c == '/' || c == '*';
}

/* Compare a word with a keyword for bsearch. */
static int
parse_keyword_cmp(const void *k, const void *e)
{
	return strcmp(k, ((const struct parse_keyword *)e)->name);
}

/* Order macros by name for tsearch(3). */
static int
parse_macro_cmp(const void *a, const void *b)
{
	return strcmp(((const struct parse_macro *)a)->name,
	    ((const struct parse_macro *)b)->name);
}

/* Free a macro (tdestroy). */
static void
parse_macro_free(void *p)
{
	struct parse_macro	*m = p;

	free(m->name);
	free(m->value);
	free(m);
}

/* Replace $name by the text of the macro; 0 if it could not be. */
static int
parse_expand(struct parse_state *ps, const char *name, int line)
{
	struct parse_input	*in;
	struct parse_macro	 key, *m;
	void			*found;
	int			 depth = 0;

	key.name = (char *)(uintptr_t)name;
	if ((found = tfind(&key, &ps->macros, parse_macro_cmp)) == NULL) {
		parse_error(ps, line, "macro \"%s\" is not defined", name);
		return 0;
	}
	for (in = ps->in; in != NULL && in->macro != NULL; in = in->prev) {
		if (strcmp(in->macro, name) == 0) {
			parse_error(ps, line, "macro \"%s\" refers to itself",
			    name);
			return 0;
		}
		depth++;
	}
	if (depth >= PARSE_MAX_MACRO) {
		parse_error(ps, line, "macros nested too deep");
		return 0;
	}
	m = *(struct parse_macro **)found;
	if (ps->expanded + strlen(m->value) > PARSE_MAX_EXPANSION) {
		/* Said once: what follows is more of the same. */
		if (ps->expanded <= PARSE_MAX_EXPANSION)
			parse_error(ps, line, "macros expand to more than %d "
			    "bytes in all", PARSE_MAX_EXPANSION);
		ps->expanded = PARSE_MAX_EXPANSION + 1;
		return 0;
	}
	ps->expanded += strlen(m->value);
	in = xcalloc(1, sizeof(*in));
	in->macro = xstrdup(name);
	in->buf = xstrdup(m->value);
	in->len = strlen(in->buf);
	in->name = parse_curfile(ps);
	in->prev = ps->in;
	ps->in = in;
	return 1;
}

/* Is s well-formed UTF-8 (no overlong forms, surrogates or past U+10FFFF)? */
static int
parse_utf8(const unsigned char *s, size_t len)
{
	size_t		i = 0, n, k;
	uint32_t	cp, min;

	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xe0) == 0xc0) {
			n = 1;
			cp = s[i] & 0x1f;
			min = 0x80;
		} else if ((s[i] & 0xf0) == 0xe0) {
			n = 2;
			cp = s[i] & 0x0f;
			min = 0x800;
		} else if ((s[i] & 0xf8) == 0xf0) {
			n = 3;
			cp = s[i] & 0x07;
			min = 0x10000;
		} else
			return 0;
		if (len - i <= n)
			return 0;
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += n + 1;
	}
	return 1;
}

/* Read a quoted string after its '"' into ps->tok; 0 on an error. */
static int
parse_quoted(struct parse_state *ps, int line)
{
	size_t	len = 0;
	int	c, bad = 0;

	for (;;) {
		c = lgetc(ps);
		if (c == '\\') {
			c = lgetc(ps);
			if (c == '"' || c == '\\')
				goto keep;
			if (c != '\n' && c != PARSE_NL && c != EOF) {
				if (!bad)
					parse_error(ps, line, "unknown escape "
					    "\\%c in a quoted string",
					    isprint(c) ? c : '?');
				bad = 1;
				continue;
			}
		}
		if (c == EOF || c == '\n' || c == PARSE_NL) {
			if (!bad)
				parse_error(ps, line, "quoted string not "
				    "closed on its line");
			if (c != EOF)
				lungetc(ps, c);
			return 0;
		}
		if (c == '"')
			break;
		if (c < 0x20 || c == 0x7f) {
			if (!bad)
				parse_error(ps, line, "control character "
				    "0x%02x in a quoted string", c);
			bad = 1;
			continue;
		}
keep:
		if (len == PARSE_MAX_TOKEN) {
			if (!bad)
				parse_error(ps, line, "quoted string longer "
				    "than %d bytes", PARSE_MAX_TOKEN);
			bad = 1;
			continue;
		}
		ps->tok[len++] = (char)c;
	}
	ps->tok[len] = '\0';
	if (!bad && !parse_utf8((const unsigned char *)ps->tok, len)) {
		parse_error(ps, line, "quoted string is not UTF-8");
		bad = 1;
	}
	return !bad;
}

/* Read a word from its first character into ps->tok; 0 if too long. */
static int
parse_word(struct parse_state *ps, int c, int line)
{
	size_t	len = 0;
	int	bad = 0;

	for (; parse_wordchar(c); c = lgetc(ps)) {
		if (len == PARSE_MAX_TOKEN) {
			if (!bad)
				parse_error(ps, line, "word longer than %d "
				    "bytes", PARSE_MAX_TOKEN);
			bad = 1;
			continue;
		}
		ps->tok[len++] = (char)c;
	}
	lungetc(ps, c);
	ps->tok[len] = '\0';
	return !bad;
}

/* The next token for the parser. */
static int
yylex(struct parse_value *lval, struct parse_state *ps)
{
	const struct parse_keyword	*kw;
	struct parse_input		*file;
	const char			*p;
	int64_t				 n;
	int				 c;

top:
	while ((c = lgetc(ps)) == ' ' || c == '\t' || c == '\r')
		;
	file = parse_curinput(ps);
	lval->lineno = file != NULL ? file->lineno : 0;
	ps->tokfile = parse_curfile(ps);
	ps->tokline = lval->lineno;
	if (c == '#')
		while ((c = lgetc(ps)) != '\n' && c != PARSE_NL && c != EOF)
			;
	switch (c) {
	case EOF:
		return 0;
	case PARSE_NL:
		return EOL;
	case '\n':
		if (file != NULL)
			file->lineno++;
		return EOL;
	case '{':
	case '}':
	case ',':
	case '=':
		return c;
	case ';':			/* separates a syslog sink's options */
		if (ps->syslog != NULL)
			return c;
		break;
	case '"':
		if (!parse_quoted(ps, lval->lineno))
			return ERROR;
		lval->v.string = parse_strdup(ps, ps->tok);
		return STRING;
	case '$':
		c = lgetc(ps);
		if (!parse_word(ps, c, lval->lineno))
			return ERROR;
		for (p = ps->tok; *p != '\0'; p++)
			if (!isalnum((unsigned char)*p) && *p != '_')
				break;
		if (ps->tok[0] == '\0' || *p != '\0') {
			parse_error(ps, lval->lineno, "\"$%s\" is not a macro "
			    "name", ps->tok);
			return ERROR;
		}
		if (!parse_expand(ps, ps->tok, lval->lineno))
			return ERROR;
		goto top;
	}
	if (!parse_wordchar(c)) {
		/* One such error a line: a UTF-8 word is one mistake. */
		if (ps->errfile == ps->tokfile && ps->errline == lval->lineno &&
		    ps->errors > 0) {
			ps->errors++;
			return ERROR;
		}
		if (c >= 0x21 && c < 0x7f)
			parse_error(ps, lval->lineno, "unexpected character "
			    "'%c'", c);
		else
			parse_error(ps, lval->lineno, "unexpected byte 0x%02x",
			    (unsigned int)c);
		return ERROR;
	}
	if (!parse_word(ps, c, lval->lineno))
		return ERROR;
	if ((kw = bsearch(ps->tok, parse_keywords, sizeof(parse_keywords) /
	    sizeof(parse_keywords[0]), sizeof(parse_keywords[0]),
	    parse_keyword_cmp)) != NULL) {
		if (kw->token == DETECTOPT)
			lval->v.string = parse_strdup(ps, ps->tok);
		return kw->token;
	}
	for (p = ps->tok; isdigit((unsigned char)*p); p++)
		;
	if (*p != '\0') {
		lval->v.string = parse_strdup(ps, ps->tok);
		return STRING;
	}
	for (p = ps->tok, n = 0; *p != '\0'; p++) {
		if (n > (INT64_MAX - (*p - '0')) / 10) {
			parse_error(ps, lval->lineno, "number %s is too large",
			    ps->tok);
			return ERROR;
		}
		n = n * 10 + (*p - '0');
	}
	lval->v.number = n;
	return NUMBER;
}

/*
 * Say why a file cannot be read: at the include that names it, or, for
 * the first file, as "file: reason".
 */
static void
parse_open_error(struct parse_state *ps, int line, const char *path,
    const char *why)
{
	if (ps->in != NULL) {
		parse_error(ps, line, "%s: %s", path, why);
		return;
	}
	ps->errors++;
	if (ps->errfp != NULL)
		fprintf(ps->errfp, "%s: %s\n", path, why);
}

/* Read a file whole into a new input; NULL (and an error) if it cannot be. */
static struct parse_input *
parse_open(struct parse_state *ps, const char *path, int line)
{
	struct parse_input	*in;
	struct stat		 st;
	FILE			*fp;
	size_t			 n;

	if ((fp = fopen(path, "r")) == NULL) {
		parse_open_error(ps, line, path, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(fp), &st) == -1) {
		parse_open_error(ps, line, path, strerror(errno));
		fclose(fp);
		return NULL;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > PARSE_MAX_FILE ||
	    ps->bytes_read + (size_t)st.st_size > PARSE_MAX_BYTES_READ) {
		parse_open_error(ps, line, path, !S_ISREG(st.st_mode) ?
		    "not a regular file" : st.st_size > PARSE_MAX_FILE ?
		    "larger than 4 MiB" : "more than 64 MiB of configuration "
		    "in all");
		fclose(fp);
		return NULL;
	}
	ps->bytes_read += (size_t)st.st_size;
	in = xcalloc(1, sizeof(*in));
	in->buf = xmalloc((size_t)st.st_size + 1);
	n = fread(in->buf, 1, (size_t)st.st_size + 1, fp);
	if (ferror(fp) || n > (size_t)st.st_size) {
		parse_open_error(ps, line, path, ferror(fp) ?
		    strerror(errno) : "changed while read");
		fclose(fp);
		free(in->buf);
		free(in);
		return NULL;
	}
	fclose(fp);
	in->len = n;
	in->lineno = 1;
	in->name = policy_file(ps->pol, path);
	in->dev = st.st_dev;
	in->ino = st.st_ino;
	ps->nfiles++;
	return in;
}

/*
 * include "pattern": the files the glob(3) pattern names, in sorted
 * order, are read here.  A pattern with no wildcard must name a file; one
 * with a wildcard may match none.  A file that includes itself, directly
 * or not, is an error.
 */
static void
parse_include(struct parse_state *ps, const char *pattern, int line)
{
	struct parse_input	*cur, *in, *up, **files;
	glob_t			 g;
	const char		*slash;
	char			*path;
	size_t			 i, nf = 0;
	int			 r;

	if (ps->from_buffer) {
		parse_error(ps, line, "include: not possible in a "
		    "configuration read from memory");
		return;
	}
	cur = parse_curinput(ps);
	if (cur->depth + 1 > PARSE_MAX_INCLUDE) {
		parse_error(ps, line, "include \"%s\": files included more "
		    "than %d deep", pattern, PARSE_MAX_INCLUDE);
		return;
	}
	if (pattern[0] != '/' && (slash = strrchr(cur->name, '/')) != NULL) {
		if (asprintf(&path, "%.*s/%s", (int)(slash - cur->name),
		    cur->name, pattern) == -1)
			fatal("asprintf");
	} else
		path = xstrdup(pattern);
	memset(&g, 0, sizeof(g));
	r = glob(path, 0, NULL, &g);
	if (r == GLOB_NOMATCH && strpbrk(pattern, "*?[") == NULL) {
		parse_error(ps, line, "include \"%s\": %s: %s", pattern, path,
		    strerror(ENOENT));
		goto out;
	}
	if (r != 0 && r != GLOB_NOMATCH) {
		parse_error(ps, line, "include \"%s\": %s", pattern,
		    r == GLOB_NOSPACE ? "out of memory" : "cannot read "
		    "a directory of the pattern");
		goto out;
	}
	files = xcalloc(g.gl_pathc ? g.gl_pathc : 1, sizeof(*files));
	for (i = 0; i < g.gl_pathc; i++) {
		if (ps->nfiles >= PARSE_MAX_FILES) {
			parse_error(ps, line, "include \"%s\": more than %d "
			    "files in all", pattern, PARSE_MAX_FILES);
			break;
		}
		if ((in = parse_open(ps, g.gl_pathv[i], line)) == NULL)
			continue;
		for (up = cur; up != NULL; up = up->parent)
			if (up->dev == in->dev && up->ino == in->ino)
				break;
		if (up != NULL) {
			parse_error(ps, line, "include \"%s\": include loop: "
			    "%s is being read already", pattern, in->name);
			free(in->buf);
			free(in);
			continue;
		}
		in->parent = cur;
		in->depth = cur->depth + 1;
		in->nl = 1;
		files[nf++] = in;
	}
	/* Stacked last first, so that the first is read first. */
	while (nf > 0) {
		in = files[--nf];
		in->prev = ps->in;
		ps->in = in;
	}
	free(files);
out:
	globfree(&g);
	free(path);
}

/* name = "text": define or redefine a macro. */
static void
parse_macro_set(struct parse_state *ps, const char *name, const char *value)
{
	struct parse_macro	*m;
	const char		*p;
	void			*found;

	for (p = name; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && *p != '_')
			break;
	if (*p != '\0' || isdigit((unsigned char)name[0])) {
		parse_error(ps, ps->tokline, "\"%s\" is not a macro name "
		    "(letters, digits, _)", name);
		return;
	}
	m = xcalloc(1, sizeof(*m));
	m->name = xstrdup(name);
	if ((found = tsearch(m, &ps->macros, parse_macro_cmp)) == NULL)
		fatal("tsearch");
	if (*(struct parse_macro **)found != m) {
		free(m->name);
		free(m);
		m = *(struct parse_macro **)found;
		free(m->value);
	}
	m->value = xstrdup(value);
}

/* Has an option been set before?  Report it if so; note it if not. */
static int
parse_opt_twice(struct parse_state *ps, enum parse_opt o, const char *what,
    int line)
{
	if (ps->opt_file[o] != NULL) {
		parse_error(ps, line, "%s given twice (first at %s:%d)", what,
		    ps->opt_file[o], ps->opt_line[o]);
		return 1;
	}
	ps->opt_file[o] = parse_curfile(ps);
	ps->opt_line[o] = line;
	return 0;
}

/* A string option: interface, databases, outputs. */
static void
parse_opt_str(struct parse_state *ps, enum parse_opt o, const char *what,
    char **dst, const char *value, int line)
{
	if (value[0] == '\0') {
		parse_error(ps, line, "%s: empty", what);
		return;
	}
	if (parse_opt_twice(ps, o, what, line))
		return;
	*dst = xstrdup(value);
}

/*
 * A number with an optional unit: microseconds per unit for a duration
 * (ms, s, m, h, d; none = seconds), or bytes (k, M, G, T: powers of 1000;
 * none = bytes).  0 and an error if it is not one, or larger than max.
 */
static int
parse_quantity(struct parse_state *ps, const char *what,
    const struct parse_item *it, int bytes, int64_t max, int64_t *out)
{
	static const struct parse_unit dur[] = {
		{ "", 1000000 }, { "ms", 1000 }, { "s", 1000000 },
		{ "m", 60 * 1000000LL }, { "h", 3600 * 1000000LL },
		{ "d", 86400 * 1000000LL }, { NULL, 0 }
	}, size[] = {
		{ "", 1 }, { "k", 1000 }, { "M", 1000000 },
		{ "G", 1000000000 }, { "T", 1000000000000LL }, { NULL, 0 }
	};
	const struct parse_unit	*u;
	const char		*p;
	int64_t			 n = 0;

	if (it->s == NULL) {
		n = it->num;
		p = "";
	} else {
		for (p = it->s; isdigit((unsigned char)*p); p++) {
			if (n > (INT64_MAX - 9) / 10)
				goto range;
			n = n * 10 + (*p - '0');
		}
		if (p == it->s)
			goto bad;
	}
	for (u = bytes ? size : dur; u->unit != NULL; u++)
		if (strcmp(p, u->unit) == 0)
			break;
	if (u->unit == NULL)
		goto bad;
	if (n > max / u->mult)
		goto range;
	*out = n * u->mult;
	return 1;
bad:
	parse_error(ps, it->line, "%s: \"%s\" is not %s", what, it->s,
	    bytes ? "a size (a number, then k, M, G or T)" :
	    "a duration (a number, then ms, s, m, h or d)");
	return 0;
range:
	if (it->s != NULL)
		parse_error(ps, it->line, "%s: %s is too large", what, it->s);
	else
		parse_error(ps, it->line, "%s: %lld is too large", what,
		    (long long)it->num);
	return 0;
}

/* A duration option, min to max microseconds. */
static void
parse_opt_duration(struct parse_state *ps, enum parse_opt o,
    const char *what, int64_t *dst, struct parse_item *it, int64_t min,
    int64_t max)
{
	int64_t	v;

	if (!parse_quantity(ps, what, it, 0, INT64_MAX, &v))
		return;
	if (v < min || v > max) {
		if (max % (86400 * 1000000LL) == 0)
			parse_error(ps, it->line, "%s: out of range (%s to "
			    "%lld days)", what, min == 1000 ? "1 ms" : "1 s",
			    (long long)(max / (86400 * 1000000LL)));
		else	/* a bound under a day: in seconds */
			parse_error(ps, it->line, "%s: out of range (%s to "
			    "%g s)", what, min == 1000 ? "1 ms" : "1 s",
			    (double)max / 1e6);
		return;
	}
	if (!parse_opt_twice(ps, o, what, it->line))
		*dst = v;
}

/* A yes or no option: 1 for yes, 0 for no. */
static void
parse_opt_yesno(struct parse_state *ps, enum parse_opt o, const char *what,
    int *dst, struct parse_item *it)
{
	if (it->s == NULL || (strcmp(it->s, "yes") != 0 &&
	    strcmp(it->s, "no") != 0)) {
		parse_error(ps, it->line, "%s: give yes or no", what);
		return;
	}
	if (!parse_opt_twice(ps, o, what, it->line))
		*dst = strcmp(it->s, "yes") == 0;
}

/* A count option (flows, or bytes when bytes), 1 to max. */
static void
parse_opt_count(struct parse_state *ps, enum parse_opt o, const char *what,
    uint64_t *dst, struct parse_item *it, int64_t max, int bytes)
{
	int64_t	v;

	if (!bytes && it->s != NULL) {
		parse_error(ps, it->line, "%s: \"%s\" is not a number", what,
		    it->s);
		return;
	}
	if (!bytes)
		v = it->num;
	else if (!parse_quantity(ps, what, it, bytes, INT64_MAX, &v))
		return;
	if (v < 1 || v > max) {
		parse_error(ps, it->line, "%s: out of range (1 to %lld)",
		    what, (long long)max);
		return;
	}
	if (!parse_opt_twice(ps, o, what, it->line))
		*dst = (uint64_t)v;
}

/*
 * The detectors' options: a duration or a count each, in range, once.
 * One grammar rule for them all (DETECTOPT carries the keyword).
 */
static const struct parse_detect_opt {
	const char	*name;
	int		 duration;	/* else a count */
	int64_t		 min, max;
	size_t		 off;		/* in struct policy_options */
} parse_detect_opts[] = {
	{ "beacon-window", 1, 1000000, PARSE_MAX_WINDOW,
	    offsetof(struct policy_options, beacon_window) },
	{ "long-connection", 1, 1000000, PARSE_MAX_WINDOW,
	    offsetof(struct policy_options, long_connection) },
	{ "dns-tunnel-window", 1, 1000000, 86400 * 1000000LL,
	    offsetof(struct policy_options, dns_tunnel_window) },
	{ "dns-tunnel-names", 0, 1, 1000000,
	    offsetof(struct policy_options, dns_tunnel_names) },
	{ "dns-tunnel-encoded", 0, 1, 1000000,
	    offsetof(struct policy_options, dns_tunnel_encoded) },
	{ "dns-tunnel-answers", 0, 1, 1000000,
	    offsetof(struct policy_options, dns_tunnel_answers) },
	{ "dns-tunnel-label", 0, 8, 63,
	    offsetof(struct policy_options, dns_tunnel_label) },
	{ "dns-poll-count", 0, 4, 1000000,
	    offsetof(struct policy_options, dns_poll_count) },
	{ "dns-poll-spread", 1, 1000, 2000000,
	    offsetof(struct policy_options, dns_poll_spread) },
};
_Static_assert(sizeof(parse_detect_opts) / sizeof(parse_detect_opts[0]) ==
    PARSE_O_IDLE - PARSE_O_DETECT, "a slot for each detection option");

/* A detection option: "beacon-window 1d", "dns-tunnel-names 100". */
static void
parse_opt_detect(struct parse_state *ps, char *name, struct parse_item *it)
{
	const struct parse_detect_opt	*o;
	char				*base = (char *)&ps->pol->opts;
	int				 k;

	for (k = 0; strcmp(parse_detect_opts[k].name, name) != 0; k++)
		;
	o = &parse_detect_opts[k];
	if (o->duration) {
		parse_opt_duration(ps, PARSE_O_DETECT + k, o->name,
		    (int64_t *)(void *)(base + o->off), it, o->min, o->max);
		return;
	}
	if (it->s != NULL) {
		parse_error(ps, it->line, "%s: \"%s\" is not a number",
		    o->name, it->s);
		return;
	}
	if (it->num < o->min || it->num > o->max) {
		parse_error(ps, it->line, "%s: out of range (%lld to %lld)",
		    o->name, (long long)o->min, (long long)o->max);
		return;
	}
	if (!parse_opt_twice(ps, PARSE_O_DETECT + k, o->name, it->line))
		*(uint64_t *)(void *)(base + o->off) = (uint64_t)it->num;
}

/* flow-idle-timeout CLASS DURATION */
static void
parse_opt_idle(struct parse_state *ps, struct parse_item *cls,
    struct parse_item *dur)
{
	char	what[64];
	int	c;

	for (c = 0; c < FLOW_C_MAX; c++)
		if (cls->s != NULL && strcmp(cls->s,
		    policy_flow_class_name(c)) == 0)
			break;
	if (c == FLOW_C_MAX) {
		if (cls->s != NULL)
			parse_error(ps, cls->line, "flow-idle-timeout: \"%s\" "
			    "is not tcp-new, tcp, tcp-closed, udp, icmp or "
			    "other", cls->s);
		else
			parse_error(ps, cls->line, "flow-idle-timeout: %lld is "
			    "not tcp-new, tcp, tcp-closed, udp, icmp or other",
			    (long long)cls->num);
		return;
	}
	snprintf(what, sizeof(what), "flow-idle-timeout %s", cls->s);
	parse_opt_duration(ps, PARSE_O_IDLE + c, what,
	    &ps->pol->opts.idle_timeout[c], dur, 1000, FLOW_MAX_TIMEOUT);
}

/*
 * An address or a network ("10.0.0.0/8", "fd00::/8", "10.0.0.5").  Bits
 * set past the prefix length are an error: "10.0.0.1/8" is a typo more
 * often than not.  0 and an error if it is not one.
 */
static int
parse_prefix(struct parse_state *ps, const struct parse_item *it,
    struct policy_prefix *pfx)
{
	char		 buf[64], net[64];
	const char	*slash, *p;
	size_t		 alen, i;
	long		 plen;

	memset(pfx, 0, sizeof(*pfx));
	if (it->s == NULL || strlen(it->s) >= sizeof(buf))
		goto bad;
	snprintf(buf, sizeof(buf), "%s", it->s);
	slash = strchr(it->s, '/');
	if (slash != NULL)
		buf[slash - it->s] = '\0';
	if (inet_pton(AF_INET, buf, pfx->addr) == 1)
		pfx->af = 4;
	else if (inet_pton(AF_INET6, buf, pfx->addr) == 1)
		pfx->af = 6;
	else
		goto bad;
	alen = pfx->af == 4 ? 4 : 16;
	plen = (long)alen * 8;
	if (slash != NULL) {
		p = slash + 1;
		if (*p == '\0' || strlen(p) > 3)
			goto badlen;
		for (plen = 0; *p != '\0'; p++) {
			if (!isdigit((unsigned char)*p))
				goto badlen;
			plen = plen * 10 + (*p - '0');
		}
		if (plen > (long)alen * 8)
			goto badlen;
	}
	pfx->plen = (uint8_t)plen;
	for (i = 0; i < alen; i++) {
		uint8_t	mask;

		if (plen >= (long)(i + 1) * 8)
			continue;
		mask = plen <= (long)i * 8 ? 0 : (uint8_t)(0xff <<
		    (8 - (plen - (long)i * 8)));
		if (pfx->addr[i] & ~mask) {
			struct policy_prefix	 fixed = *pfx;
			size_t			 j;

			for (j = i; j < alen; j++) {
				fixed.addr[j] &= mask;
				mask = 0;
			}
			inet_ntop(pfx->af == 4 ? AF_INET : AF_INET6,
			    fixed.addr, net, sizeof(net));
			parse_error(ps, it->line, "%s: bits set past the "
			    "prefix length (the network is %s/%ld)", it->s,
			    net, plen);
			return 0;
		}
	}
	pfx->file = parse_curfile(ps);
	pfx->line = it->line;
	return 1;
bad:
	if (it->s == NULL)
		parse_error(ps, it->line, "%lld: not an address or network",
		    (long long)it->num);
	else
		parse_error(ps, it->line, "\"%s\": not an address or network",
		    it->s);
	return 0;
badlen:
	parse_error(ps, it->line, "%s: bad prefix length (0 to %zu)", it->s,
	    alen * 8);
	return 0;
}

/* Is a word a MAC address (six pairs of hex digits with ':')?  Read it. */
static int
parse_mac(const char *s, uint8_t *mac)
{
	unsigned int	i, hi, lo;

	if (strlen(s) != 17)
		return 0;
	for (i = 0; i < 6; i++) {
		if (!isxdigit((unsigned char)s[i * 3]) ||
		    !isxdigit((unsigned char)s[i * 3 + 1]) ||
		    (i < 5 && s[i * 3 + 2] != ':'))
			return 0;
		hi = (unsigned int)(isdigit((unsigned char)s[i * 3]) ?
		    s[i * 3] - '0' : tolower((unsigned char)s[i * 3]) - 'a' +
		    10);
		lo = (unsigned int)(isdigit((unsigned char)s[i * 3 + 1]) ?
		    s[i * 3 + 1] - '0' : tolower((unsigned char)s[i * 3 + 1]) -
		    'a' + 10);
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	return 1;
}

/* internal, resolvers, ntp-servers: add to the site's list. */
static void
parse_site(struct parse_state *ps, struct policy_prefix **list, size_t *n,
    struct parse_list *l)
{
	struct policy_prefix	 pfx;
	struct parse_item	*it;

	for (it = l->head; it != NULL; it = it->next) {
		if (!parse_prefix(ps, it, &pfx))
			continue;
		*list = xreallocarray(*list, *n + 1, sizeof(**list));
		(*list)[(*n)++] = pfx;
	}
}

/*
 * tunnel KINDS [from SOURCES]: enter these remote SPAN tunnels, from
 * anywhere or only from the listed mirror sources (then appended to those
 * given before).  A kind is one or the other, and the sources together
 * fit the decoder's table.
 */
static void
parse_tunnel(struct parse_state *ps, struct parse_list *kinds,
    struct parse_list *from, int line)
{
	struct policy_tunnel	*t;
	struct parse_item	*it;
	unsigned int		 kind;
	size_t			 i, total;
	int			 k;

	for (it = kinds->head; it != NULL; it = it->next) {
		if (it->s == NULL) {
			parse_error(ps, it->line, "unknown tunnel %lld: gre, "
			    "erspan or vxlan", (long long)it->num);
			continue;
		}
		if (decode_tunnel_kinds(it->s, &kind) == -1 ||
		    strchr(it->s, ',') != NULL) {
			parse_error(ps, it->line, "unknown tunnel \"%s\": "
			    "gre, erspan or vxlan", it->s);
			continue;
		}
		for (k = 0; (1u << k) != kind; k++)
			;
		t = &ps->pol->tunnels[k];
		if (t->given && (t->nfrom == 0) != (from == NULL)) {
			parse_error(ps, it->line, "tunnel %s is entered either "
			    "from anywhere or from listed sources, not both",
			    it->s);
			continue;
		}
		t->given = 1;
		if (from != NULL)
			parse_site(ps, &t->from, &t->nfrom, from);
	}
	for (i = 0, total = 0; i < POLICY_TUNNEL_KINDS; i++)
		total += ps->pol->tunnels[i].nfrom;
	if (total > DECODE_MAX_SOURCES)
		parse_error(ps, line, "more than %d tunnel sources",
		    DECODE_MAX_SOURCES);
}

/* Order groups by name for tsearch(3). */
static int
parse_group_cmp(const void *a, const void *b)
{
	return strcmp(((const struct policy_group *)a)->name,
	    ((const struct policy_group *)b)->name);
}

/* What tdestroy does with a node the policy owns: nothing. */
static void
parse_nofree(void *p)
{
	(void)p;
}

/* group "name" {: the group its body adds to. */
static void
parse_group_begin(struct parse_state *ps, const char *name, int line)
{
	const struct policy_group	*first;
	void				*found;

	ps->group = policy_group_add(ps->pol, name, parse_curfile(ps), line);
	if (name[0] == '\0') {
		parse_error(ps, line, "a group needs a name");
		return;
	}
	if ((found = tsearch(ps->group, &ps->groups, parse_group_cmp)) ==
	    NULL)
		fatal("tsearch");
	first = *(struct policy_group **)found;
	if (first != ps->group)
		parse_error(ps, line, "group \"%s\" defined twice (first at "
		    "%s:%d)", name, first->file, first->line);
}

/* syslog "name" {: a sink of that name, once. */
static void
parse_syslog_begin(struct parse_state *ps, const char *name, int line)
{
	struct policy		*p = ps->pol;
	struct policy_syslog	*sl;
	size_t			 i;

	sl = xcalloc(1, sizeof(*sl));
	sl->name = xstrdup(name);
	sl->file = parse_curfile(ps);
	sl->line = line;
	sl->format = SYSLOG_FMT_RFC5424;
	sl->send = POLICY_SYSLOG_ALERTS;
	sl->facility = SYSLOG_FACILITY_DEFAULT;
	sl->queue_limit = POLICY_SYSLOG_QUEUE_LIMIT;
	sl->wait = POLICY_SYSLOG_WAIT;
	if (name[0] == '\0')
		parse_error(ps, line, "a syslog sink needs a name");
	else if (strspn(name, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") != strlen(name))
		parse_error(ps, line, "syslog \"%s\": a name is letters, "
		    "digits, '-', '_' and '.'", name);
	for (i = 0; i < p->nsyslogs; i++)
		if (strcmp(p->syslogs[i]->name, name) == 0)
			parse_error(ps, line, "syslog \"%s\" defined twice "
			    "(first at %s:%d)", name, p->syslogs[i]->file,
			    p->syslogs[i]->line);
	p->syslogs = xreallocarray(p->syslogs, p->nsyslogs + 1,
	    sizeof(*p->syslogs));
	p->syslogs[p->nsyslogs++] = sl;
	ps->syslog = sl;
}

/* The options of a syslog sink, by name. */
enum {
	PARSE_SL_TRANSPORT = 1 << 0, PARSE_SL_HOST = 1 << 1,
	PARSE_SL_PORT = 1 << 2, PARSE_SL_PATH = 1 << 3,
	PARSE_SL_FORMAT = 1 << 4, PARSE_SL_SEND = 1 << 5,
	PARSE_SL_CA = 1 << 6, PARSE_SL_CERT = 1 << 7, PARSE_SL_KEY = 1 << 8,
	PARSE_SL_HOSTNAME = 1 << 9, PARSE_SL_FACILITY = 1 << 10,
	PARSE_SL_QUEUE = 1 << 11, PARSE_SL_WAIT = 1 << 12,
	PARSE_SL_BAD_TRANSPORT = 1 << 13,	/* said: nothing more */
};

static const struct { const char *name; unsigned int bit; } parse_sl_opts[] = {
	{ "transport", PARSE_SL_TRANSPORT }, { "host", PARSE_SL_HOST },
	{ "port", PARSE_SL_PORT }, { "path", PARSE_SL_PATH },
	{ "format", PARSE_SL_FORMAT }, { "send", PARSE_SL_SEND },
	{ "ca", PARSE_SL_CA }, { "cert", PARSE_SL_CERT },
	{ "key", PARSE_SL_KEY }, { "hostname", PARSE_SL_HOSTNAME },
	{ "facility", PARSE_SL_FACILITY }, { "queue-limit", PARSE_SL_QUEUE },
	{ "wait", PARSE_SL_WAIT },
};

/* A word from a list (the index), or -1 with an error naming them. */
static int
parse_sl_word(struct parse_state *ps, const char *what,
    const struct parse_item *it, const char *const *words, int n)
{
	char	list[300];
	size_t	o;
	int	i;

	for (i = 0; it->s != NULL && i < n; i++)
		if (strcmp(it->s, words[i]) == 0)
			return i;
	for (i = 0, o = 0, list[0] = '\0'; i < n && o < sizeof(list); i++)
		o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s",
		    i == 0 ? "" : i == n - 1 ? " or " : ", ", words[i]);
	parse_error(ps, it->line, "syslog \"%s\": %s: expected %s",
	    ps->syslog->name, what, list);
	return -1;
}

/* A string option of a syslog sink. */
static void
parse_sl_str(struct parse_state *ps, const char *what, char **dst,
    const struct parse_item *it)
{
	if (it->s == NULL || it->s[0] == '\0') {
		parse_error(ps, it->line, "syslog \"%s\": %s: expected a "
		    "string", ps->syslog->name, what);
		return;
	}
	*dst = xstrdup(it->s);
}

/* One option of the syslog sink being read. */
static void
parse_syslog_opt(struct parse_state *ps, const char *key,
    struct parse_item *it, int line)
{
	static const char *const transports[] = { "local", "udp", "tcp",
	    "tls" };
	static const char *const formats[] = { "rfc5424", "cef", "json" };
	static const char *const sends[] = { "alerts", "alerts-and-series",
	    "everything" };
	static const char *const facilities[] = { "kern", "user", "mail",
	    "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron",
	    "authpriv", "ftp", "ntp", "audit", "alert", "clock", "local0",
	    "local1", "local2", "local3", "local4", "local5", "local6",
	    "local7" };
	struct policy_syslog	*sl = ps->syslog;
	unsigned int		 bit = 0;
	int64_t			 v;
	size_t			 i;
	int			 w;

	for (i = 0; i < sizeof(parse_sl_opts) / sizeof(parse_sl_opts[0]); i++)
		if (strcmp(key, parse_sl_opts[i].name) == 0)
			bit = parse_sl_opts[i].bit;
	if (bit == 0) {
		parse_error(ps, line, "syslog \"%s\": unknown option \"%s\"",
		    sl->name, key);
		return;
	}
	if (sl->given & bit) {
		parse_error(ps, line, "syslog \"%s\": %s given twice",
		    sl->name, key);
		return;
	}
	sl->given |= bit;
	switch (bit) {
	case PARSE_SL_TRANSPORT:
		if ((w = parse_sl_word(ps, key, it, transports, 4)) >= 0)
			sl->transport = (enum policy_syslog_transport)w;
		else
			sl->given |= PARSE_SL_BAD_TRANSPORT;
		break;
	case PARSE_SL_FORMAT:
		if ((w = parse_sl_word(ps, key, it, formats, 3)) >= 0)
			sl->format = w;
		break;
	case PARSE_SL_SEND:
		if ((w = parse_sl_word(ps, key, it, sends, 3)) >= 0)
			sl->send = (enum policy_syslog_send)w;
		break;
	case PARSE_SL_FACILITY:
		if ((w = parse_sl_word(ps, key, it, facilities, 24)) >= 0)
			sl->facility = w;
		break;
	case PARSE_SL_HOST:
		parse_sl_str(ps, key, &sl->host, it);
		break;
	case PARSE_SL_PATH:
		parse_sl_str(ps, key, &sl->path, it);
		break;
	case PARSE_SL_CA:
		parse_sl_str(ps, key, &sl->ca, it);
		break;
	case PARSE_SL_CERT:
		parse_sl_str(ps, key, &sl->cert, it);
		break;
	case PARSE_SL_KEY:
		parse_sl_str(ps, key, &sl->key, it);
		break;
	case PARSE_SL_HOSTNAME:
		parse_sl_str(ps, key, &sl->hostname, it);
		if (sl->hostname != NULL && (strlen(sl->hostname) > 255 ||
		    strspn(sl->hostname, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:") !=
		    strlen(sl->hostname)))
			parse_error(ps, it->line, "syslog \"%s\": hostname: "
			    "letters, digits, '-', '_', '.' and ':' only, at "
			    "most 255", sl->name);
		break;
	case PARSE_SL_PORT:
		if (it->s != NULL || it->num < 1 || it->num > 65535)
			parse_error(ps, it->line, "syslog \"%s\": port: "
			    "expected a number from 1 to 65535", sl->name);
		else
			sl->port = (int)it->num;
		break;
	case PARSE_SL_QUEUE:
		if (it->s != NULL || it->num < 1 || it->num > 100000000)
			parse_error(ps, it->line, "syslog \"%s\": queue-limit:"
			    " expected a number of alerts from 1 to "
			    "100000000", sl->name);
		else
			sl->queue_limit = (uint64_t)it->num;
		break;
	case PARSE_SL_WAIT:
		if (!parse_quantity(ps, "wait", it, 0, INT64_MAX, &v))
			break;
		if (v > 3600 * 1000000LL)
			parse_error(ps, it->line, "syslog \"%s\": wait: out "
			    "of range (0 to 1 h)", sl->name);
		else
			sl->wait = v;
		break;
	}
}

/* }: what a sink's transport needs, and nothing it cannot use. */
static void
parse_syslog_end(struct parse_state *ps)
{
	struct policy_syslog	*sl = ps->syslog;
	const char		*t;

	ps->syslog = NULL;
	if (sl->given & PARSE_SL_BAD_TRANSPORT)
		return;
	if (!(sl->given & PARSE_SL_TRANSPORT)) {
		parse_error(ps, sl->line, "syslog \"%s\": no transport "
		    "(local, udp, tcp or tls)", sl->name);
		return;
	}
	t = sl->transport == POLICY_SYSLOG_LOCAL ? "local" :
	    sl->transport == POLICY_SYSLOG_UDP ? "udp" :
	    sl->transport == POLICY_SYSLOG_TCP ? "tcp" : "tls";
	if (sl->transport == POLICY_SYSLOG_LOCAL) {
		if (sl->given & (PARSE_SL_HOST | PARSE_SL_PORT))
			parse_error(ps, sl->line, "syslog \"%s\": host and "
			    "port are not for transport local (path is)",
			    sl->name);
	} else {
		if (sl->host == NULL)
			parse_error(ps, sl->line, "syslog \"%s\": transport "
			    "%s needs a host", sl->name, t);
		if (sl->given & PARSE_SL_PATH)
			parse_error(ps, sl->line, "syslog \"%s\": path is for"
			    " transport local", sl->name);
	}
	if (sl->transport != POLICY_SYSLOG_TLS &&
	    (sl->given & (PARSE_SL_CA | PARSE_SL_CERT | PARSE_SL_KEY)))
		parse_error(ps, sl->line, "syslog \"%s\": ca, cert and key "
		    "are for transport tls", sl->name);
	if (!(sl->given & PARSE_SL_CERT) != !(sl->given & PARSE_SL_KEY))
		parse_error(ps, sl->line, "syslog \"%s\": a client cert "
		    "needs its key, and a key its cert", sl->name);
	if (sl->port == 0)
		sl->port = sl->transport == POLICY_SYSLOG_TLS ?
		    POLICY_SYSLOG_PORT_TLS : sl->transport ==
		    POLICY_SYSLOG_UDP ? POLICY_SYSLOG_PORT_UDP :
		    sl->transport == POLICY_SYSLOG_TCP ?
		    POLICY_SYSLOG_PORT_TCP : 0;
}

/* }: a group must have members. */
static void
parse_group_end(struct parse_state *ps)
{
	if (ps->group->nmembers == 0)
		parse_error(ps, ps->group->line, "group \"%s\" has no hosts",
		    ps->group->name);
	ps->group = NULL;
}

/* hosts { ... }: addresses, networks and MAC addresses of a group. */
static void
parse_hosts(struct parse_state *ps, struct parse_list *l)
{
	struct policy_group	*g = ps->group;
	struct policy_member	 m;
	struct parse_item	*it;

	for (it = l->head; it != NULL; it = it->next) {
		memset(&m, 0, sizeof(m));
		if (it->s != NULL && parse_mac(it->s, m.mac)) {
			m.is_mac = 1;
			m.pfx.file = parse_curfile(ps);
			m.pfx.line = it->line;
		} else if (!parse_prefix(ps, it, &m.pfx))
			continue;
		g->members = xreallocarray(g->members, g->nmembers + 1,
		    sizeof(*g->members));
		g->members[g->nmembers++] = m;
	}
}

/* vendor "X", model "Y": once each per group. */
static void
parse_label(struct parse_state *ps, char **dst, const char *what,
    const char *value, int line)
{
	if (*dst != NULL) {
		parse_error(ps, line, "%s given twice in group \"%s\"", what,
		    ps->group->name);
		return;
	}
	if (value[0] == '\0') {
		parse_error(ps, line, "%s: empty", what);
		return;
	}
	*dst = xstrdup(value);
}

/* A selector of a rule: what follows "to". */
static struct parse_sel *
parse_sel_new(struct parse_state *ps, enum policy_selector kind,
    struct parse_list *l)
{
	struct parse_sel	*s;

	s = parse_alloc(ps, sizeof(*s));
	s->kind = kind;
	s->list = l;
	return s;
}

/* The addresses of "to ..." into a rule; the errors. */
static int
parse_rule_addrs(struct parse_state *ps, struct policy_rule *r,
    struct parse_list *l)
{
	struct parse_item	*it;
	int			 errors = 0;

	r->addrs = xcalloc(l->n, sizeof(*r->addrs));
	for (it = l->head; it != NULL; it = it->next)
		if (parse_prefix(ps, it, &r->addrs[r->naddrs]))
			r->naddrs++;
		else
			errors++;
	return errors;
}

/* "asn N" or "asn { ... }" into a rule; the errors. */
static int
parse_rule_asns(struct parse_state *ps, struct policy_rule *r,
    struct parse_list *l)
{
	struct parse_item	*it;
	int			 errors = 0;

	r->asns = xcalloc(l->n, sizeof(*r->asns));
	for (it = l->head; it != NULL; it = it->next) {
		if (it->s != NULL) {
			parse_error(ps, it->line, "asn: \"%s\" is not a "
			    "number", it->s);
			errors++;
		} else if (it->num < 1 || it->num > UINT32_MAX) {
			parse_error(ps, it->line, "asn %lld out of range (1 "
			    "to 4294967295)", (long long)it->num);
			errors++;
		} else
			r->asns[r->nasns++] = (uint32_t)it->num;
	}
	return errors;
}

/* "country CC" or "country { ... }" into a rule; the errors. */
static int
parse_rule_countries(struct parse_state *ps, struct policy_rule *r,
    struct parse_list *l)
{
	struct parse_item	*it;
	char			 cc[3];
	int			 errors = 0;

	r->countries = xcalloc(l->n, sizeof(*r->countries));
	for (it = l->head; it != NULL; it = it->next) {
		if (it->s != NULL && strlen(it->s) == 2) {
			cc[0] = (char)toupper((unsigned char)it->s[0]);
			cc[1] = (char)toupper((unsigned char)it->s[1]);
			cc[2] = '\0';
			if (policy_country_valid(cc)) {
				memcpy(r->countries[r->ncountries++], cc, 3);
				continue;
			}
		}
		if (it->s != NULL)
			parse_error(ps, it->line, "country: \"%s\" is not an "
			    "ISO 3166-1 alpha-2 country code", it->s);
		else
			parse_error(ps, it->line, "country: %lld is not an "
			    "ISO 3166-1 alpha-2 country code",
			    (long long)it->num);
		errors++;
	}
	return errors;
}

/* "domain ..." into a rule, in lower case; the errors. */
static int
parse_rule_domains(struct parse_state *ps, struct policy_rule *r,
    struct parse_list *l)
{
	struct parse_item	*it;
	char			*d, *p;
	int			 errors = 0;

	r->domains = xcalloc(l->n, sizeof(*r->domains));
	for (it = l->head; it != NULL; it = it->next) {
		if (it->s == NULL) {
			parse_error(ps, it->line, "domain: %lld is not a "
			    "domain name", (long long)it->num);
			errors++;
			continue;
		}
		d = xstrdup(it->s);
		for (p = d; *p != '\0'; p++)
			*p = (char)tolower((unsigned char)*p);
		if (!policy_domain_valid(d)) {
			parse_error(ps, it->line, "domain: \"%s\" is not a "
			    "name (labels of letters, digits, '-', '_'; \"*.\" "
			    "only in front)", it->s);
			free(d);
			errors++;
			continue;
		}
		r->domains[r->ndomains++] = d;
	}
	return errors;
}

/* "proto ..." into a rule: names or numbers 0-255; the errors. */
static int
parse_rule_protos(struct parse_state *ps, struct policy_rule *r,
    struct parse_list *l)
{
	static const struct {
		const char	*name;
		uint8_t		 proto;
	} names[] = {
		{ "icmp", 1 }, { "tcp", 6 }, { "udp", 17 }, { "icmp6", 58 },
		{ "sctp", 132 }, { NULL, 0 }
	};
	struct parse_item	*it;
	size_t			 i;
	int			 errors = 0;

	r->protos = xcalloc(l->n, sizeof(*r->protos));
	for (it = l->head; it != NULL; it = it->next) {
		if (it->s == NULL && it->num >= 0 && it->num <= 255) {
			r->protos[r->nprotos++] = (uint8_t)it->num;
			continue;
		}
		for (i = 0; it->s != NULL && names[i].name != NULL; i++)
			if (strcmp(it->s, names[i].name) == 0)
				break;
		if (it->s != NULL && names[i].name != NULL) {
			r->protos[r->nprotos++] = names[i].proto;
			continue;
		}
		if (it->s != NULL)
			parse_error(ps, it->line, "proto: \"%s\" is not tcp, "
			    "udp, icmp, icmp6, sctp or a number", it->s);
		else
			parse_error(ps, it->line, "proto %lld out of range "
			    "(0 to 255)", (long long)it->num);
		errors++;
	}
	return errors;
}

/* The digits of s as a port, 1-65535; -1 if not digits, 0 if out of range. */
static long
parse_port_digits(const char *s, size_t len)
{
	size_t	i;
	long	n = 0;

	if (len == 0)
		return -1;
	for (i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		if (n <= 65535)
			n = n * 10 + (s[i] - '0');
	}
	return n >= 1 && n <= 65535 ? n : 0;
}

/* "port N", "port N-M", "port { ... }" into a rule; the errors. */
static int
parse_rule_ports(struct parse_state *ps, struct policy_rule *r,
    struct parse_list *l)
{
	struct parse_item	*it;
	const char		*dash;
	long			 a, b;
	int			 errors = 0;

	r->ports = xcalloc(l->n, sizeof(*r->ports));
	for (it = l->head; it != NULL; it = it->next) {
		if (it->s == NULL) {
			a = b = it->num >= 1 && it->num <= 65535 ? it->num : 0;
			if (a == 0) {
				parse_error(ps, it->line, "port %lld out of "
				    "range (1 to 65535)", (long long)it->num);
				errors++;
				continue;
			}
		} else {
			dash = strchr(it->s, '-');
			a = parse_port_digits(it->s, dash != NULL ?
			    (size_t)(dash - it->s) : strlen(it->s));
			b = dash == NULL ? a : parse_port_digits(dash + 1,
			    strlen(dash + 1));
			if (a == -1 || b == -1) {
				parse_error(ps, it->line, "port: \"%s\" is "
				    "not a number or a range N-M", it->s);
				errors++;
				continue;
			}
			if (a == 0 || b == 0) {
				parse_error(ps, it->line, "port %s out of "
				    "range (1 to 65535)", it->s);
				errors++;
				continue;
			}
			if (a > b) {
				parse_error(ps, it->line, "port range %s: the "
				    "first port is above the last", it->s);
				errors++;
				continue;
			}
		}
		r->ports[r->nports].lo = (uint16_t)a;
		r->ports[r->nports++].hi = (uint16_t)b;
	}
	return errors;
}

/*
 * allow to / deny to: a rule from its selector and options; added to the
 * group being read (allow) or to the policy (deny) unless it has errors.
 */
static void
parse_rule(struct parse_state *ps, enum policy_action action,
    struct parse_sel *sel, struct parse_ropts *o, int line)
{
	struct policy_rule	*r;
	size_t			 i;
	int			 errors = 0;

	r = xcalloc(1, sizeof(*r));
	r->action = action;
	r->sel = sel->kind;
	r->file = parse_curfile(ps);
	r->line = line;
	switch (sel->kind) {
	case POLICY_SEL_ADDR:
		errors += parse_rule_addrs(ps, r, sel->list);
		break;
	case POLICY_SEL_ASN:
		errors += parse_rule_asns(ps, r, sel->list);
		break;
	case POLICY_SEL_COUNTRY:
		errors += parse_rule_countries(ps, r, sel->list);
		break;
	case POLICY_SEL_DOMAIN:
		errors += parse_rule_domains(ps, r, sel->list);
		break;
	}
	if (o->protos != NULL)
		errors += parse_rule_protos(ps, r, o->protos);
	if (o->ports != NULL) {
		errors += parse_rule_ports(ps, r, o->ports);
		for (i = 0; i < r->nprotos; i++)
			if (r->protos[i] != 6 && r->protos[i] != 17 &&
			    r->protos[i] != 132) {
				parse_error(ps, o->port_line, "port: only for "
				    "proto tcp, udp or sctp");
				errors++;
				break;
			}
	}
	if (errors > 0) {
		policy_rule_free(r);
		return;
	}
	policy_rule_add(ps->pol, action == POLICY_ALLOW ? ps->group : NULL,
	    r);
}

/* Read a configuration from an input already set up; NULL on errors. */
static struct policy *
parse_run(struct parse_state *ps)
{
	struct policy		*pol;
	struct parse_chunk	*c;

	if (ps->in != NULL) {
		if (yyparse(ps) != 0 && ps->errors == 0)
			ps->errors++;
		parse_more_flush(ps);
		if (ps->group != NULL) {
			ps->errors++;
			if (ps->errfp != NULL)
				fprintf(ps->errfp, "%s:%d: group \"%s\" is not "
				    "closed\n", ps->group->file,
				    ps->group->line, ps->group->name);
		}
		ps->errors += policy_finish(ps->pol, parse_finish_error, ps);
		parse_late_flush(ps);
	}
	while (ps->in != NULL)
		parse_pop(ps);
	while ((c = ps->chunks) != NULL) {
		ps->chunks = c->next;
		free(c);
	}
	tdestroy(ps->macros, parse_macro_free);
	tdestroy(ps->groups, parse_nofree);
	pol = ps->pol;
	if (ps->errors > 0) {
		policy_free(pol);
		pol = NULL;
	}
	free(ps);
	return pol;
}

/*
 * Read a configuration file (and what it includes) into a policy.  Every
 * error goes to stderr as "file:line: message"; NULL if there was any.
 */
struct policy *
parse_config(const char *file)
{
	return parse_config_errors(file, stderr);
}

/*
 * Read a configuration file with its errors, one a line, to errfp (none
 * if NULL): a reload logs them.  NULL on errors.
 */
struct policy *
parse_config_errors(const char *file, FILE *errfp)
{
	struct parse_state	*ps;

	ps = xcalloc(1, sizeof(*ps));
	ps->pol = policy_new();
	ps->errfp = errfp;
	ps->in = parse_open(ps, file, 0);
	return parse_run(ps);
}

/*
 * Read a configuration from memory, named name in errors, which go to
 * errfp (none if NULL).  include is an error here.  NULL on errors.
 */
struct policy *
parse_config_buffer(const char *name, const char *buf, size_t len,
    FILE *errfp)
{
	struct parse_state	*ps;
	struct parse_input	*in;

	ps = xcalloc(1, sizeof(*ps));
	ps->pol = policy_new();
	ps->errfp = errfp;
	ps->from_buffer = 1;
	in = xcalloc(1, sizeof(*in));
	in->buf = xmalloc(len + 1);
	if (len > 0)
		memcpy(in->buf, buf, len);
	in->len = len;
	in->lineno = 1;
	in->name = policy_file(ps->pol, name);
	ps->in = in;
	return parse_run(ps);
}
