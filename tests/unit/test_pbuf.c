/* Unit tests for the bounds-checked packet cursor. */
#include "config.h"

#include "pbuf.h"
#include "test.h"

int
main(void)
{
	const uint8_t	 bytes[] = { 0x12, 0x34, 0x56, 0x78, 0x9a };
	struct pbuf	 b, sub;
	uint8_t		 u8;
	uint16_t	 u16;
	uint32_t	 u32;

	pbuf_init(&b, bytes, sizeof(bytes));
	CHECK_EQ(pbuf_get_u16(&b, &u16), 0);
	CHECK_EQ(u16, 0x1234);
	CHECK_EQ(pbuf_get_u32(&b, &u32), -1);	/* only 3 left */
	CHECK_EQ(b.len, 3);			/* cursor unchanged */
	CHECK_EQ(pbuf_sub(&b, 2, &sub), 0);
	CHECK_EQ(sub.len, 2);
	CHECK_EQ(pbuf_get_u8(&sub, &u8), 0);
	CHECK_EQ(u8, 0x56);
	CHECK_EQ(pbuf_get_u8(&b, &u8), 0);
	CHECK_EQ(u8, 0x9a);
	CHECK_EQ(pbuf_get_u8(&b, &u8), -1);
	CHECK_EQ(pbuf_skip(&b, 1), -1);
	CHECK_EQ(pbuf_skip(&b, 0), 0);

	pbuf_init(&b, bytes, sizeof(bytes));
	CHECK_EQ(pbuf_get_u32le(&b, &u32), 0);
	CHECK_EQ(u32, 0x78563412);
	CHECK_EQ(pbuf_peek_u8(&b, 0, &u8), 0);
	CHECK_EQ(u8, 0x9a);
	CHECK_EQ(pbuf_peek_u8(&b, 1, &u8), -1);
	return test_done("test_pbuf");
}
