/* json_ref.c: the jansson renderer the JSON lines are checked against. */
#ifndef EGRESSD_JSON_REF_H
#define EGRESSD_JSON_REF_H

#include <stddef.h>

struct alert;
struct event_flow;

/* The lines rendered so far: p holds len bytes and a NUL. */
struct ref_out {
	char	*p;
	size_t	 len;
};

void	json_ref_flow(struct ref_out *, const struct event_flow *);
void	json_ref_alert(struct ref_out *, const struct alert *);

#endif
