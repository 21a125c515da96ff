/*
 * Unit tests for the QUIC Initial reader, against the published vectors
 * (RFC 9001 A.1 and A.2, RFC 9369 A.1 and A.2); crypto.c's own known
 * answers are in test_crypto.c.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "crypto.h"
#include "decode.h"
#include "flow.h"
#include "quic.h"
#include "tls.h"
#include "test.h"

#define HEX_MAX		2048

/* RFC 9001 A.2: the client's Initial, 1200 bytes, packet number 2. */
static const char *const rfc9001_a2_packet[] = {
	"c000000001088394c8f03e5157080000449e7b9aec34d1b1c98dd7689fb8ec11",
	"d242b123dc9bd8bab936b47d92ec356c0bab7df5976d27cd449f63300099f399",
	"1c260ec4c60d17b31f8429157bb35a1282a643a8d2262cad67500cadb8e7378c",
	"8eb7539ec4d4905fed1bee1fc8aafba17c750e2c7ace01e6005f80fcb7df6212",
	"30c83711b39343fa028cea7f7fb5ff89eac2308249a02252155e2347b63d58c5",
	"457afd84d05dfffdb20392844ae812154682e9cf012f9021a6f0be17ddd0c208",
	"4dce25ff9b06cde535d0f920a2db1bf362c23e596d11a4f5a6cf3948838a3aec",
	"4e15daf8500a6ef69ec4e3feb6b1d98e610ac8b7ec3faf6ad760b7bad1db4ba3",
	"485e8a94dc250ae3fdb41ed15fb6a8e5eba0fc3dd60bc8e30c5c4287e53805db",
	"059ae0648db2f64264ed5e39be2e20d82df566da8dd5998ccabdae053060ae6c",
	"7b4378e846d29f37ed7b4ea9ec5d82e7961b7f25a9323851f681d582363aa5f8",
	"9937f5a67258bf63ad6f1a0b1d96dbd4faddfcefc5266ba6611722395c906556",
	"be52afe3f565636ad1b17d508b73d8743eeb524be22b3dcbc2c7468d54119c74",
	"68449a13d8e3b95811a198f3491de3e7fe942b330407abf82a4ed7c1b311663a",
	"c69890f4157015853d91e923037c227a33cdd5ec281ca3f79c44546b9d90ca00",
	"f064c99e3dd97911d39fe9c5d0b23a229a234cb36186c4819e8b9c5927726632",
	"291d6a418211cc2962e20fe47feb3edf330f2c603a9d48c0fcb5699dbfe58964",
	"25c5bac4aee82e57a85aaf4e2513e4f05796b07ba2ee47d80506f8d2c25e50fd",
	"14de71e6c418559302f939b0e1abd576f279c4b2e0feb85c1f28ff18f58891ff",
	"ef132eef2fa09346aee33c28eb130ff28f5b766953334113211996d20011a198",
	"e3fc433f9f2541010ae17c1bf202580f6047472fb36857fe843b19f5984009dd",
	"c324044e847a4f4a0ab34f719595de37252d6235365e9b84392b061085349d73",
	"203a4a13e96f5432ec0fd4a1ee65accdd5e3904df54c1da510b0ff20dcc0c77f",
	"cb2c0e0eb605cb0504db87632cf3d8b4dae6e705769d1de354270123cb11450e",
	"fc60ac47683d7b8d0f811365565fd98c4c8eb936bcab8d069fc33bd801b03ade",
	"a2e1fbc5aa463d08ca19896d2bf59a071b851e6c239052172f296bfb5e724047",
	"90a2181014f3b94a4e97d117b438130368cc39dbb2d198065ae3986547926cd2",
	"162f40a29f0c3c8745c0f50fba3852e566d44575c29d39a03f0cda721984b6f4",
	"40591f355e12d439ff150aab7613499dbd49adabc8676eef023b15b65bfc5ca0",
	"6948109f23f350db82123535eb8a7433bdabcb909271a6ecbcb58b936a88cd4e",
	"8f2e6ff5800175f113253d8fa9ca8885c2f552e657dc603f252e1a8e308f76f0",
	"be79e2fb8f5d5fbbe2e30ecadd220723c8c0aea8078cdfcb3868263ff8f09400",
	"54da48781893a7e49ad5aff4af300cd804a6b6279ab3ff3afb64491c85194aab",
	"760d58a606654f9f4400e8b38591356fbf6425aca26dc85244259ff2b19c41b9",
	"f96f3ca9ec1dde434da7d2d392b905ddf3d1f9af93d1af5950bd493f5aa731b4",
	"056df31bd267b6b90a079831aaf579be0a39013137aac6d404f518cfd4684064",
	"7e78bfe706ca4cf5e9c5453e9f7cfd2b8b4c8d169a44e55c88d4a9a7f9474241",
	"e221af44860018ab0856972e194cd934",
	NULL
};

/* RFC 9369 A.2: the same Initial in QUIC version 2. */
static const char *const rfc9369_a2_packet[] = {
	"d76b3343cf088394c8f03e5157080000449ea0c95e82ffe67b6abcdb4298b485",
	"dd04de806071bf03dceebfa162e75d6c96058bdbfb127cdfcbf903388e99ad04",
	"9f9a3dd4425ae4d0992cfff18ecf0fdb5a842d09747052f17ac2053d21f57c5d",
	"250f2c4f0e0202b70785b7946e992e58a59ac52dea6774d4f03b55545243cf1a",
	"12834e3f249a78d395e0d18f4d766004f1a2674802a747eaa901c3f10cda5500",
	"cb9122faa9f1df66c392079a1b40f0de1c6054196a11cbea40afb6ef5253cd68",
	"18f6625efce3b6def6ba7e4b37a40f7732e093daa7d52190935b8da58976ff33",
	"12ae50b187c1433c0f028edcc4c2838b6a9bfc226ca4b4530e7a4ccee1bfa2a3",
	"d396ae5a3fb512384b2fdd851f784a65e03f2c4fbe11a53c7777c023462239dd",
	"6f7521a3f6c7d5dd3ec9b3f233773d4b46d23cc375eb198c63301c21801f6520",
	"bcfb7966fc49b393f0061d974a2706df8c4a9449f11d7f3d2dcbb90c6b877045",
	"636e7c0c0fe4eb0f697545460c806910d2c355f1d253bc9d2452aaa549e27a1f",
	"ac7cf4ed77f322e8fa894b6a83810a34b361901751a6f5eb65a0326e07de7c12",
	"16ccce2d0193f958bb3850a833f7ae432b65bc5a53975c155aa4bcb4f7b2c4e5",
	"4df16efaf6ddea94e2c50b4cd1dfe06017e0e9d02900cffe1935e0491d77ffb4",
	"fdf85290fdd893d577b1131a610ef6a5c32b2ee0293617a37cbb08b847741c3b",
	"8017c25ca9052ca1079d8b78aebd47876d330a30f6a8c6d61dd1ab5589329de7",
	"14d19d61370f8149748c72f132f0fc99f34d766c6938597040d8f9e2bb522ff9",
	"9c63a344d6a2ae8aa8e51b7b90a4a806105fcbca31506c446151adfeceb51b91",
	"abfe43960977c87471cf9ad4074d30e10d6a7f03c63bd5d4317f68ff325ba3bd",
	"80bf4dc8b52a0ba031758022eb025cdd770b44d6d6cf0670f4e990b22347a7db",
	"848265e3e5eb72dfe8299ad7481a408322cac55786e52f633b2fb6b614eaed18",
	"d703dd84045a274ae8bfa73379661388d6991fe39b0d93debb41700b41f90a15",
	"c4d526250235ddcd6776fc77bc97e7a417ebcb31600d01e57f32162a8560cacc",
	"7e27a096d37a1a86952ec71bd89a3e9a30a2a26162984d7740f81193e8238e61",
	"f6b5b984d4d3dfa033c1bb7e4f0037febf406d91c0dccf32acf423cfa1e70710",
	"10d3f270121b493ce85054ef58bada42310138fe081adb04e2bd901f2f13458b",
	"3d6758158197107c14ebb193230cd1157380aa79cae1374a7c1e5bbcb80ee23e",
	"06ebfde206bfb0fcbc0edc4ebec309661bdd908d532eb0c6adc38b7ca7331dce",
	"8dfce39ab71e7c32d318d136b6100671a1ae6a6600e3899f31f0eed19e3417d1",
	"34b90c9058f8632c798d4490da4987307cba922d61c39805d072b589bd52fdf1",
	"e86215c2d54e6670e07383a27bbffb5addf47d66aa85a0c6f9f32e59d85a44dd",
	"5d3b22dc2be80919b490437ae4f36a0ae55edf1d0b5cb4e9a3ecabee93dfc6e3",
	"8d209d0fa6536d27a5d6fbb17641cde27525d61093f1b28072d111b2b4ae5f89",
	"d5974ee12e5cf7d5da4d6a31123041f33e61407e76cffcdcfd7e19ba58cf4b53",
	"6f4c4938ae79324dc402894b44faf8afbab35282ab659d13c93f70412e85cb19",
	"9a37ddec600545473cfb5a05e08d0b209973b2172b4d21fb69745a262ccde96b",
	"a18b2faa745b6fe189cf772a9f84cbfc",
	NULL
};

/* RFC 9001 A.2: the CRYPTO frame with the ClientHello; PADDING follows. */
static const char *const rfc9001_a2_frames[] = {
	"060040f1010000ed0303ebf8fa56f12939b9584a3896472ec40bb863cfd3e868",
	"04fe3a47f06a2b69484c00000413011302010000c000000010000e00000b6578",
	"616d706c652e636f6dff01000100000a00080006001d00170018001000070005",
	"04616c706e000500050100000000003300260024001d00209370b2c9caa47fba",
	"baf4559fedba753de171fa71f50f1ce15d43e994ec74d748002b000302030400",
	"0d0010000e0403050306030203080408050806002d00020101001c0002400100",
	"3900320408ffffffffffffffff05048000ffff07048000ffff08011001048000",
	"75300901100f088394c8f03e51570806048000ffff",
	NULL
};

#define RFC9001_A2_PAYLOAD	1162	/* frames and PADDING */

static const uint8_t rfc9001_dcid[8] = {
	0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08
};

/* Decode hex strings, joined, into out; the number of bytes. */
static size_t
unhex(const char *const *parts, uint8_t *out, size_t outlen)
{
	size_t		n = 0, i;
	unsigned	v;

	for (; *parts != NULL; parts++)
		for (i = 0; (*parts)[i] != '\0' && (*parts)[i + 1] != '\0';
		    i += 2) {
			if (n == outlen || sscanf(*parts + i, "%2x", &v) != 1)
				return 0;
			out[n++] = (uint8_t)v;
		}
	return n;
}

/* One hex string. */
static size_t
unhex1(const char *s, uint8_t *out, size_t outlen)
{
	const char *const	parts[] = { s, NULL };

	return unhex(parts, out, outlen);
}

/* Are the bytes equal to the hex string? */
static int
eqhex(const uint8_t *p, size_t n, const char *hex)
{
	uint8_t	want[HEX_MAX];

	return unhex1(hex, want, sizeof(want)) == n && memcmp(p, want, n) == 0;
}

/* RFC 9001 A.1 and RFC 9369 A.1: the client's Initial keys. */
static void
test_keys(void)
{
	static const uint8_t	salt[] = {
		0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17,
		0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a
	};
	struct quic_keys	k;
	uint8_t			initial[32], client[32];

	crypto_hkdf_extract(salt, sizeof(salt), rfc9001_dcid,
	    sizeof(rfc9001_dcid), initial);
	CHECK(eqhex(initial, 32, "7db5df06e7a69e432496adedb0085192"
	    "3595221596ae2ae9fb8115c1e9ed0a44"));
	CHECK_EQ(crypto_hkdf_expand_label(initial, "client in", client, 32),
	    0);
	CHECK(eqhex(client, 32, "c00cf151ca5be075ed0ebfb5c80323c4"
	    "2d6b7db67881289af4008f1f6c357aea"));

	CHECK_EQ(quic_initial_keys(QUIC_V1, rfc9001_dcid, 8, &k), 0);
	CHECK(eqhex(k.key, 16, "1f369613dd76d5467730efcbe3b1a22d"));
	CHECK(eqhex(k.iv, 12, "fa044b2f42a3fd3b46fb255c"));
	CHECK(eqhex(k.hp, 16, "9f50449e04a0e810283a1e9933adedd2"));

	CHECK_EQ(quic_initial_keys(QUIC_V2, rfc9001_dcid, 8, &k), 0);
	CHECK(eqhex(k.key, 16, "8b1a0bc121284290a29e0971b5cd045d"));
	CHECK(eqhex(k.iv, 12, "91f73e2351d8fa91660e909f"));
	CHECK(eqhex(k.hp, 16, "45b95e15235d6f45a6b19cbcb0294ba9"));

	CHECK_EQ(quic_initial_keys(0xff00001d, rfc9001_dcid, 8, &k), -1);
}

/* RFC 9001 A.2: the header-protection mask, and the packet opened. */
static void
test_rfc9001_packet(void)
{
	static uint8_t		pkt[1200], buf[1200], frames[1200];
	static uint8_t		sealed[1200];
	static struct tls_hello	h;
	static struct quic_stream qs;
	struct quic_keys	k;
	struct quic_packet	p;
	uint8_t			mask[16], nonce[12], tag[16];
	uint64_t		pn;
	size_t			n, hdrlen, plainlen;
	char			ja4[TLS_JA4_LEN];

	CHECK_EQ(unhex(rfc9001_a2_packet, pkt, sizeof(pkt)), 1200);
	memset(frames, 0, sizeof(frames));
	n = unhex(rfc9001_a2_frames, frames, sizeof(frames));
	CHECK_EQ(n, 245);

	CHECK_EQ(quic_initial_keys(QUIC_V1, rfc9001_dcid, 8, &k), 0);
	CHECK(eqhex(pkt + 22, 16, "d1b1c98dd7689fb8ec11d242b123dc9b"));
	crypto_aes128_ecb(k.hp, pkt + 22, mask);
	CHECK(eqhex(mask, 5, "437b9aec36"));

	CHECK_EQ(quic_long_header(pkt, sizeof(pkt), &p), 0);
	CHECK_EQ(p.version, QUIC_V1);
	CHECK(p.initial);
	CHECK_EQ(p.dcidlen, 8);
	CHECK(p.dcid != NULL && memcmp(p.dcid, rfc9001_dcid, 8) == 0);
	CHECK_EQ(p.pn_off, 18);
	CHECK_EQ(p.len, 1200);

	CHECK_EQ(quic_open(&k, pkt, &p, 0, buf, &hdrlen, &plainlen, &pn), 0);
	CHECK_EQ(hdrlen, 22);
	CHECK_EQ(pn, 2);
	CHECK(eqhex(buf, 22, "c300000001088394c8f03e5157080000449e00000002"));
	CHECK_EQ(plainlen, RFC9001_A2_PAYLOAD);
	CHECK(memcmp(buf + hdrlen, frames, RFC9001_A2_PAYLOAD) == 0);

	/* Sealing the frames again gives the packet's bytes and tag. */
	memcpy(nonce, k.iv, 12);
	nonce[11] ^= 2;
	crypto_gcm_seal(k.key, nonce, buf, 22, frames, RFC9001_A2_PAYLOAD,
	    sealed, tag);
	CHECK(memcmp(sealed, pkt + 22, RFC9001_A2_PAYLOAD) == 0);
	CHECK(memcmp(tag, pkt + 22 + RFC9001_A2_PAYLOAD, 16) == 0);

	/* Any changed byte, header or payload, fails the tag. */
	memcpy(sealed, pkt, sizeof(pkt));
	sealed[9] ^= 1;			/* in the DCID: other keys */
	CHECK_EQ(quic_open(&k, sealed, &p, 0, buf, &hdrlen, &plainlen, &pn),
	    -1);
	memcpy(sealed, pkt, sizeof(pkt));
	sealed[600] ^= 0x80;
	CHECK_EQ(quic_open(&k, sealed, &p, 0, buf, &hdrlen, &plainlen, &pn),
	    -1);

	/* The whole reader: the ClientHello of A.2. */
	memset(&qs, 0, sizeof(qs));
	CHECK_EQ(quic_client_initial(&qs, pkt, sizeof(pkt), &h), QUIC_OK);
	CHECK_EQ(qs.packets, 1);
	CHECK_EQ(qs.len, 241);
	CHECK_STR(h.sni, "example.com");
	CHECK_EQ(h.nalpn, 1);
	CHECK_STR(h.alpn[0], "alpn");
	CHECK_EQ(h.version_max, 0x0304);
	CHECK_EQ(h.nciphers, 2);
	CHECK_EQ(h.nexts, 11);
	CHECK_EQ(tls_ja4(&h, 'q', 0, ja4, sizeof(ja4)), 0);
	/* Computed apart from this code: Python hashlib on the lists. */
	CHECK_STR(ja4, "q13d0211an_62ed6f6ca7ad_4d634acda6c0");
}

/* RFC 9369 A.2: the version 2 Initial, its mask, header and frames. */
static void
test_rfc9369_packet(void)
{
	static uint8_t		pkt[1200], buf[1200], frames[1200];
	static struct tls_hello	h;
	static struct quic_stream qs;
	struct quic_keys	k;
	struct quic_packet	p;
	uint8_t			mask[16];
	uint64_t		pn;
	size_t			hdrlen, plainlen;

	CHECK_EQ(unhex(rfc9369_a2_packet, pkt, sizeof(pkt)), 1200);
	memset(frames, 0, sizeof(frames));
	CHECK_EQ(unhex(rfc9001_a2_frames, frames, sizeof(frames)), 245);
	CHECK_EQ(quic_initial_keys(QUIC_V2, rfc9001_dcid, 8, &k), 0);
	crypto_aes128_ecb(k.hp, pkt + 22, mask);
	CHECK(eqhex(mask, 5, "94a0c95e80"));
	CHECK_EQ(quic_long_header(pkt, sizeof(pkt), &p), 0);
	CHECK_EQ(p.version, QUIC_V2);
	CHECK(p.initial);			/* type bits 01 in v2 */
	CHECK_EQ(quic_open(&k, pkt, &p, 0, buf, &hdrlen, &plainlen, &pn), 0);
	CHECK(eqhex(buf, 22, "d36b3343cf088394c8f03e5157080000449e00000002"));
	CHECK_EQ(pn, 2);
	CHECK_EQ(plainlen, RFC9001_A2_PAYLOAD);
	CHECK(memcmp(buf + hdrlen, frames, RFC9001_A2_PAYLOAD) == 0);
	/* v1 keys do not open it. */
	CHECK_EQ(quic_initial_keys(QUIC_V1, rfc9001_dcid, 8, &k), 0);
	CHECK_EQ(quic_open(&k, pkt, &p, 0, buf, &hdrlen, &plainlen, &pn), -1);
	memset(&qs, 0, sizeof(qs));
	CHECK_EQ(quic_client_initial(&qs, pkt, sizeof(pkt), &h), QUIC_OK);
	CHECK_STR(h.sni, "example.com");
}

/*
 * Protect frames as a client Initial of version ver to dcid, packet
 * number pn in 2 bytes, at out: the packet's length (RFC 9001 5.3, 5.4).
 */
static size_t
seal_initial(uint32_t ver, const uint8_t *dcid, size_t dcidlen, uint64_t pn,
    const uint8_t *frames, size_t flen, uint8_t *out)
{
	struct quic_keys	k;
	uint8_t			nonce[12], mask[16];
	size_t			o = 0, pn_off, i;
	unsigned		type = ver == QUIC_V2 ? 1 : 0;

	quic_initial_keys(ver, dcid, dcidlen, &k);
	out[o++] = (uint8_t)(0xc0 | type << 4 | 1);	/* pn length 2 */
	out[o++] = (uint8_t)(ver >> 24);
	out[o++] = (uint8_t)(ver >> 16);
	out[o++] = (uint8_t)(ver >> 8);
	out[o++] = (uint8_t)ver;
	out[o++] = (uint8_t)dcidlen;
	memcpy(out + o, dcid, dcidlen);
	o += dcidlen;
	out[o++] = 0;				/* no SCID */
	out[o++] = 0;				/* no token */
	out[o++] = (uint8_t)(0x40 | (2 + flen + 16) >> 8);
	out[o++] = (uint8_t)(2 + flen + 16);
	pn_off = o;
	out[o++] = (uint8_t)(pn >> 8);
	out[o++] = (uint8_t)pn;
	memcpy(nonce, k.iv, 12);
	for (i = 0; i < 8; i++)
		nonce[11 - i] ^= (uint8_t)(pn >> (8 * i));
	crypto_gcm_seal(k.key, nonce, out, o, frames, flen, out + o,
	    out + o + flen);
	crypto_aes128_ecb(k.hp, out + pn_off + 4, mask);
	out[0] ^= mask[0] & 0x0f;
	out[pn_off] ^= mask[1];
	out[pn_off + 1] ^= mask[2];
	return o + flen + 16;
}

/* A CRYPTO frame with bytes [from, to) of msg, then PADDING to pad bytes. */
static size_t
crypto_frame(const uint8_t *msg, size_t from, size_t to, size_t pad,
    uint8_t *out)
{
	size_t	o = 0;

	out[o++] = 0x06;
	out[o++] = (uint8_t)(0x40 | from >> 8);
	out[o++] = (uint8_t)from;
	out[o++] = (uint8_t)(0x40 | (to - from) >> 8);
	out[o++] = (uint8_t)(to - from);
	memcpy(out + o, msg + from, to - from);
	o += to - from;
	if (o < pad) {
		memset(out + o, 0, pad - o);
		o = pad;
	}
	return o;
}

/* A ClientHello of 3000 bytes with SNI "quic.example" and TLS 1.3. */
static void
big_hello_sni(uint8_t msg[3000], const char *sni)
{
	size_t	o = 0, n, i, sl = strlen(sni);

	/* ClientHello: version, random, no session, 1 suite, extensions. */
	msg[o++] = 1;
	msg[o++] = 0;
	msg[o++] = (uint8_t)((3000 - 4) >> 8);
	msg[o++] = (uint8_t)(3000 - 4);
	msg[o++] = 3;
	msg[o++] = 3;
	o += 32;
	msg[o++] = 0;
	msg[o++] = 0; msg[o++] = 2; msg[o++] = 0x13; msg[o++] = 0x01;
	msg[o++] = 1; msg[o++] = 0;
	n = 3000 - o - 2;
	msg[o++] = (uint8_t)(n >> 8);
	msg[o++] = (uint8_t)n;
	/* server_name */
	msg[o++] = 0; msg[o++] = 0;
	msg[o++] = 0; msg[o++] = (uint8_t)(sl + 5);
	msg[o++] = 0; msg[o++] = (uint8_t)(sl + 3);
	msg[o++] = 0;
	msg[o++] = 0; msg[o++] = (uint8_t)sl;
	memcpy(msg + o, sni, sl);
	o += sl;
	/* supported_versions: TLS 1.3 */
	memcpy(msg + o, "\x00\x2b\x00\x03\x02\x03\x04", 7);
	o += 7;
	/* a padding-type extension (21) filling the rest */
	n = 3000 - o - 4;
	msg[o++] = 0;
	msg[o++] = 21;
	msg[o++] = (uint8_t)(n >> 8);
	msg[o++] = (uint8_t)n;
	for (i = 0; i < n; i++)
		msg[o + i] = (uint8_t)i;
}

/* The 3000-byte ClientHello with the server name "quic.example". */
static void
big_hello(uint8_t msg[3000])
{
	big_hello_sni(msg, "quic.example");
}

/*
 * A ClientHello of 3000 bytes (a large key share, as with ML-KEM) in
 * three Initials: the last part first, coalesced with the first part in
 * one datagram after a PING and an ACK; then the middle, in version 2
 * for the same DCID to show each packet is judged by its own version.
 */
static void
test_reassembly(void)
{
	static uint8_t		msg[3000], fr[1400], d1[2800], d2[1400];
	static struct quic_stream qs;
	static struct tls_hello	h;
	static const uint8_t	dcid[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	size_t			n, n1, fl;

	big_hello(msg);

	memset(&qs, 0, sizeof(qs));
	fl = crypto_frame(msg, 2000, 3000, 1100, fr);
	n1 = seal_initial(QUIC_V1, dcid, sizeof(dcid), 2, fr, fl, d1);
	/* PING, ACK (largest 0, delay 0, no ranges, first range 0), CRYPTO. */
	fr[0] = 0x01;
	fr[1] = 0x02; fr[2] = 0; fr[3] = 0; fr[4] = 0; fr[5] = 0;
	fl = 6 + crypto_frame(msg, 0, 1000, 1100, fr + 6);
	n1 += seal_initial(QUIC_V1, dcid, sizeof(dcid), 0, fr, fl, d1 + n1);
	CHECK_EQ(quic_client_initial(&qs, d1, n1, &h), QUIC_MORE);
	CHECK_EQ(qs.packets, 2);
	CHECK_EQ(qs.len, 1000);

	fl = crypto_frame(msg, 1000, 2000, 1100, fr);
	n = seal_initial(QUIC_V2, dcid, sizeof(dcid), 1, fr, fl, d2);
	CHECK_EQ(quic_client_initial(&qs, d2, n, &h), QUIC_OK);
	CHECK_EQ(qs.len, 3000);
	CHECK_EQ(qs.largest_pn, 2);
	CHECK_STR(h.sni, "quic.example");
	CHECK_EQ(h.version_max, 0x0304);

	/* The same datagrams again give the same: overlap is harmless. */
	CHECK_EQ(quic_client_initial(&qs, d1, n1, &h), QUIC_OK);

	/* Without the middle the hello stays incomplete. */
	memset(&qs, 0, sizeof(qs));
	CHECK_EQ(quic_client_initial(&qs, d1, n1, &h), QUIC_MORE);
	CHECK_EQ(quic_client_initial(&qs, d1, n1, &h), QUIC_MORE);

	/* A frame type not allowed in an Initial ends the walk (STREAM). */
	memset(&qs, 0, sizeof(qs));
	memset(fr, 0, 6);
	fr[0] = 0x08;
	fl = 6 + crypto_frame(msg, 0, 1000, 1100, fr + 6);
	n = seal_initial(QUIC_V1, dcid, sizeof(dcid), 0, fr, fl, d2);
	CHECK_EQ(quic_client_initial(&qs, d2, n, &h), QUIC_MORE);
	CHECK_EQ(qs.len, 0);

	/* A CRYPTO frame longer than its packet is malformed. */
	memset(&qs, 0, sizeof(qs));
	fl = crypto_frame(msg, 0, 1000, 0, fr);
	fr[3] = 0x7f;
	n = seal_initial(QUIC_V1, dcid, sizeof(dcid), 0, fr, fl, d2);
	CHECK_EQ(quic_client_initial(&qs, d2, n, &h), QUIC_BAD);

	/* CRYPTO data that is not a ClientHello. */
	memset(&qs, 0, sizeof(qs));
	fl = crypto_frame(msg, 0, 1000, 1100, fr);
	fr[5] = 2;				/* a ServerHello */
	n = seal_initial(QUIC_V1, dcid, sizeof(dcid), 0, fr, fl, d2);
	CHECK_EQ(quic_client_initial(&qs, d2, n, &h), QUIC_BAD);

	/* A ClientHello longer than QUIC_CRYPTO_MAX is given up at once. */
	memset(&qs, 0, sizeof(qs));
	fl = crypto_frame(msg, 0, 1000, 1100, fr);
	fr[6] = 1;				/* 65536 + ... bytes */
	n = seal_initial(QUIC_V1, dcid, sizeof(dcid), 0, fr, fl, d2);
	CHECK_EQ(quic_client_initial(&qs, d2, n, &h), QUIC_BAD);
}

/* What is not a readable Initial, and every cut of a real one. */
static void
test_not_initial(void)
{
	static uint8_t		pkt[1200], cut[1200];
	static struct quic_stream qs;
	static struct tls_hello	h;
	size_t			n;
	int			rc;

	unhex(rfc9001_a2_packet, pkt, sizeof(pkt));
	memset(&qs, 0, sizeof(qs));
	memcpy(cut, pkt, sizeof(pkt));
	cut[0] = 0x40;				/* a short header */
	CHECK_EQ(quic_client_initial(&qs, cut, sizeof(cut), &h), QUIC_NOT);
	memcpy(cut, pkt, sizeof(pkt));
	cut[4] = 0x1d;				/* version 0x0000001d */
	CHECK_EQ(quic_client_initial(&qs, cut, sizeof(cut), &h), QUIC_NOT);
	memcpy(cut, pkt, sizeof(pkt));
	cut[5] = 21;				/* DCID over 20 bytes */
	CHECK_EQ(quic_client_initial(&qs, cut, sizeof(cut), &h), QUIC_BAD);
	memcpy(cut, pkt, sizeof(pkt));
	cut[1199] ^= 1;				/* the tag */
	CHECK_EQ(quic_client_initial(&qs, cut, sizeof(cut), &h),
	    QUIC_UNDECRYPTABLE);
	CHECK_EQ(quic_client_initial(&qs, pkt, 0, &h), QUIC_NOT);

	/* Each prefix, from a buffer of exactly its size: cut, not other. */
	for (n = 1; n < sizeof(pkt); n++) {
		uint8_t	*p = malloc(n);

		memcpy(p, pkt, n);
		memset(&qs, 0, sizeof(qs));
		rc = quic_client_initial(&qs, p, n, &h);
		free(p);
		if (rc != (n < 5 ? QUIC_NOT : QUIC_BAD)) {
			CHECK_EQ(rc, n < 5 ? QUIC_NOT : QUIC_BAD);
			break;
		}
	}
	CHECK_EQ(n, sizeof(pkt));
}

/* The A.2 packet on a UDP flow to port 443: QUIC, with its SNI. */
static void
test_app_quic(void)
{
	static uint8_t	pkt[1200], msg[3000], fr[1600], dg[1700];
	static const uint8_t dcid[] = { 9, 8, 7, 6, 5, 4, 3, 2 };
	struct app	*a = app_new();
	struct flow	 f;
	struct pkt	 p;
	size_t		 fl;
	int		 i;

	unhex(rfc9001_a2_packet, pkt, sizeof(pkt));
	memset(&f, 0, sizeof(f));
	memset(&p, 0, sizeof(p));
	p.af = 4;
	p.proto = 17;
	p.sport = 50000;
	p.dport = 443;
	p.payload = pkt;
	p.payload_len = sizeof(pkt);
	app_packet(a, &f, 0, &p);
	CHECK(f.app != NULL && f.app->proto == APP_QUIC);
	CHECK(f.app != NULL && f.app->quic == NULL);
	CHECK_STR(f.app ? f.app->sni : NULL, "example.com");
	CHECK_STR(f.app ? f.app->alpn : NULL, "alpn");
	CHECK_STR(f.app ? f.app->tls_version : NULL, "TLSv1.3");
	CHECK_STR(f.app ? f.app->ja4 : NULL,
	    "q13d0211an_62ed6f6ca7ad_4d634acda6c0");
	CHECK_EQ(a->counters[APP_C_QUIC_HELLOS], 1);
	CHECK_EQ(a->buffered, 0);
	app_flow_free(a, &f);

	/* A damaged Initial: QUIC still, counted, nothing kept. */
	pkt[700] ^= 1;
	memset(&f, 0, sizeof(f));
	app_packet(a, &f, 0, &p);
	CHECK(f.app != NULL && f.app->proto == APP_QUIC);
	CHECK(f.app != NULL && f.app->sni == NULL && f.app->quic == NULL);
	CHECK_EQ(a->counters[APP_C_QUIC_UNDECRYPTABLE], 1);
	CHECK_EQ(a->buffered, 0);
	app_flow_free(a, &f);

	/* Half a hello: the buffer is kept, counted, and freed with the flow. */
	big_hello(msg);
	fl = crypto_frame(msg, 0, 1500, 1200, fr);
	p.payload = dg;
	p.payload_len = seal_initial(QUIC_V1, dcid, sizeof(dcid), 0, fr, fl,
	    dg);
	memset(&f, 0, sizeof(f));
	app_packet(a, &f, 0, &p);
	CHECK(f.app != NULL && f.app->quic != NULL);
	CHECK_EQ(a->buffered, sizeof(struct quic_stream));
	p.sport = 443;				/* the server's: not read */
	p.dport = 50000;
	app_packet(a, &f, 1, &p);
	CHECK(f.app != NULL && f.app->quic != NULL && f.app->quic->datagrams == 1);
	app_flow_free(a, &f);
	CHECK_EQ(a->buffered, 0);

	/* ... and given up after APP_QUIC_DATAGRAMS without the rest. */
	p.sport = 50000;
	p.dport = 443;
	memset(&f, 0, sizeof(f));
	for (i = 0; i < APP_QUIC_DATAGRAMS; i++)
		app_packet(a, &f, 0, &p);
	CHECK(f.app != NULL && f.app->quic == NULL && f.app->sni == NULL);
	CHECK_EQ(a->counters[APP_C_QUIC_INCOMPLETE], 1);
	CHECK_EQ(a->buffered, 0);
	app_flow_free(a, &f);

	/* HTTP/3 to a DNS-over-HTTPS service is DNS over HTTPS. */
	big_hello_sni(msg, "dns.google");
	memset(&f, 0, sizeof(f));
	for (i = 0; i < 3; i++) {
		fl = crypto_frame(msg, (size_t)i * 1000, (size_t)i * 1000 + 1000,
		    1200, fr);
		p.payload_len = seal_initial(QUIC_V1, dcid, sizeof(dcid),
		    (uint64_t)i, fr, fl, dg);
		app_packet(a, &f, 0, &p);
	}
	CHECK_STR(f.app ? f.app->sni : NULL, "dns.google");
	CHECK(f.app != NULL && f.app->proto == APP_DOH);
	app_flow_free(a, &f);
	app_free(a);
}

int
main(void)
{
	test_keys();
	test_rfc9001_packet();
	test_rfc9369_packet();
	test_reassembly();
	test_not_initial();
	test_app_quic();
	return test_done("test_quic");
}
