/*
 * ctx_build.c - the context and packet of a run, built from data_in and
 * ctx_in as the kernel's BPF_PROG_TEST_RUN builds them (net/bpf/test_run.c),
 * and data_out/ctx_out filled back the same way.
 *
 *   bytes    the context is ctx_in's bytes (or data_in's); written back
 *   xdp      data_in after XDP_PACKET_HEADROOM (256) bytes of headroom in a
 *            4096-byte frame whose last 320 bytes adjust_tail cannot use;
 *            ctx_in's xdp_md may give metadata (data = its length),
 *            ingress_ifindex and rx_queue_index; data_out starts at
 *            data_meta
 *   skb      a __sk_buff on the loopback device (ifindex 1) around data_in:
 *            protocol and pkt_type from the Ethernet header, the socket
 *            family and addresses from the IP header; tc (L2) sees the
 *            packet from its Ethernet header, socket filters and
 *            cgroup_skb (L3) from the network header, and their data_out
 *            has the Ethernet header zeroed; ctx_in may set mark,
 *            priority, ingress_ifindex, ifindex, cb, tstamp, wire_len,
 *            gso_segs, gso_size and hwtstamp (anything else: -EINVAL)
 *   packet   an embedder's context: ctx_in fills it, pointer fields point
 *            into data_in
 *
 * Packets larger than the kernel's page-sized buffers are accepted (the
 * buffer grows); multi-buffer XDP (frags) is not modelled.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "progtypes/progtype_internal.h"
#include "progtypes/runtime.h"

/* Offsets of struct __sk_buff and struct xdp_md (linux/bpf.h). */
enum {
	SKB_LEN = 0, SKB_PKT_TYPE = 4, SKB_MARK = 8, SKB_PROTOCOL = 16, SKB_PRIORITY = 32,
	SKB_INGRESS_IFINDEX = 36, SKB_IFINDEX = 40, SKB_CB = 48, SKB_CB_END = 68, SKB_FAMILY = 88,
	SKB_REMOTE_IP4 = 92, SKB_LOCAL_IP4 = 96, SKB_REMOTE_IP6 = 100, SKB_LOCAL_IP6 = 116,
	SKB_TSTAMP = 152, SKB_WIRE_LEN = 160, SKB_GSO_SEGS = 164, SKB_GSO_SIZE = 176, SKB_HWTSTAMP = 184,
	SKB_SIZE = 192,
	XDP_DATA = 0, XDP_DATA_END = 4, XDP_DATA_META = 8, XDP_INGRESS_IFINDEX = 12, XDP_RX_QUEUE = 16,
	XDP_EGRESS_IFINDEX = 20, XDP_SIZE = 24,
};

enum {
	ETH_P_IP = 0x0800, ETH_P_IPV6 = 0x86dd, ETH_P_802_3_MIN = 0x0600, ETH_P_802_3 = 0x0001,
	ETH_P_802_2 = 0x0004, AF_INET_ = 2, AF_INET6_ = 10, LOOPBACK_IFINDEX = 1,
	PACKET_HOST = 0, PACKET_BROADCAST = 1, PACKET_MULTICAST = 2, PACKET_OTHERHOST = 3,
	GSO_LEGACY_MAX_SIZE = 65536, GSO_MAX_SEGS = 65535, XDP_META_MAX = 32,
};

static uint32_t get32(const uint8_t *p, size_t off)
{
	uint32_t v;
	memcpy(&v, p + off, 4);
	return v;
}

static void put32(uint8_t *p, size_t off, uint32_t v)
{
	memcpy(p + off, &v, 4);
}

/* The host-order value of a 16-bit big-endian field, and its raw (network order) u16. */
static unsigned be16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static uint16_t raw16(const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, 2);
	return v;
}

static int all_zero(const uint8_t *p, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (p[i])
			return 0;
	return 1;
}

/*
 * ctx_in as the kernel's bpf_ctx_init takes it: at most `max` bytes (the
 * rest must be zero: -E2BIG), zero-extended to `max`.
 */
static int take_user_ctx(struct rt_run *run, const struct nyk_test_run *o, size_t max, struct nyk_error *err)
{
	const uint8_t *in = o->ctx_in;

	run->user_ctx = o->ctx_in || o->ctx_out;
	run->user = calloc(1, max ? max : 1);
	if (!run->user)
		return nyk_error_set(err, -ENOMEM, "out of memory for the context");
	if (!o->ctx_in)
		return 0;
	if (o->ctx_size_in > max && !all_zero(in, max, o->ctx_size_in))
		return nyk_error_set(err, -E2BIG, "ctx_in has %zu bytes; %s has %zu and the rest must be zero",
				     o->ctx_size_in, run->type->d.ctx_name ? run->type->d.ctx_name : "the context", max);
	memcpy(run->user, in, o->ctx_size_in < max ? o->ctx_size_in : max);
	return 0;
}

static int alloc_ctx(struct rt_run *run, size_t visible, struct nyk_error *err)
{
	run->ctx_visible = visible;
	run->ctx_len = nyk_progtype_runtime_ctx_size(run->type, visible);
	run->ctx = run->ctx_len ? calloc(1, run->ctx_len) : NULL;   /* no bytes: r1 = NULL, as the kernel's */
	if (run->ctx_len && !run->ctx)
		return nyk_error_set(err, -ENOMEM, "out of memory for the context");
	run->slot_data = progtype_slot_of_kind(run->type, NYK_CTX_PKT);
	run->slot_end = progtype_slot_of_kind(run->type, NYK_CTX_PKT_END);
	run->slot_meta = progtype_slot_of_kind(run->type, NYK_CTX_PKT_META);
	return 0;
}

static int alloc_buf(struct rt_run *run, size_t len, struct nyk_error *err)
{
	run->buf = calloc(1, len);
	run->buf_len = len;
	if (!run->buf)
		return nyk_error_set(err, -ENOMEM, "out of memory for a packet of %zu bytes", len);
	return 0;
}

void rt_sync_slots(struct rt_run *run)
{
	uint64_t v;

	if (run->slot_data >= 0) {
		v = (uint64_t)(uintptr_t)run->data;
		memcpy(run->ctx + run->slot_data, &v, 8);
	}
	if (run->slot_end >= 0) {
		v = (uint64_t)(uintptr_t)run->data_end;
		memcpy(run->ctx + run->slot_end, &v, 8);
	}
	if (run->slot_meta >= 0) {
		v = (uint64_t)(uintptr_t)run->meta;
		memcpy(run->ctx + run->slot_meta, &v, 8);
	}
}

/* ---- bytes -------------------------------------------------------------------------------- */

static int build_bytes(struct rt_run *run, const struct nyk_test_run *o, struct nyk_error *err)
{
	const void *src = o->ctx_in ? o->ctx_in : o->data_in;
	size_t len = o->ctx_in ? o->ctx_size_in : o->data_size_in;
	size_t visible = len > run->type->d.ctx_size ? len : run->type->d.ctx_size;
	int rc;

	run->bytes_from_data = !o->ctx_in && o->data_in;
	if (!src && len)
		return nyk_error_set(err, -EINVAL, "%zu bytes of context but no data", len);
	if ((rc = alloc_ctx(run, visible, err)))
		return rc;
	if (len)
		memcpy(run->ctx, src, len);
	return 0;
}

/* ---- xdp ------------------------------------------------------------------------------------ */

static int build_xdp(struct rt_run *run, const struct nyk_test_run *o, struct nyk_error *err)
{
	size_t size = o->data_size_in, meta = 0, frame, headroom = RT_XDP_HEADROOM;
	uint8_t *md;
	int rc;

	if (!o->data_in || size < RT_ETH_HLEN)
		return nyk_error_set(err, -EINVAL, "xdp: data_in must hold a packet of at least %d bytes (has %zu)",
				     RT_ETH_HLEN, o->data_in ? size : 0);
	if ((rc = take_user_ctx(run, o, XDP_SIZE, err)))
		return rc;
	md = run->user;
	if (o->ctx_in) {
		uint32_t data = get32(md, XDP_DATA), end = get32(md, XDP_DATA_END);
		if (end == 0)
			end = (uint32_t)size;   /* nyuki's shorthand: the whole packet */
		if (get32(md, XDP_DATA_META) || end > size || data > end)
			return nyk_error_set(err, -EINVAL, "xdp: ctx_in: data_meta must be 0 and data <= data_end <= "
					     "%zu (the size of data_in)", size);
		if (end < size)
			return nyk_error_set(err, -ENOTSUP, "xdp: ctx_in.data_end %u < %zu: multi-buffer packets (frags) "
					     "are not supported", end, size);
		if ((data & 3) || data > XDP_META_MAX)
			return nyk_error_set(err, -EINVAL, "xdp: ctx_in.data %u: metadata must be a multiple of 4 and "
					     "at most %d bytes", data, XDP_META_MAX);
		if (get32(md, XDP_EGRESS_IFINDEX))
			return nyk_error_set(err, -EINVAL, "xdp: ctx_in.egress_ifindex must be 0");
		if (!get32(md, XDP_INGRESS_IFINDEX) && get32(md, XDP_RX_QUEUE))
			return nyk_error_set(err, -EINVAL, "xdp: ctx_in.rx_queue_index needs an ingress_ifindex");
		if (size - data < RT_ETH_HLEN)
			return nyk_error_set(err, -EINVAL, "xdp: the packet after %u bytes of metadata is shorter than "
					     "%d bytes", data, RT_ETH_HLEN);
		meta = data;
	}
	headroom -= meta;
	frame = RT_PAGE;
	if (RT_XDP_HEADROOM + size - meta + RT_SKB_SHINFO > frame)
		frame = RT_XDP_HEADROOM + size - meta + RT_SKB_SHINFO;
	if ((rc = alloc_buf(run, frame, err)) || (rc = alloc_ctx(run, XDP_SIZE, err)))
		return rc;
	memcpy(run->buf + headroom, o->data_in, size);
	run->meta = run->buf + headroom;
	run->data = run->meta + meta;
	run->data_end = run->buf + headroom + size;
	run->lo = run->buf + RT_XDP_FRAME_SIZE;
	run->hi = run->buf + frame - RT_SKB_SHINFO;
	/* Without an ingress device the kernel runs on the loopback's receive queue 0. */
	put32(run->ctx, XDP_INGRESS_IFINDEX,
	      get32(md, XDP_INGRESS_IFINDEX) ? get32(md, XDP_INGRESS_IFINDEX) : LOOPBACK_IFINDEX);
	put32(run->ctx, XDP_RX_QUEUE, get32(md, XDP_RX_QUEUE));
	rt_sync_slots(run);
	return 0;
}

/* xdp_convert_buff_to_md: data and data_end relative to data_meta, the rest as given. */
static void finish_xdp(struct rt_run *run, uint8_t *ctx_out)
{
	memcpy(ctx_out, run->user, XDP_SIZE);
	put32(ctx_out, XDP_DATA, (uint32_t)(run->data - run->meta));
	put32(ctx_out, XDP_DATA_END, (uint32_t)(run->data_end - run->meta));
}

/* ---- __sk_buff ------------------------------------------------------------------------------ */

/* The fields of __sk_buff a test run's ctx_in may set; every other byte must be zero. */
static const struct {
	uint16_t from, to;
} skb_user_fields[] = {
	{ SKB_MARK, SKB_MARK + 4 },
	{ SKB_PRIORITY, SKB_IFINDEX + 4 },        /* priority, ingress_ifindex, ifindex */
	{ SKB_CB, SKB_CB_END },
	{ SKB_TSTAMP, SKB_GSO_SEGS + 4 },         /* tstamp, wire_len, gso_segs */
	{ SKB_GSO_SIZE, SKB_GSO_SIZE + 4 },
	{ SKB_HWTSTAMP, SKB_SIZE },
};

static int check_skb_user(const uint8_t *u, struct nyk_error *err)
{
	size_t at = 0;

	for (size_t i = 0; i < sizeof(skb_user_fields) / sizeof(skb_user_fields[0]); i++) {
		if (!all_zero(u, at, skb_user_fields[i].from))
			return nyk_error_set(err, -EINVAL, "ctx_in: __sk_buff bytes %zu..%u must be zero (only mark, "
					     "priority, ingress_ifindex, ifindex, cb, tstamp, wire_len, gso_segs, "
					     "gso_size and hwtstamp may be set)", at, skb_user_fields[i].from - 1);
		at = skb_user_fields[i].to;
	}
	return 0;
}

/* What eth_type_trans says of a frame: its protocol (network order) and pkt_type on a device with address 0. */
static void eth_type(const uint8_t *frame, size_t len, uint32_t *protocol, uint32_t *pkt_type)
{
	static const uint8_t zero[6], bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	if (memcmp(frame, zero, 6) == 0)
		*pkt_type = PACKET_HOST;
	else if (frame[0] & 1)
		*pkt_type = memcmp(frame, bcast, 6) == 0 ? PACKET_BROADCAST : PACKET_MULTICAST;
	else
		*pkt_type = PACKET_OTHERHOST;
	if (be16(frame + 12) >= ETH_P_802_3_MIN) {
		*protocol = raw16(frame + 12);
	} else {
		/* Novell raw 802.3 (IPX) starts with 0xffff; otherwise 802.2 LLC. */
		unsigned p = len >= RT_ETH_HLEN + 2 && be16(frame + RT_ETH_HLEN) == 0xffff ? ETH_P_802_3 : ETH_P_802_2;
		uint8_t b[2] = { (uint8_t)(p >> 8), (uint8_t)p };
		*protocol = raw16(b);
	}
}

static int build_skb(struct rt_run *run, const struct nyk_test_run *o, struct nyk_error *err)
{
	size_t size = o->data_size_in;
	int l2 = run->model == NYK_MODEL_SKB_L2;
	uint32_t protocol, pkt_type, ifindex;
	uint8_t b[2] = { ETH_P_IP >> 8, ETH_P_IP & 0xff }, b6[2] = { ETH_P_IPV6 >> 8, ETH_P_IPV6 & 0xff };
	const uint8_t *u;
	uint8_t *c;
	int rc;

	if (!o->data_in || size < RT_ETH_HLEN)
		return nyk_error_set(err, -EINVAL, "%s: data_in must hold a packet of at least %d bytes (has %zu)",
				     run->type->d.name, RT_ETH_HLEN, o->data_in ? size : 0);
	if ((rc = take_user_ctx(run, o, SKB_SIZE, err)) || (rc = check_skb_user(run->user, err)))
		return rc;
	u = run->user;
	if ((rc = alloc_buf(run, RT_SKB_HEADROOM + size + RT_SKB_SHINFO, err)) || (rc = alloc_ctx(run, SKB_SIZE, err)))
		return rc;
	c = run->ctx;
	run->mac = run->buf + RT_SKB_HEADROOM;
	memcpy(run->mac, o->data_in, size);
	run->data = l2 ? run->mac : run->mac + RT_ETH_HLEN;
	run->data_end = run->mac + size;
	run->meta = run->data;
	run->lo = run->data;
	run->hi = run->data_end;

	eth_type(run->mac, size, &protocol, &pkt_type);
	put32(c, SKB_LEN, (uint32_t)(run->data_end - run->data));
	put32(c, SKB_PKT_TYPE, pkt_type);
	put32(c, SKB_PROTOCOL, protocol);
	ifindex = get32(u, SKB_IFINDEX);
	put32(c, SKB_IFINDEX, ifindex > LOOPBACK_IFINDEX ? ifindex : LOOPBACK_IFINDEX);
	/* The test run's socket: family and addresses of the IP header (local = source, as the kernel sets them). */
	if (protocol == raw16(b)) {
		put32(c, SKB_FAMILY, AF_INET_);
		if (size >= RT_ETH_HLEN + 20) {
			memcpy(c + SKB_LOCAL_IP4, run->mac + RT_ETH_HLEN + 12, 4);
			memcpy(c + SKB_REMOTE_IP4, run->mac + RT_ETH_HLEN + 16, 4);
		}
	} else if (protocol == raw16(b6)) {
		put32(c, SKB_FAMILY, AF_INET6_);
		if (size >= RT_ETH_HLEN + 40) {
			memcpy(c + SKB_LOCAL_IP6, run->mac + RT_ETH_HLEN + 8, 16);
			memcpy(c + SKB_REMOTE_IP6, run->mac + RT_ETH_HLEN + 24, 16);
		}
	}
	/* What ctx_in may set (convert___skb_to_skb). */
	if (run->user_ctx) {
		uint32_t wire = get32(u, SKB_WIRE_LEN), len = get32(c, SKB_LEN);
		if (wire && (wire < len || wire > GSO_LEGACY_MAX_SIZE))
			return nyk_error_set(err, -EINVAL, "ctx_in: wire_len %u must be 0 or %u..%d", wire, len,
					     GSO_LEGACY_MAX_SIZE);
		if (get32(u, SKB_GSO_SEGS) > GSO_MAX_SEGS)
			return nyk_error_set(err, -EINVAL, "ctx_in: gso_segs %u is more than %d", get32(u, SKB_GSO_SEGS),
					     GSO_MAX_SEGS);
		run->wire_len = wire ? wire : len;
		memcpy(c + SKB_MARK, u + SKB_MARK, 4);
		memcpy(c + SKB_PRIORITY, u + SKB_PRIORITY, 8);   /* priority, ingress_ifindex */
		memcpy(c + SKB_CB, u + SKB_CB, SKB_CB_END - SKB_CB);
		memcpy(c + SKB_TSTAMP, u + SKB_TSTAMP, 8);
		put32(c, SKB_WIRE_LEN, run->wire_len);
		memcpy(c + SKB_GSO_SEGS, u + SKB_GSO_SEGS, 4);
		memcpy(c + SKB_GSO_SIZE, u + SKB_GSO_SIZE, 4);
		memcpy(c + SKB_HWTSTAMP, u + SKB_HWTSTAMP, 8);
	}
	rt_sync_slots(run);
	return 0;
}

static void finish_skb(struct rt_run *run, uint8_t *ctx_out)
{
	const uint8_t *c = run->ctx;

	/* convert_skb_to___skb: these fields, the rest zero. */
	memset(ctx_out, 0, SKB_SIZE);
	memcpy(ctx_out + SKB_MARK, c + SKB_MARK, 4);
	memcpy(ctx_out + SKB_PRIORITY, c + SKB_PRIORITY, 4);
	memcpy(ctx_out + SKB_INGRESS_IFINDEX, run->user + SKB_INGRESS_IFINDEX, 4);
	memcpy(ctx_out + SKB_IFINDEX, c + SKB_IFINDEX, 4);
	memcpy(ctx_out + SKB_TSTAMP, c + SKB_TSTAMP, 8);
	memcpy(ctx_out + SKB_CB, c + SKB_CB, SKB_CB_END - SKB_CB);
	put32(ctx_out, SKB_WIRE_LEN, run->wire_len);
	memcpy(ctx_out + SKB_GSO_SEGS, run->user + SKB_GSO_SEGS, 4);
	memcpy(ctx_out + SKB_HWTSTAMP, run->user + SKB_HWTSTAMP, 8);
}

/* ---- an embedder's packet context ------------------------------------------------------------ */

static int build_packet(struct rt_run *run, const struct nyk_test_run *o, struct nyk_error *err)
{
	size_t size = o->data_size_in, visible = run->type->d.ctx_size;
	int rc;

	if (!o->data_in && size)
		return nyk_error_set(err, -EINVAL, "%zu bytes of data but no data_in", size);
	if ((rc = take_user_ctx(run, o, visible, err)) || (rc = alloc_buf(run, size ? size : 1, err)) ||
	    (rc = alloc_ctx(run, visible, err)))
		return rc;
	memcpy(run->ctx, run->user, visible);
	for (size_t i = 0; i < run->type->d.nfields; i++) {
		const struct nyk_ctx_field *f = &run->type->d.fields[i];
		if (f->kind != NYK_CTX_SCALAR)
			memset(run->ctx + f->offset, 0, f->size);
	}
	if (size)
		memcpy(run->buf, o->data_in, size);
	run->meta = run->data = run->lo = run->buf;
	run->data_end = run->hi = run->buf + size;
	rt_sync_slots(run);
	return 0;
}

/* ---- entry points ----------------------------------------------------------------------------- */

int rt_ctx_build(struct rt_run *run, const struct nyk_test_run *o, struct nyk_error *err)
{
	switch (run->model) {
	case NYK_MODEL_XDP:
		return build_xdp(run, o, err);
	case NYK_MODEL_SKB_L2:
	case NYK_MODEL_SKB_L3:
		return build_skb(run, o, err);
	case NYK_MODEL_PACKET:
		return build_packet(run, o, err);
	default:
		return build_bytes(run, o, err);
	}
}

/* Copy `len` bytes out as bpf_test_finish does: truncated to the room given, -ENOSPC when it was too small. */
static int copy_out(void *dst, size_t *size, const void *src, size_t len, const char *what, struct nyk_error *err)
{
	size_t room = *size;

	*size = len;
	if (!dst)
		return 0;
	memcpy(dst, src, len < room ? len : room);
	if (len > room)
		return nyk_error_set(err, -ENOSPC, "%s needs %zu bytes, has room for %zu", what, len, room);
	return 0;
}

int rt_ctx_finish(struct rt_run *run, struct nyk_test_run *o, struct nyk_error *err)
{
	uint8_t out_ctx[SKB_SIZE > XDP_SIZE ? SKB_SIZE : XDP_SIZE];
	int rc = 0, rc2 = 0;

	switch (run->model) {
	case NYK_MODEL_XDP:
		rc = copy_out(o->data_out, &o->data_size_out, run->meta, (size_t)(run->data_end - run->meta), "data_out",
			      err);
		if (run->user_ctx && o->ctx_out) {
			finish_xdp(run, out_ctx);
			rc2 = copy_out(o->ctx_out, &o->ctx_size_out, out_ctx, XDP_SIZE, "ctx_out", err);
		}
		break;
	case NYK_MODEL_SKB_L2:
	case NYK_MODEL_SKB_L3:
		{
			/* L3 runs give the frame back with its Ethernet header zeroed (the kernel pushes it anew). */
			int l3 = run->model == NYK_MODEL_SKB_L3;
			uint8_t *start = l3 ? run->data - RT_ETH_HLEN : run->data;
			if (l3)
				memset(start, 0, RT_ETH_HLEN);
			rc = copy_out(o->data_out, &o->data_size_out, start, (size_t)(run->data_end - start), "data_out",
				      err);
		}
		if (run->user_ctx && o->ctx_out) {
			finish_skb(run, out_ctx);
			rc2 = copy_out(o->ctx_out, &o->ctx_size_out, out_ctx, SKB_SIZE, "ctx_out", err);
		}
		break;
	case NYK_MODEL_PACKET:
		rc = copy_out(o->data_out, &o->data_size_out, run->data, (size_t)(run->data_end - run->data), "data_out",
			      err);
		if (o->ctx_out)
			rc2 = copy_out(o->ctx_out, &o->ctx_size_out, run->ctx, run->ctx_visible, "ctx_out", err);
		break;
	default:
		if (run->bytes_from_data) {
			rc = copy_out(o->data_out, &o->data_size_out, run->ctx, run->ctx_visible, "data_out", err);
		} else {
			o->data_size_out = 0;
			if (o->ctx_out)
				rc2 = copy_out(o->ctx_out, &o->ctx_size_out, run->ctx, run->ctx_visible, "ctx_out", err);
		}
		break;
	}
	return rc ? rc : rc2;
}

void rt_ctx_free(struct rt_run *run)
{
	free(run->ctx);
	free(run->buf);
	free(run->user);
	run->ctx = run->buf = run->user = NULL;
}
