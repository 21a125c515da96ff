/* Unit tests for the formatting helpers the summary and the records use. */
#include "config.h"

#include "test.h"
#include "util.h"

static const char *
bytes(uint64_t n)
{
	static char	buf[32];

	util_bytes_str(n, buf, sizeof(buf));
	return buf;
}

int
main(void)
{
	char		 buf[UTIL_ADDRSTRLEN], t[UTIL_TIMESTRLEN];
	const uint8_t	 a4[4] = { 10, 0, 255, 7 }, z4[4] = { 0, 0, 0, 0 };
	const uint8_t	 a6[16] = { 0xfd, 0, 0, 0x20, [15] = 0x11 };

	CHECK_STR(util_addr_str(4, a4, buf, sizeof(buf)), "10.0.255.7");
	CHECK_STR(util_addr_str(4, z4, buf, sizeof(buf)), "0.0.0.0");
	CHECK_STR(util_addr_str(6, a6, buf, sizeof(buf)), "fd00:20::11");

	CHECK_STR(bytes(0), "0 B");
	CHECK_STR(bytes(999), "999 B");
	CHECK_STR(bytes(1000), "1.0 kB");
	CHECK_STR(bytes(1049), "1.0 kB");
	CHECK_STR(bytes(1050), "1.1 kB");
	CHECK_STR(bytes(999949), "999.9 kB");
	CHECK_STR(bytes(999950), "1.0 MB");
	CHECK_STR(bytes(2554816), "2.6 MB");
	CHECK_STR(bytes(6800000000ULL), "6.8 GB");
	CHECK_STR(bytes(UINT64_MAX), "18446.7 PB");

	util_time_str(1772438400123456LL, t, sizeof(t));
	CHECK_STR(t, "2026-03-02T08:00:00.123456Z");
	util_time_str(0, t, sizeof(t));
	CHECK_STR(t, "1970-01-01T00:00:00.000000Z");

	CHECK(util_addr_private(4, a4));
	CHECK(!util_addr_private(4, (const uint8_t[]){ 172, 32, 0, 1 }));
	CHECK(util_addr_private(4, (const uint8_t[]){ 172, 31, 0, 1 }));
	CHECK(util_addr_private(4, (const uint8_t[]){ 100, 127, 0, 1 }));
	CHECK(!util_addr_private(4, (const uint8_t[]){ 100, 128, 0, 1 }));
	CHECK(util_addr_private(6, a6));
	return test_done("test_util");
}
