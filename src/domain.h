/*
 * domain.c: the registered domain of a DNS name ("vendor.example" of
 * "api.eu.vendor.example"), from the Public Suffix List through libpsl.
 */
#ifndef EGRESSD_DOMAIN_H
#define EGRESSD_DOMAIN_H

struct domain;

struct domain	*domain_open(void);
void		 domain_close(struct domain *);
const char	*domain_registered(const struct domain *, const char *);
int		 domain_listed(const struct domain *, const char *);

#endif
