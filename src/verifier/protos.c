/*
 * protos.c - nyuki's helper prototypes: what each kernel helper takes and
 * returns, in the verifier's simplified argument types (nyuki/verifier.h).
 *
 * Facts from the kernel's helper definitions (ids: enum bpf_func_id of
 * linux/bpf.h; argument and return types, GPL-only, and which helpers may
 * change the packet: the kernel's bpf_func_proto tables and
 * bpf_helper_changes_pkt_data). Where the kernel's type is finer than ours
 * the entry uses the stricter of our types that is still sound:
 *   - memory the helper both reads and writes (fib_lookup's params,
 *     sysctl_get_name's buffer): NYK_ARG_UNINIT_MEM (writable);
 *   - bpf_snprintf's output buffer, which the kernel lets be NULL:
 *     NYK_ARG_UNINIT_MEM (NULL refused);
 *   - xdp_store_bytes' source: NYK_ARG_MEM (must be initialised);
 *   - map_pop_elem / map_peek_elem write the value into their argument 2:
 *     NYK_ARG_MAP_VALUE (the enum has no "writable map value" type;
 *     transfer_call.c checks that argument as written for these two ids).
 * Helpers whose arguments or results the enum cannot express (sockets,
 * BTF pointers, dynptrs, timers, fixed-size non-8-byte memory, non-null
 * map values, context-or-NULL) have no entry and are refused as unknown.
 *
 * The table is sorted by id; lookups are a binary search.
 */
#include <stddef.h>

#include "verifier/vfy.h"

/* Short names for the table. */
#define ANY NYK_ARG_ANYTHING
#define SCALAR NYK_ARG_SCALAR
#define MAP NYK_ARG_CONST_MAP_PTR
#define KEY NYK_ARG_MAP_KEY
#define VALUE NYK_ARG_MAP_VALUE
#define MEM NYK_ARG_MEM
#define MEM0 NYK_ARG_MEM_OR_NULL
#define OUT NYK_ARG_UNINIT_MEM
#define SIZE NYK_ARG_CONST_SIZE
#define SIZE0 NYK_ARG_CONST_SIZE_OR_ZERO
#define CTX NYK_ARG_CTX
#define FUNC NYK_ARG_FUNC
#define STACK0 NYK_ARG_STACK_OR_NULL
#define ALLOC_SIZE NYK_ARG_CONST_ALLOC_SIZE
#define ALLOC_MEM NYK_ARG_ALLOC_MEM
#define LOCK NYK_ARG_SPIN_LOCK
#define STR NYK_ARG_CONST_STR
#define LONG NYK_ARG_PTR_TO_LONG

#define INT NYK_RET_INTEGER
#define VOID NYK_RET_VOID
#define MAP_VALUE0 NYK_RET_MAP_VALUE_OR_NULL
#define ALLOC_MEM0 NYK_RET_ALLOC_MEM_OR_NULL

#define PKT NYK_PROTO_PKT_CHANGED
#define GPL NYK_PROTO_GPL_ONLY

/* id, name without "bpf_", return type, flags, then the arguments. */
#define H(id_, name_, ret_, flags_, ...)                                                        \
	{ .id = (id_), .name = "bpf_" name_, .ret = (ret_), .flags = (flags_), .args = { __VA_ARGS__ } }
/* A helper that runs callback argument cb_ (0-based) with n_ arguments, which returns [lo_, hi_]. */
#define CB(id_, name_, cb_, n_, lo_, hi_, ...)                                                   \
	{ .id = (id_), .name = "bpf_" name_, .ret = INT, .flags = NYK_PROTO_CALLBACK,            \
	  .args = { __VA_ARGS__ }, .cb_arg = (cb_), .cb_nargs = (n_), .cb_ret_min = (lo_), .cb_ret_max = (hi_) }

static const struct nyk_helper_proto protos[] = {
	H(1, "map_lookup_elem", MAP_VALUE0, 0, MAP, KEY),
	H(2, "map_update_elem", INT, 0, MAP, KEY, VALUE, ANY),
	H(3, "map_delete_elem", INT, 0, MAP, KEY),
	H(4, "probe_read", INT, GPL, OUT, SIZE0, ANY),
	H(5, "ktime_get_ns", INT, 0, NYK_ARG_NONE),
	H(6, "trace_printk", INT, GPL, MEM, SIZE),
	H(7, "get_prandom_u32", INT, 0, NYK_ARG_NONE),
	H(8, "get_smp_processor_id", INT, 0, NYK_ARG_NONE),
	H(9, "skb_store_bytes", INT, PKT, CTX, ANY, MEM, SIZE, ANY),
	H(10, "l3_csum_replace", INT, PKT, CTX, ANY, ANY, ANY, ANY),
	H(11, "l4_csum_replace", INT, PKT, CTX, ANY, ANY, ANY, ANY),
	{ .id = 12, .name = "bpf_tail_call", .ret = VOID, .flags = NYK_PROTO_TAIL_CALL, .args = { CTX, MAP, SCALAR } },
	H(13, "clone_redirect", INT, PKT, CTX, ANY, ANY),
	H(14, "get_current_pid_tgid", INT, 0, NYK_ARG_NONE),
	H(15, "get_current_uid_gid", INT, 0, NYK_ARG_NONE),
	H(16, "get_current_comm", INT, 0, OUT, SIZE),
	H(17, "get_cgroup_classid", INT, 0, CTX),
	H(18, "skb_vlan_push", INT, PKT, CTX, ANY, ANY),
	H(19, "skb_vlan_pop", INT, PKT, CTX),
	H(20, "skb_get_tunnel_key", INT, 0, CTX, OUT, SIZE, ANY),
	H(21, "skb_set_tunnel_key", INT, 0, CTX, MEM, SIZE, ANY),
	H(22, "perf_event_read", INT, GPL, MAP, ANY),
	H(23, "redirect", INT, 0, ANY, ANY),
	H(24, "get_route_realm", INT, 0, CTX),
	H(25, "perf_event_output", INT, GPL, CTX, MAP, ANY, MEM, SIZE0),
	H(26, "skb_load_bytes", INT, 0, CTX, ANY, OUT, SIZE),
	H(27, "get_stackid", INT, GPL, CTX, MAP, ANY),
	H(28, "csum_diff", INT, 0, MEM0, SIZE0, MEM0, SIZE0, ANY),
	H(29, "skb_get_tunnel_opt", INT, 0, CTX, OUT, SIZE),
	H(30, "skb_set_tunnel_opt", INT, 0, CTX, MEM, SIZE),
	H(31, "skb_change_proto", INT, PKT, CTX, ANY, ANY),
	H(32, "skb_change_type", INT, 0, CTX, ANY),
	H(33, "skb_under_cgroup", INT, 0, CTX, MAP, ANY),
	H(34, "get_hash_recalc", INT, 0, CTX),
	H(35, "get_current_task", INT, GPL, NYK_ARG_NONE),
	H(36, "probe_write_user", INT, GPL, ANY, MEM, SIZE),
	H(37, "current_task_under_cgroup", INT, 0, MAP, ANY),
	H(38, "skb_change_tail", INT, PKT, CTX, ANY, ANY),
	H(39, "skb_pull_data", INT, PKT, CTX, ANY),
	H(40, "csum_update", INT, 0, CTX, ANY),
	H(41, "set_hash_invalid", VOID, 0, CTX),
	H(42, "get_numa_node_id", INT, 0, NYK_ARG_NONE),
	H(43, "skb_change_head", INT, PKT, CTX, ANY, ANY),
	H(44, "xdp_adjust_head", INT, PKT, CTX, ANY),
	H(45, "probe_read_str", INT, GPL, OUT, SIZE0, ANY),
	H(46, "get_socket_cookie", INT, 0, CTX),
	H(47, "get_socket_uid", INT, 0, CTX),
	H(48, "set_hash", INT, 0, CTX, ANY),
	H(49, "setsockopt", INT, 0, CTX, ANY, ANY, MEM, SIZE),
	H(50, "skb_adjust_room", INT, PKT, CTX, ANY, ANY, ANY),
	H(51, "redirect_map", INT, 0, MAP, ANY, ANY),
	H(52, "sk_redirect_map", INT, 0, CTX, MAP, ANY, ANY),
	H(53, "sock_map_update", INT, 0, CTX, MAP, KEY, ANY),
	H(54, "xdp_adjust_meta", INT, PKT, CTX, ANY),
	H(55, "perf_event_read_value", INT, GPL, MAP, ANY, OUT, SIZE),
	H(56, "perf_prog_read_value", INT, GPL, CTX, OUT, SIZE),
	H(57, "getsockopt", INT, 0, CTX, ANY, ANY, OUT, SIZE),
	H(58, "override_return", INT, GPL, CTX, ANY),
	H(59, "sock_ops_cb_flags_set", INT, 0, CTX, ANY),
	H(60, "msg_redirect_map", INT, 0, CTX, MAP, ANY, ANY),
	H(61, "msg_apply_bytes", INT, 0, CTX, ANY),
	H(62, "msg_cork_bytes", INT, 0, CTX, ANY),
	H(63, "msg_pull_data", INT, PKT, CTX, ANY, ANY, ANY),
	H(64, "bind", INT, 0, CTX, MEM, SIZE),
	H(65, "xdp_adjust_tail", INT, PKT, CTX, ANY),
	H(66, "skb_get_xfrm_state", INT, 0, CTX, ANY, OUT, SIZE, ANY),
	H(67, "get_stack", INT, GPL, CTX, OUT, SIZE0, ANY),
	H(68, "skb_load_bytes_relative", INT, 0, CTX, ANY, OUT, SIZE, ANY),
	H(69, "fib_lookup", INT, GPL, CTX, OUT, SIZE, ANY),
	H(70, "sock_hash_update", INT, 0, CTX, MAP, KEY, ANY),
	H(71, "msg_redirect_hash", INT, 0, CTX, MAP, KEY, ANY),
	H(72, "sk_redirect_hash", INT, 0, CTX, MAP, KEY, ANY),
	H(73, "lwt_push_encap", INT, PKT, CTX, ANY, MEM, SIZE),
	H(74, "lwt_seg6_store_bytes", INT, PKT, CTX, ANY, MEM, SIZE),
	H(75, "lwt_seg6_adjust_srh", INT, PKT, CTX, ANY, ANY),
	H(76, "lwt_seg6_action", INT, PKT, CTX, ANY, MEM, SIZE),
	H(77, "rc_repeat", INT, GPL, CTX),
	H(78, "rc_keydown", INT, GPL, CTX, ANY, ANY, ANY),
	H(79, "skb_cgroup_id", INT, 0, CTX),
	H(80, "get_current_cgroup_id", INT, 0, NYK_ARG_NONE),
	H(82, "sk_select_reuseport", INT, 0, CTX, MAP, KEY, ANY),
	H(83, "skb_ancestor_cgroup_id", INT, 0, CTX, ANY),
	H(87, "map_push_elem", INT, 0, MAP, VALUE, ANY),
	H(88, "map_pop_elem", INT, 0, MAP, VALUE),
	H(89, "map_peek_elem", INT, 0, MAP, VALUE),
	H(90, "msg_push_data", INT, PKT, CTX, ANY, ANY, ANY),
	H(91, "msg_pop_data", INT, PKT, CTX, ANY, ANY, ANY),
	H(92, "rc_pointer_rel", INT, GPL, CTX, ANY, ANY),
	H(93, "spin_lock", VOID, 0, LOCK),
	H(94, "spin_unlock", VOID, 0, LOCK),
	H(97, "skb_ecn_set_ce", INT, 0, CTX),
	H(101, "sysctl_get_name", INT, 0, CTX, OUT, SIZE, ANY),
	H(102, "sysctl_get_current_value", INT, 0, CTX, OUT, SIZE),
	H(103, "sysctl_get_new_value", INT, 0, CTX, OUT, SIZE),
	H(104, "sysctl_set_new_value", INT, 0, CTX, MEM, SIZE),
	H(105, "strtol", INT, 0, MEM, SIZE, ANY, LONG),
	H(106, "strtoul", INT, 0, MEM, SIZE, ANY, LONG),
	H(109, "send_signal", INT, 0, ANY),
	H(112, "probe_read_user", INT, GPL, OUT, SIZE0, ANY),
	H(113, "probe_read_kernel", INT, GPL, OUT, SIZE0, ANY),
	H(114, "probe_read_user_str", INT, GPL, OUT, SIZE0, ANY),
	H(115, "probe_read_kernel_str", INT, GPL, OUT, SIZE0, ANY),
	H(117, "send_signal_thread", INT, 0, ANY),
	H(118, "jiffies64", INT, 0, NYK_ARG_NONE),
	H(120, "get_ns_current_pid_tgid", INT, 0, ANY, ANY, OUT, SIZE),
	H(123, "get_current_ancestor_cgroup_id", INT, 0, ANY),
	H(125, "ktime_get_boot_ns", INT, 0, NYK_ARG_NONE),
	H(130, "ringbuf_output", INT, 0, MAP, MEM, SIZE0, ANY),
	H(131, "ringbuf_reserve", ALLOC_MEM0, 0, MAP, ALLOC_SIZE, ANY),
	H(132, "ringbuf_submit", VOID, 0, ALLOC_MEM, ANY),
	H(133, "ringbuf_discard", VOID, 0, ALLOC_MEM, ANY),
	H(134, "ringbuf_query", INT, 0, MAP, ANY),
	H(135, "csum_level", INT, 0, CTX, ANY),
	H(143, "store_hdr_opt", INT, PKT, CTX, MEM, SIZE, ANY),
	H(144, "reserve_hdr_opt", INT, 0, CTX, ANY, ANY),
	H(148, "copy_from_user", INT, 0, OUT, SIZE0, ANY),
	H(151, "skb_cgroup_classid", INT, 0, CTX),
	H(152, "redirect_neigh", INT, 0, ANY, MEM0, SIZE0, ANY),
	H(155, "redirect_peer", INT, 0, ANY, ANY),
	H(160, "ktime_get_coarse_ns", INT, 0, NYK_ARG_NONE),
	/* callback(map, key, value, ctx) per element; 0 goes on, 1 stops */
	CB(164, "for_each_map_elem", 1, 4, 0, 1, MAP, FUNC, STACK0, ANY),
	H(165, "snprintf", INT, GPL, OUT, SIZE0, STR, MEM0, SIZE0),
	H(166, "sys_bpf", INT, 0, ANY, MEM, SIZE),
	H(167, "btf_find_by_name_kind", INT, 0, MEM, SIZE, ANY, ANY),
	H(168, "sys_close", INT, 0, ANY),
	H(173, "get_func_ip", INT, GPL, CTX),
	H(174, "get_attach_cookie", INT, 0, CTX),
	H(176, "get_branch_snapshot", INT, GPL, OUT, SIZE0, ANY),
	H(177, "trace_vprintk", INT, GPL, MEM, SIZE, MEM0, SIZE0),
	H(179, "kallsyms_lookup_name", INT, 0, MEM, SIZE0, ANY, LONG),
	/* callback(index, ctx) nr_loops times; 0 goes on, 1 stops */
	CB(181, "loop", 1, 2, 0, 1, SCALAR, FUNC, STACK0, ANY),
	H(182, "strncmp", INT, 0, MEM, SIZE, STR),
	H(183, "get_func_arg", INT, 0, CTX, ANY, LONG),
	H(184, "get_func_ret", INT, 0, CTX, LONG),
	H(185, "get_func_arg_cnt", INT, 0, CTX),
	H(186, "get_retval", INT, 0, NYK_ARG_NONE),
	H(187, "set_retval", INT, 0, ANY),
	H(188, "xdp_get_buff_len", INT, 0, CTX),
	H(189, "xdp_load_bytes", INT, 0, CTX, ANY, OUT, SIZE),
	H(190, "xdp_store_bytes", INT, 0, CTX, ANY, MEM, SIZE),
	H(192, "skb_set_tstamp", INT, 0, CTX, ANY, ANY),
	H(195, "map_lookup_percpu_elem", MAP_VALUE0, 0, MAP, KEY, ANY),
	H(208, "ktime_get_tai_ns", INT, 0, NYK_ARG_NONE),
};

const struct nyk_helper_proto *nyk_helper_proto(uint32_t id)
{
	size_t lo = 0, hi = sizeof(protos) / sizeof(protos[0]);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (protos[mid].id == id)
			return &protos[mid];
		if (protos[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
