/*
 * 802.1Q tagging for tests/real/real.sh on kernels without the 8021q module:
 * tc programs for both ends of the site-router veth.  On egress a frame from
 * a VLAN-20 interface (a macvlan whose MAC begins 02:00:00:00:20) gets tag 20
 * from the kernel's own VLAN push; on ingress the tag is popped again so the
 * macvlan on the far side takes the frame.  No headers needed: helpers are
 * called by number.  Built with: clang -O2 -target bpf -c vlan-tag.c
 */
#define TC_ACT_OK		0
#define HELPER_SKB_LOAD_BYTES	26
#define HELPER_SKB_VLAN_PUSH	18
#define HELPER_SKB_VLAN_POP	19

struct __sk_buff;

static long (*load_bytes)(struct __sk_buff *, unsigned int, void *,
    unsigned int) = (void *)HELPER_SKB_LOAD_BYTES;
static long (*vlan_push)(struct __sk_buff *, unsigned short,
    unsigned short) = (void *)HELPER_SKB_VLAN_PUSH;
static long (*vlan_pop)(struct __sk_buff *) = (void *)HELPER_SKB_VLAN_POP;

__attribute__((section("egress"), used)) int
tag_egress(struct __sk_buff *skb)
{
	unsigned char	src[6];

	if (load_bytes(skb, 6, src, 6) != 0)
		return TC_ACT_OK;
	if (src[0] == 0x02 && src[1] == 0 && src[2] == 0 && src[3] == 0 &&
	    src[4] == 0x20)
		vlan_push(skb, 0x0081, 20);	/* 0x8100, network order */
	return TC_ACT_OK;
}

__attribute__((section("ingress"), used)) int
tag_ingress(struct __sk_buff *skb)
{
	vlan_pop(skb);		/* no tag: a no-op */
	return TC_ACT_OK;
}

char tag_license[] __attribute__((section("license"), used)) = "GPL";
