/* A minimal harness for the unit tests: each CHECK counts, failures are printed. */
#ifndef EGRESSD_TEST_H
#define EGRESSD_TEST_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int test_failures;
static int test_checks;

#define CHECK(cond) do {						\
	test_checks++;							\
	if (!(cond)) {							\
		test_failures++;					\
		fprintf(stderr, "%s:%d: CHECK(%s) failed\n",		\
		    __FILE__, __LINE__, #cond);				\
	}								\
} while (0)

#define CHECK_EQ(a, b) do {						\
	long long _a = (long long)(a), _b = (long long)(b);		\
	test_checks++;							\
	if (_a != _b) {							\
		test_failures++;					\
		fprintf(stderr, "%s:%d: %s == %lld, expected %s == %lld\n", \
		    __FILE__, __LINE__, #a, _a, #b, _b);		\
	}								\
} while (0)

#define CHECK_STR(a, b) do {						\
	const char *_a = (a), *_b = (b);				\
	test_checks++;							\
	if (_a == NULL || _b == NULL || strcmp(_a, _b) != 0) {		\
		test_failures++;					\
		fprintf(stderr, "%s:%d: %s == \"%s\", expected \"%s\"\n", \
		    __FILE__, __LINE__, #a, _a ? _a : "(null)",		\
		    _b ? _b : "(null)");				\
	}								\
} while (0)

/* Print the tally and give the exit status automake expects. */
static inline int
test_done(const char *name)
{
	printf("%s: %d checks, %d failed\n", name, test_checks, test_failures);
	return test_failures ? 1 : 0;
}

#endif
