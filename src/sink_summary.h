/* sink_summary.c: the readable audit summary of an offline run, a sink. */
#ifndef EGRESSD_SINK_SUMMARY_H
#define EGRESSD_SINK_SUMMARY_H

#include <stdio.h>

struct geo;
struct sink_ops;
struct sink_summary;

#define SUMMARY_MAX_HOSTS	100000
#define SUMMARY_MAX_PAIRS	1000000
#define SUMMARY_MAX_ALERTS	10000	/* listed; the rest are counted */
#define SUMMARY_TOP		5
#define SUMMARY_NAME_MAX	255	/* characters of a name kept */

extern const struct sink_ops sink_summary_ops;

struct sink_summary *sink_summary_open(FILE *, struct geo *, int);

#endif
