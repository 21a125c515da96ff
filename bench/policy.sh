#!/bin/sh
# bench/policy.sh: the policy's decision time and load time with a million
# rules and a table of a million entries (bench/policyloop; see there).
#	bench/policy.sh [RULES [ENTRIES [QUERIES]]]
# Run from the top of a build ("make bench-policy").
set -u
builddir=${top_builddir:-.}
exec "$builddir/bench/policyloop" "$@"
