/*
 * store_query.c: the questions egressctl asks the audit store.  Each
 * command is one constant SELECT whose filters are bound parameters; the
 * rows of several stores (sensors) are gathered into one result, each
 * marked with its sensor, and sorted in C by the command's key.
 */
#ifndef EGRESSD_STORE_QUERY_H
#define EGRESSD_STORE_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

/* How a column is read, sorted and shown. */
enum store_col {
	STORE_C_TEXT,
	STORE_C_ADDR,		/* text, sorted as an address */
	STORE_C_INT,
	STORE_C_TIME,		/* us since 1970: RFC 3339 */
	STORE_C_REAL,
	STORE_C_PROTO,		/* an IP protocol number: its name */
};

struct store_column {
	const char	*name;
	enum store_col	 type;
};

struct store_cell {
	int		 null;
	int64_t		 i;
	double		 d;
	char		*s;		/* text, NUL added; len bytes */
	size_t		 len;
};

/* Rows of one command, from one or more stores. */
struct store_result {
	const struct store_column *cols;
	size_t		 ncols;
	const int	*sort;		/* column + 1, negative: descending; 0 */
	struct store_cell *cells;	/* nrows x (ncols + 1): the sensor last */
	size_t		 nrows, cap;
};

/* A command's filters; NULL or unset: none. */
struct store_filter {
	const char	*appliance, *group, *verdict, *country;
	const char	*destination, *action;
	int64_t		 asn;
	int		 has_asn;
	int64_t		 since, until;	/* us */
	int		 has_since, has_until;
	int		 undelivered;
};

/* Which filters a command takes. */
#define STORE_F_APPLIANCE	0x001
#define STORE_F_GROUP		0x002
#define STORE_F_VERDICT		0x004
#define STORE_F_COUNTRY		0x008
#define STORE_F_ASN		0x010
#define STORE_F_DESTINATION	0x020
#define STORE_F_ACTION		0x040
#define STORE_F_SINCE		0x080
#define STORE_F_UNTIL		0x100
#define STORE_F_UNDELIVERED	0x200

int	 store_query_filters(const char *);
int	 store_query_init(struct store_result *, const char *);
int	 store_query_run(sqlite3 *, const char *, const char *,
	    const struct store_filter *, struct store_result *, char *,
	    size_t);
void	 store_query_sort(struct store_result *);
void	 store_query_free(struct store_result *);
int	 store_query_newest(sqlite3 *, int64_t *);
int	 store_time_parse(const char *, int64_t, int64_t *);

#endif
