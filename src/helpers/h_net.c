/*
 * h_net.c - packet helpers: checksums (csum_diff, l3/l4_csum_replace,
 * csum_update), moving an XDP packet's edges (xdp_adjust_head/tail/meta),
 * reading and writing packet bytes (skb_load/store_bytes, xdp_load/
 * store_bytes), and redirect.
 *
 * They act on the run's packet (struct rt_run), never on pointers the
 * program could have written into its context; the context argument must
 * be the run's context. After moving the packet's edges they write the new
 * pointers into the context's slots. Checksums use the kernel's arithmetic
 * (32-bit one's complement sums folded to 16 bits), so results match it
 * bit for bit; __sk_buff runs have no checksum offload (CHECKSUM_NONE), as
 * BPF_PROG_TEST_RUN's.
 */
#include <limits.h>
#include <string.h>

#include "helpers/helpers_internal.h"
#include "progtypes/runtime.h"

enum {
	F_RECOMPUTE_CSUM = 1 << 0,   /* skb_store_bytes */
	F_INVALIDATE_HASH = 1 << 1,
	F_HDR_FIELD_MASK = 0xf,      /* l3/l4_csum_replace: size of the field */
	F_PSEUDO_HDR = 1 << 4,
	F_MARK_MANGLED_0 = 1 << 5,
	F_MARK_ENFORCE = 1 << 6,
	F_IPV6 = 1 << 7,
	F_INGRESS = 1 << 0,          /* redirect */
	HDR_START_MAC = 0,
	HDR_START_NET = 1,
	CSUM_MANGLED_0 = 0xffff,
	XDP_ABORTED = 0,
	XDP_REDIRECT = 4,
	TC_ACT_SHOT = 2,
	TC_ACT_REDIRECT = 7,
	CSUM_DIFF_MAX = 512,         /* bytes of from and to together */
};

/* ---- checksum arithmetic (the kernel's csum_* of include/net/checksum.h) --------------- */

uint32_t helper_csum_add(uint32_t a, uint32_t b)
{
	uint32_t r = a + b;
	return r + (r < b);
}

static uint32_t csum_sub(uint32_t a, uint32_t b)
{
	return helper_csum_add(a, ~b);
}

uint16_t helper_csum_fold(uint32_t sum)
{
	sum += (sum >> 16) | (sum << 16);
	return (uint16_t)~(sum >> 16);
}

static uint16_t csum16_add(uint16_t csum, uint16_t addend)
{
	uint16_t r = (uint16_t)(csum + addend);
	return (uint16_t)(r + (r < addend));
}

static uint16_t load16(const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, 2);
	return v;
}

static void store16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

/* *sum adjusted for `from` becoming `to` (32-bit values in packet byte order). */
static void csum_replace4(uint8_t *sum, uint32_t from, uint32_t to)
{
	uint32_t tmp = csum_sub(~(uint32_t)load16(sum), from);
	store16(sum, helper_csum_fold(helper_csum_add(tmp, to)));
}

static void csum_replace2(uint8_t *sum, uint16_t from, uint16_t to)
{
	store16(sum, (uint16_t)~csum16_add(csum16_add((uint16_t)~load16(sum), (uint16_t)~from), to));
}

static void csum_replace_by_diff(uint8_t *sum, uint32_t diff)
{
	store16(sum, helper_csum_fold(helper_csum_add(diff, ~(uint32_t)load16(sum))));
}

/*
 * bpf_csum_diff(from, from_size, to, to_size, seed): the 32-bit sum of the
 * words of `to` and the complements of those of `from`, plus seed.
 */
HELPER(csum_diff)
{
	uint32_t from_size = (uint32_t)r2, to_size = (uint32_t)r4;
	uint64_t acc = (uint32_t)r5;
	const uint8_t *from = helper_ptr(r1), *to = helper_ptr(r3);

	if (((from_size | to_size) & 3) || (uint64_t)from_size + to_size > CSUM_DIFF_MAX)
		return helper_err(EINVAL);
	if (!helper_mem_ok(exec, r1, from_size, NYK_MEM_READ) || !helper_mem_ok(exec, r3, to_size, NYK_MEM_READ))
		return helper_err(EFAULT);
	for (uint32_t i = 0; i < from_size; i += 4) {
		uint32_t w;
		memcpy(&w, from + i, 4);
		acc += (uint32_t)~w;
	}
	for (uint32_t i = 0; i < to_size; i += 4) {
		uint32_t w;
		memcpy(&w, to + i, 4);
		acc += w;
	}
	while (acc >> 32)
		acc = (acc & 0xffffffffu) + (acc >> 32);
	return acc;
}

/* ---- the run's packet ------------------------------------------------------------------- */

/* The run, when `ctx` is its context and it has a packet of one of the models in `models`. */
static struct rt_run *packet_run(struct nyk_exec *exec, uint64_t ctx, unsigned models)
{
	struct rt_run *run = rt_run_of(exec);

	if (!run || !run->data || ctx != (uint64_t)(uintptr_t)run->ctx || !((1u << run->model) & models))
		return NULL;
	return run;
}

#define SKB_MODELS ((1u << NYK_MODEL_SKB_L2) | (1u << NYK_MODEL_SKB_L3) | (1u << NYK_MODEL_PACKET))
#define XDP_MODELS (1u << NYK_MODEL_XDP)

static size_t pkt_len(const struct rt_run *run)
{
	return (size_t)(run->data_end - run->data);
}

/* The 16-bit checksum field at `offset` of the packet, or NULL (the kernel's -EFAULT). */
static uint8_t *csum_field(struct rt_run *run, uint64_t offset)
{
	if (offset > 0xffff || offset + 2 > pkt_len(run))
		return NULL;
	return run->data + offset;
}

/*
 * The replacement both csum_replace helpers make in the checksum at `sum`:
 * flags' low nibble is the size of the changed field, 0 when `to` is a
 * difference from bpf_csum_diff (then `from` must be 0). The l4 helper
 * replaces a 2-byte field as a 4-byte one, as the kernel's
 * inet_proto_csum_replace2 does; the l3 helper uses 16-bit arithmetic
 * (csum_replace2), which can differ from it in the sign of zero.
 */
static uint64_t csum_replace_field(uint8_t *sum, uint64_t flags, uint64_t from, uint64_t to, int l4)
{
	switch (flags & F_HDR_FIELD_MASK) {
	case 0:
		if (from)
			return helper_err(EINVAL);
		csum_replace_by_diff(sum, (uint32_t)to);
		return 0;
	case 2:
		if (l4)
			csum_replace4(sum, (uint16_t)from, (uint16_t)to);
		else
			csum_replace2(sum, (uint16_t)from, (uint16_t)to);
		return 0;
	case 4:
		csum_replace4(sum, (uint32_t)from, (uint32_t)to);
		return 0;
	default:
		return helper_err(EINVAL);
	}
}

/* bpf_l3_csum_replace(skb, offset, from, to, flags) */
HELPER(l3_csum_replace)
{
	struct rt_run *run = packet_run(exec, r1, SKB_MODELS);
	uint8_t *sum;

	if (!run || (r5 & ~(uint64_t)F_HDR_FIELD_MASK))
		return helper_err(EINVAL);
	if (!(sum = csum_field(run, (uint32_t)r2)))
		return helper_err(EFAULT);
	return csum_replace_field(sum, r5, r3, r4, 0);
}

/* bpf_l4_csum_replace(skb, offset, from, to, flags): with CHECKSUM_NONE the pseudo-header flag changes nothing. */
HELPER(l4_csum_replace)
{
	struct rt_run *run = packet_run(exec, r1, SKB_MODELS);
	int mmzero = (r5 & F_MARK_MANGLED_0) != 0, mforce = (r5 & F_MARK_ENFORCE) != 0;
	uint8_t *sum;
	uint64_t ret;

	if (!run || (r5 & ~(uint64_t)(F_MARK_MANGLED_0 | F_MARK_ENFORCE | F_PSEUDO_HDR | F_IPV6 | F_HDR_FIELD_MASK)))
		return helper_err(EINVAL);
	if (!(sum = csum_field(run, (uint32_t)r2)))
		return helper_err(EFAULT);
	if (mmzero && !mforce && !load16(sum))
		return 0;
	ret = csum_replace_field(sum, r5, r3, r4, 1);
	if (ret)
		return ret;
	if (mmzero && !load16(sum))
		store16(sum, CSUM_MANGLED_0);
	return 0;
}

/* bpf_csum_update(skb, csum): only for CHECKSUM_COMPLETE packets, which test runs do not have. */
HELPER(csum_update)
{
	return helper_err(HELPER_ENOTSUPP);
}

/* bpf_skb_load_bytes(skb, offset, to, len): the destination is zeroed on failure. */
HELPER(skb_load_bytes)
{
	struct rt_run *run = packet_run(exec, r1, SKB_MODELS);
	uint32_t off = (uint32_t)r2, len = (uint32_t)r4;

	if (!helper_mem_ok(exec, r3, len, NYK_MEM_WRITE))
		return helper_err(EFAULT);
	if (!run || off > INT_MAX || (uint64_t)off + len > pkt_len(run)) {
		memset(helper_ptr(r3), 0, len);
		return helper_err(run ? EFAULT : EINVAL);
	}
	memmove(helper_ptr(r3), run->data + off, len);
	return 0;
}

/* bpf_skb_load_bytes_relative(skb, offset, to, len, start_header): from the MAC or network header. */
HELPER(skb_load_bytes_relative)
{
	struct rt_run *run = packet_run(exec, r1, SKB_MODELS);
	uint32_t off = (uint32_t)r2, len = (uint32_t)r4;
	const uint8_t *start = NULL;

	if (!helper_mem_ok(exec, r3, len, NYK_MEM_WRITE))
		return helper_err(EFAULT);
	if (run && off <= 0xffff) {
		if (r5 == HDR_START_MAC)
			start = run->mac;
		else if (r5 == HDR_START_NET)
			start = run->mac ? run->mac + RT_ETH_HLEN : NULL;
	}
	if (!start || start + off + len > run->data_end || start + off < run->buf) {
		memset(helper_ptr(r3), 0, len);
		return helper_err(EFAULT);
	}
	memmove(helper_ptr(r3), start + off, len);
	return 0;
}

/* bpf_skb_store_bytes(skb, offset, from, len, flags) */
HELPER(skb_store_bytes)
{
	struct rt_run *run = packet_run(exec, r1, SKB_MODELS);
	uint32_t off = (uint32_t)r2, len = (uint32_t)r4;

	if (!run || (r5 & ~(uint64_t)(F_RECOMPUTE_CSUM | F_INVALIDATE_HASH)))
		return helper_err(EINVAL);
	if (off > INT_MAX || (uint64_t)off + len > pkt_len(run))
		return helper_err(EFAULT);
	if (!helper_mem_ok(exec, r3, len, NYK_MEM_READ))
		return helper_err(EFAULT);
	memmove(run->data + off, helper_ptr(r3), len);
	return 0;
}

/* bpf_skb_pull_data(skb, len): the packet is linear already; fails only past its end. */
HELPER(skb_pull_data)
{
	struct rt_run *run = packet_run(exec, r1, SKB_MODELS);

	if (!run)
		return helper_err(EINVAL);
	return (uint32_t)r2 > pkt_len(run) ? helper_err(ENOMEM) : 0;
}

/* bpf_redirect(ifindex, flags): only the verdict; where it would go is not modelled. */
HELPER(redirect)
{
	struct rt_run *run = rt_run_of(exec);

	if (run && run->model == NYK_MODEL_XDP)
		return r2 ? XDP_ABORTED : XDP_REDIRECT;
	return (r2 & ~(uint64_t)F_INGRESS) ? TC_ACT_SHOT : TC_ACT_REDIRECT;
}

/* ---- XDP ------------------------------------------------------------------------------------ */

/* bpf_xdp_adjust_head(xdp, delta): move data (and the metadata with it) within the headroom. */
HELPER(xdp_adjust_head)
{
	struct rt_run *run = packet_run(exec, r1, XDP_MODELS);
	int32_t delta = (int32_t)r2;
	size_t metalen;
	uint8_t *data;

	if (!run)
		return helper_err(EINVAL);
	metalen = (size_t)(run->data - run->meta);
	data = run->data + delta;
	if (delta < run->lo + metalen - run->data || delta > (run->data_end - RT_ETH_HLEN) - run->data)
		return helper_err(EINVAL);
	if (metalen)
		memmove(run->meta + delta, run->meta, metalen);
	run->meta += delta;
	run->data = data;
	rt_sync_slots(run);
	return 0;
}

/* bpf_xdp_adjust_meta(xdp, delta): metadata of 0 to 32 bytes, a multiple of 4, before data. */
HELPER(xdp_adjust_meta)
{
	struct rt_run *run = packet_run(exec, r1, XDP_MODELS);
	int32_t delta = (int32_t)r2;
	ptrdiff_t metalen;

	if (!run)
		return helper_err(EINVAL);
	if (delta < run->lo - run->meta || delta > run->data - run->meta)
		return helper_err(EINVAL);
	metalen = run->data - (run->meta + delta);
	if ((metalen & 3) || metalen > 32)
		return helper_err(EACCES);
	run->meta += delta;
	rt_sync_slots(run);
	return 0;
}

/* bpf_xdp_adjust_tail(xdp, delta): grow into the tailroom (zeroed) or shrink to 14 bytes. */
HELPER(xdp_adjust_tail)
{
	struct rt_run *run = packet_run(exec, r1, XDP_MODELS);
	int32_t delta = (int32_t)r2;

	if (!run)
		return helper_err(EINVAL);
	if (delta > run->hi - run->data_end || delta < (run->data + RT_ETH_HLEN) - run->data_end)
		return helper_err(EINVAL);
	if (delta > 0)
		memset(run->data_end, 0, (size_t)delta);
	run->data_end += delta;
	rt_sync_slots(run);
	return 0;
}

HELPER(xdp_get_buff_len)
{
	struct rt_run *run = packet_run(exec, r1, XDP_MODELS);
	return run ? pkt_len(run) : 0;
}

/* bpf_xdp_load_bytes / bpf_xdp_store_bytes(xdp, offset, buf, len) */
static uint64_t xdp_copy(HELPER_ARGS, int store)
{
	struct rt_run *run = packet_run(exec, r1, XDP_MODELS);
	uint32_t off = (uint32_t)r2, len = (uint32_t)r4;

	(void)r5;
	if (!run)
		return helper_err(EINVAL);
	if (off > 0xffff || len > 0xffff)
		return helper_err(EFAULT);
	if ((uint64_t)off + len > pkt_len(run))
		return helper_err(EINVAL);
	if (!helper_mem_ok(exec, r3, len, store ? NYK_MEM_READ : NYK_MEM_WRITE))
		return helper_err(EFAULT);
	if (store)
		memmove(run->data + off, helper_ptr(r3), len);
	else
		memmove(helper_ptr(r3), run->data + off, len);
	return 0;
}

HELPER(xdp_load_bytes) { return xdp_copy(r1, r2, r3, r4, r5, exec, 0); }
HELPER(xdp_store_bytes) { return xdp_copy(r1, r2, r3, r4, r5, exec, 1); }
