/*
 * types.c - the built-in program types, as data: context fields, section
 * names, helpers, return values. Offsets and sizes are those of the
 * kernel's UAPI (linux/bpf.h); which fields each type may read and write
 * follows the kernel's is_valid_access rules (net/core/filter.c,
 * kernel/trace/bpf_trace.c) for privileged programs.
 */
#include <stdint.h>

#include "progtypes/progtype_internal.h"

/* ---- helper sets ------------------------------------------------------------ */

/*
 * The kernel's base set (bpf_base_func_proto for a privileged loader), plus
 * strtol/strtoul; which of them user space has is nyk_helper_available().
 */
#define H_BASE                                                                                        \
	1, 2, 3, 5, 6, 7, 8, 12, 35, 42, 87, 88, 89, 93, 94, 105, 106, 112, 113, 114, 115, 118, 125,  \
		130, 131, 132, 133, 134, 149, 153, 154, 158, 160, 164, 165, 169, 170, 171, 172, 177,  \
		181, 182, 194, 195, 197, 198, 199, 200, 201, 202, 203, 208, 209, 210, 211
/* Tracing: probe_read, the current task, perf output, stacks. */
#define H_TRACE 4, 14, 15, 16, 25, 27, 45, 67
/* Packet helpers every __sk_buff type has. */
#define H_SKB_READ 25, 26, 68
/* tc and lwt_xmit: writing the packet and its checksums. */
#define H_SKB_WRITE 9, 10, 11, 23, 28, 39, 40, 51
#define H_XDP 23, 25, 28, 44, 51, 54, 65, 69, 188, 189, 190

static const uint32_t helpers_base[] = { H_BASE };
static const uint32_t helpers_trace[] = { H_BASE, H_TRACE };
static const uint32_t helpers_xdp[] = { H_BASE, H_XDP };
static const uint32_t helpers_tc[] = { H_BASE, H_SKB_READ, H_SKB_WRITE };
static const uint32_t helpers_sk_filter[] = { H_BASE, H_SKB_READ };
static const uint32_t helpers_cg_skb[] = { H_BASE, H_SKB_READ, 14, 15 };

#define N(a) (sizeof(a) / sizeof((a)[0]))

const uint32_t *progtype_base_helpers(size_t *count)
{
	*count = N(helpers_base);
	return helpers_base;
}

/* ---- struct xdp_md ---------------------------------------------------------- */

#define R NYK_CTX_READ
#define W NYK_CTX_WRITE
#define NR NYK_CTX_NARROW

static const struct nyk_ctx_field xdp_fields[] = {
	{ "data", 0, 4, 4, NYK_CTX_PKT, R },
	{ "data_end", 4, 4, 4, NYK_CTX_PKT_END, R },
	{ "data_meta", 8, 4, 4, NYK_CTX_PKT_META, R },
	{ "ingress_ifindex", 12, 4, 4, NYK_CTX_SCALAR, R },
	{ "rx_queue_index", 16, 4, 4, NYK_CTX_SCALAR, R },
	{ "egress_ifindex", 20, 4, 4, NYK_CTX_SCALAR, 0 },   /* devmap programs only */
};

/* Programs a devmap runs on transmit (xdp/devmap) also see the egress interface. */
static const struct nyk_ctx_field xdp_devmap_fields[] = {
	{ "data", 0, 4, 4, NYK_CTX_PKT, R },
	{ "data_end", 4, 4, 4, NYK_CTX_PKT_END, R },
	{ "data_meta", 8, 4, 4, NYK_CTX_PKT_META, R },
	{ "ingress_ifindex", 12, 4, 4, NYK_CTX_SCALAR, R },
	{ "rx_queue_index", 16, 4, 4, NYK_CTX_SCALAR, R },
	{ "egress_ifindex", 20, 4, 4, NYK_CTX_SCALAR, R },
};

/* ---- struct __sk_buff, per type ---------------------------------------------- */

/*
 * One row per field of struct __sk_buff; `acc` gives each type's access
 * as a macro argument, so the four tables below differ only where the
 * kernel's rules do.
 */
#define SKB_FIELDS(CLS, META, FAM, TS, WIRE, HWTS, MARK_W, PRIO_W, TCI_W, QM_W, TS_W)             \
	{ "len", 0, 4, 4, NYK_CTX_SCALAR, R | NR },                                               \
	{ "pkt_type", 4, 4, 4, NYK_CTX_SCALAR, R | NR },                                          \
	{ "mark", 8, 4, 4, NYK_CTX_SCALAR, R | NR | (MARK_W) },                                   \
	{ "queue_mapping", 12, 4, 4, NYK_CTX_SCALAR, R | NR | (QM_W) },                           \
	{ "protocol", 16, 4, 4, NYK_CTX_SCALAR, R | NR },                                         \
	{ "vlan_present", 20, 4, 4, NYK_CTX_SCALAR, R | NR },                                     \
	{ "vlan_tci", 24, 4, 4, NYK_CTX_SCALAR, R | NR },                                         \
	{ "vlan_proto", 28, 4, 4, NYK_CTX_SCALAR, R | NR },                                       \
	{ "priority", 32, 4, 4, NYK_CTX_SCALAR, R | NR | (PRIO_W) },                              \
	{ "ingress_ifindex", 36, 4, 4, NYK_CTX_SCALAR, R | NR },                                  \
	{ "ifindex", 40, 4, 4, NYK_CTX_SCALAR, R | NR },                                          \
	{ "tc_index", 44, 4, 4, NYK_CTX_SCALAR, R | NR | (TCI_W) },                               \
	{ "cb", 48, 20, 4, NYK_CTX_SCALAR, R | W | NR | NYK_CTX_WIDE },                           \
	{ "hash", 68, 4, 4, NYK_CTX_SCALAR, R | NR },                                             \
	{ "tc_classid", 72, 4, 4, NYK_CTX_SCALAR, (CLS) },                                        \
	{ "data", 76, 4, 4, NYK_CTX_PKT, (META) ? R : 0 },                                        \
	{ "data_end", 80, 4, 4, NYK_CTX_PKT_END, (META) ? R : 0 },                                \
	{ "napi_id", 84, 4, 4, NYK_CTX_SCALAR, R | NR },                                          \
	{ "family", 88, 4, 4, NYK_CTX_SCALAR, (FAM) ? R | NR : 0 },                               \
	{ "remote_ip4", 92, 4, 4, NYK_CTX_SCALAR, (FAM) ? R : 0 },                                \
	{ "local_ip4", 96, 4, 4, NYK_CTX_SCALAR, (FAM) ? R : 0 },                                 \
	{ "remote_ip6", 100, 16, 4, NYK_CTX_SCALAR, (FAM) ? R : 0 },                              \
	{ "local_ip6", 116, 16, 4, NYK_CTX_SCALAR, (FAM) ? R : 0 },                               \
	{ "remote_port", 132, 4, 4, NYK_CTX_SCALAR, (FAM) ? R | NR : 0 },                         \
	{ "local_port", 136, 4, 4, NYK_CTX_SCALAR, (FAM) ? R | NR : 0 },                          \
	{ "data_meta", 140, 4, 4, NYK_CTX_PKT_META, (META) == 2 ? R : 0 },                        \
	{ "tstamp", 152, 8, 8, NYK_CTX_SCALAR, (TS) ? R | (TS_W) : 0 },                           \
	{ "wire_len", 160, 4, 4, NYK_CTX_SCALAR, (WIRE) ? R | NR : 0 },                           \
	{ "gso_segs", 164, 4, 4, NYK_CTX_SCALAR, R | NR },                                        \
	{ "sk", 168, 8, 8, NYK_CTX_SCALAR, R },                                                   \
	{ "gso_size", 176, 4, 4, NYK_CTX_SCALAR, R | NR },                                        \
	{ "tstamp_type", 180, 1, 1, NYK_CTX_SCALAR, (TS) ? R : 0 },                               \
	{ "hwtstamp", 184, 8, 8, NYK_CTX_SCALAR, (HWTS) ? R : 0 }

/* tc: all of it but the socket fields; data_meta too. */
static const struct nyk_ctx_field tc_fields[] = {
	SKB_FIELDS(R | W | NR, 2, 0, 1, 1, 1, W, W, W, W, W),
};
/* socket filter: no packet pointers, no socket fields, no timestamps; writes to cb only. */
static const struct nyk_ctx_field sk_filter_fields[] = {
	SKB_FIELDS(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
};
/* cgroup_skb: data and data_end, socket fields; writes to mark, priority, cb, tstamp. */
static const struct nyk_ctx_field cg_skb_fields[] = {
	SKB_FIELDS(0, 1, 1, 1, 0, 1, W, W, 0, 0, W),
};

#undef R
#undef W
#undef NR

/* ---- section names, as libbpf's table has them --------------------------------- */

static const char *const sec_socket[] = { "socket", NULL };
static const char *const sec_kprobe[] = { "kprobe+", "kretprobe+", "ksyscall+", "kretsyscall+", "uprobe+",
					  "uprobe.s+", "uretprobe+", "uretprobe.s+", "usdt+", "kprobe.multi+",
					  "kretprobe.multi+", "kprobe.session+", "uprobe.multi+",
					  "uprobe.multi.s+", "uretprobe.multi+", "uretprobe.multi.s+",
					  "uprobe.session+", "uprobe.session.s+", NULL };
static const char *const sec_sched_cls[] = { "tc/ingress", "tc/egress", "tcx/ingress", "tcx/egress",
					     "netkit/primary", "netkit/peer", "tc", "classifier", NULL };
static const char *const sec_sched_act[] = { "action", NULL };
static const char *const sec_tracepoint[] = { "tracepoint+", "tp+", NULL };
static const char *const sec_xdp[] = { "xdp.frags/cpumap", "xdp/cpumap", "xdp.frags", "xdp", NULL };
static const char *const sec_xdp_devmap[] = { "xdp.frags/devmap", "xdp/devmap", NULL };
static const char *const sec_perf_event[] = { "perf_event", NULL };
static const char *const sec_cgroup_skb[] = { "cgroup_skb/ingress", "cgroup_skb/egress", "cgroup/skb", NULL };
static const char *const sec_raw_tp[] = { "raw_tracepoint+", "raw_tp+", NULL };
static const char *const sec_raw_tp_w[] = { "raw_tracepoint.w+", "raw_tp.w+", NULL };
static const char *const sec_tracing[] = { "tp_btf+", "fentry+", "fmod_ret+", "fexit+", "fentry.s+",
					   "fmod_ret.s+", "fexit.s+", "iter+", "iter.s+", NULL };
static const char *const sec_lsm[] = { "lsm+", "lsm.s+", "lsm_cgroup+", NULL };
static const char *const sec_syscall[] = { "syscall", NULL };

static const char *const alias_socket[] = { "socket", NULL };
static const char *const alias_sched_cls[] = { "tc", "classifier", "tcx", NULL };
static const char *const alias_sched_act[] = { "action", NULL };
static const char *const alias_tracepoint[] = { "tp", NULL };
static const char *const alias_raw_tp[] = { "raw_tp", NULL };
static const char *const alias_tracing[] = { "fentry", "fexit", "fmod_ret", "tp_btf", NULL };
static const char *const alias_memory[] = { "raw", "mem", NULL };

/* ---- the table ------------------------------------------------------------------ */

#define DESC_SIZE sizeof(struct nyk_progtype_desc)
#define ANY_RET INT64_MIN, INT64_MAX

const struct nyk_progtype progtype_builtin[] = {
	{ {
		DESC_SIZE, "socket_filter", 1, sec_socket, alias_socket, "struct __sk_buff", 192, sk_filter_fields,
		N(sk_filter_fields), NYK_PT_LEGACY_PACKET, NYK_MODEL_SKB_L3, helpers_sk_filter, N(helpers_sk_filter),
		NULL, 0, ANY_RET,
	} },
	{ {
		DESC_SIZE, "kprobe", 2, sec_kprobe, NULL, "struct pt_regs", 0, NULL, 0, NYK_PT_CTX_BYTES,
		NYK_MODEL_BYTES, helpers_trace, N(helpers_trace), NULL, 0, ANY_RET,
	} },
	{ {
		DESC_SIZE, "sched_cls", 3, sec_sched_cls, alias_sched_cls, "struct __sk_buff", 192, tc_fields,
		N(tc_fields), NYK_PT_LEGACY_PACKET, NYK_MODEL_SKB_L2, helpers_tc, N(helpers_tc), NULL, 0, ANY_RET,
	} },
	{ {
		DESC_SIZE, "sched_act", 4, sec_sched_act, alias_sched_act, "struct __sk_buff", 192, tc_fields,
		N(tc_fields), NYK_PT_LEGACY_PACKET, NYK_MODEL_SKB_L2, helpers_tc, N(helpers_tc), NULL, 0, ANY_RET,
	} },
	{ {
		DESC_SIZE, "tracepoint", 5, sec_tracepoint, alias_tracepoint, "tracepoint record", 0, NULL, 0,
		NYK_PT_CTX_BYTES, NYK_MODEL_BYTES, helpers_trace, N(helpers_trace), NULL, 0, ANY_RET,
	} },
	{ {
		/*
		 * The kernel does not restrict XDP return values: anything but
		 * XDP_ABORTED .. XDP_REDIRECT acts as XDP_ABORTED at run time.
		 */
		DESC_SIZE, "xdp", 6, sec_xdp, NULL, "struct xdp_md", 24, xdp_fields, N(xdp_fields), 0, NYK_MODEL_XDP,
		helpers_xdp, N(helpers_xdp), NULL, 0, ANY_RET,
	} },
	{ {
		/* The same kernel type, with the devmap attach type: egress_ifindex is readable. */
		DESC_SIZE, "xdp_devmap", 6, sec_xdp_devmap, NULL, "struct xdp_md", 24, xdp_devmap_fields,
		N(xdp_devmap_fields), 0, NYK_MODEL_XDP, helpers_xdp, N(helpers_xdp), NULL, 0, ANY_RET,
	} },
	{ {
		DESC_SIZE, "perf_event", 7, sec_perf_event, NULL, "struct bpf_perf_event_data", 0, NULL, 0,
		NYK_PT_CTX_BYTES, NYK_MODEL_BYTES, helpers_trace, N(helpers_trace), NULL, 0, ANY_RET,
	} },
	{ {
		/* 0 drop, 1 allow (egress: bit 1 asks for congestion notification). */
		DESC_SIZE, "cgroup_skb", 8, sec_cgroup_skb, NULL, "struct __sk_buff", 192, cg_skb_fields,
		N(cg_skb_fields), 0, NYK_MODEL_SKB_L3, helpers_cg_skb, N(helpers_cg_skb), NULL, 0, 0, 3,
	} },
	{ {
		DESC_SIZE, "raw_tracepoint", 17, sec_raw_tp, alias_raw_tp, "struct bpf_raw_tracepoint_args", 0, NULL,
		0, NYK_PT_CTX_BYTES, NYK_MODEL_BYTES, helpers_trace, N(helpers_trace), NULL, 0, ANY_RET,
	} },
	{ {
		DESC_SIZE, "raw_tracepoint_writable", 24, sec_raw_tp_w, NULL, "struct bpf_raw_tracepoint_args", 0,
		NULL, 0, NYK_PT_CTX_BYTES, NYK_MODEL_BYTES, helpers_trace, N(helpers_trace), NULL, 0, ANY_RET,
	} },
	{ {
		DESC_SIZE, "tracing", 26, sec_tracing, alias_tracing, "u64 args[]", 0, NULL, 0, NYK_PT_CTX_BYTES,
		NYK_MODEL_BYTES, helpers_trace, N(helpers_trace), NULL, 0, ANY_RET,
	} },
	{ {
		DESC_SIZE, "lsm", 29, sec_lsm, NULL, "u64 args[]", 0, NULL, 0, NYK_PT_CTX_BYTES, NYK_MODEL_BYTES,
		helpers_trace, N(helpers_trace), NULL, 0, ANY_RET,
	} },
	{ {
		/* The context is bytes from user space, read and written by the program. */
		DESC_SIZE, "syscall", 31, sec_syscall, NULL, "syscall context", 0, NULL, 0,
		NYK_PT_CTX_BYTES | NYK_PT_CTX_WRITABLE, NYK_MODEL_BYTES, helpers_trace, N(helpers_trace), NULL, 0,
		ANY_RET,
	} },
	{ {
		/* nyuki's own: r1 = data_in, r2 = its size, as `nyuki prog run` gives raw programs. */
		DESC_SIZE, "memory", 0, NULL, alias_memory, "memory", 0, NULL, 0,
		NYK_PT_CTX_BYTES | NYK_PT_CTX_WRITABLE, NYK_MODEL_BYTES, NULL, 0, NULL, 0, ANY_RET,
	} },
};

const size_t progtype_nbuiltin = N(progtype_builtin);
