/*
 * helpers.c - which helpers nyuki has in user space (one table, id to
 * function), and registering them on a vm for a program type.
 */
#include <errno.h>
#include <stddef.h>

#include "helpers/helpers_internal.h"
#include "progtypes/progtype_internal.h"

static const struct {
	uint32_t id;
	nyk_helper_fn fn;
} impls[] = {
	{ 1, helper_map_lookup_elem },
	{ 2, helper_map_update_elem },
	{ 3, helper_map_delete_elem },
	{ 4, helper_probe_read },
	{ 5, helper_ktime_get_ns },
	{ 6, helper_trace_printk },
	{ 7, helper_get_prandom_u32 },
	{ 8, helper_get_smp_processor_id },
	{ 9, helper_skb_store_bytes },
	{ 10, helper_l3_csum_replace },
	{ 11, helper_l4_csum_replace },
	{ 12, helper_tail_call },
	{ 14, helper_get_current_pid_tgid },
	{ 15, helper_get_current_uid_gid },
	{ 16, helper_get_current_comm },
	{ 23, helper_redirect },
	{ 25, helper_perf_event_output },
	{ 26, helper_skb_load_bytes },
	{ 28, helper_csum_diff },
	{ 39, helper_skb_pull_data },
	{ 40, helper_csum_update },
	{ 42, helper_get_numa_node_id },
	{ 44, helper_xdp_adjust_head },
	{ 45, helper_probe_read_str },
	{ 54, helper_xdp_adjust_meta },
	{ 65, helper_xdp_adjust_tail },
	{ 68, helper_skb_load_bytes_relative },
	{ 87, helper_map_push_elem },
	{ 88, helper_map_pop_elem },
	{ 89, helper_map_peek_elem },
	{ 93, helper_spin_lock },
	{ 94, helper_spin_unlock },
	{ 105, helper_strtol },
	{ 106, helper_strtoul },
	{ 112, helper_probe_read_user },
	{ 113, helper_probe_read_kernel },
	{ 114, helper_probe_read_user_str },
	{ 115, helper_probe_read_kernel_str },
	{ 118, helper_jiffies64 },
	{ 125, helper_ktime_get_boot_ns },
	{ 130, helper_ringbuf_output },
	{ 131, helper_ringbuf_reserve },
	{ 132, helper_ringbuf_submit },
	{ 133, helper_ringbuf_discard },
	{ 134, helper_ringbuf_query },
	{ 160, helper_ktime_get_coarse_ns },
	{ 164, helper_for_each_map_elem },
	{ 165, helper_snprintf },
	{ 177, helper_trace_vprintk },
	{ 181, helper_loop },
	{ 182, helper_strncmp },
	{ 188, helper_xdp_get_buff_len },
	{ 189, helper_xdp_load_bytes },
	{ 190, helper_xdp_store_bytes },
	{ 195, helper_map_lookup_percpu_elem },
	{ 208, helper_ktime_get_tai_ns },
};

nyk_helper_fn nyk_helper_fn_of(uint32_t id)
{
	for (size_t i = 0; i < sizeof(impls) / sizeof(impls[0]); i++)
		if (impls[i].id == id)
			return impls[i].fn;
	return NULL;
}

int nyk_helper_available(uint32_t id)
{
	return nyk_helper_fn_of(id) != NULL;
}

const uint32_t *nyk_helpers_base(size_t *count)
{
	size_t n;
	const uint32_t *ids = progtype_base_helpers(&n);

	if (count)
		*count = n;
	return ids;
}

int nyk_helpers_register(struct nyk_vm *vm, const struct nyk_progtype *type, struct nyk_error *err)
{
	const uint32_t *ids;
	size_t n;
	int rc;

	if (!vm)
		return nyk_error_set(err, -EINVAL, "no vm");
	if (type && type->d.helpers) {
		ids = type->d.helpers;
		n = type->d.nhelpers;
	} else {
		ids = progtype_base_helpers(&n);
	}
	for (size_t i = 0; i < n; i++) {
		nyk_helper_fn fn = nyk_helper_fn_of(ids[i]);
		if (fn && (rc = nyk_vm_register_helper(vm, ids[i], nyk_helper_name(ids[i]), fn, err)))
			return rc;
	}
	for (size_t i = 0; type && i < type->d.nextra_helpers; i++) {
		const struct nyk_helper_def *h = &type->d.extra_helpers[i];
		if ((rc = nyk_vm_register_helper(vm, h->id, h->name, h->fn, err)))
			return rc;
	}
	return 0;
}
