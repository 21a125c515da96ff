/* store_print.c: egressctl's output formats (table, CSV, JSON lines). */
#ifndef EGRESSD_STORE_PRINT_H
#define EGRESSD_STORE_PRINT_H

#include <stdio.h>

struct store_result;

enum store_format {
	STORE_FMT_TABLE,
	STORE_FMT_CSV,
	STORE_FMT_JSON,
};

int	store_print(FILE *, const struct store_result *, enum store_format,
	    int);

#endif
