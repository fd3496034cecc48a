/*
 * core_reads.c - CO-RE: field offsets, sizes, signedness and bit shifts,
 * field/type/enum existence, type sizes and enum values, relocated against
 * a target BTF. The packet is read as a struct record in the *target's*
 * layout; the results land in `out` (.bss).
 *   --btf core_reads.o   the object's own BTF: the local layout
 *   --btf core_target.o  another layout (core_types.h), no `extra` field,
 *                        enum color { RED = 10, GREEN = 20 }
 * `read_missing` reads `extra` without asking whether it exists: against
 * core_target.o that instruction is poisoned and the run must fail.
 */
//! gcc skip gcc-bpf 12 lacks __builtin_preserve_type_info and the preserve_access_index pragma
//! case own-btf
//! prog read_record
//! data 07 00 00 00 00 00 00 00 00 00 03 00 05 00 00 00 ea 09 00 00 00 00 00 00
//! args --btf @core_reads.o
//! retval 1
//! var out = 0700000000000000 0000000000000000 0000000000000000 0000030005000000 0100000000000000 ea09000000000000 0000000000000000 0000000000000000 0600000000000000 1800000000000000 0100000000000000 0200000000000000 0100000000000000
//! case target-layout
//! prog read_record
//! data 07 00 00 00 00 00 00 00 00 00 03 00 05 00 00 00 ea 09 00 00 00 00 00 00
//! args --btf @core_target.o
//! retval 1
//! var out = 0500000000000000 0300000000000000 0900000000000000 0700000000000000 0000000000000000 0000000000000000 0200000000000000 fdffffffffffffff 1100000000000000 1800000000000000 0000000000000000 1400000000000000 0000000000000000
//! case missing-field-is-poisoned
//! prog read_missing
//! data 07 00 00 00 00 00 00 00 00 00 03 00 05 00 00 00 ea 09 00 00 00 00 00 00
//! args --btf @core_target.o
//! error (extra|CO-RE|core|bad2310|195896080)
#include <linux/bpf.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <nyuki/bpf/nyuki_helpers.h>

#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)
#include "core_types.h"
#pragma clang attribute pop

struct results {
	__u64 id, flags, level, value;
	__u64 extra_exists, extra;
	__u64 mode;
	__s64 delta;
	__u64 level_offset, record_size;
	__u64 blue_exists, green, only_local_exists;
} out;

SEC("xdp")
int read_record(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct record *r = data;

	if (data + 24 > data_end)
		return 0;
	out.id = r->id;
	out.flags = r->flags;
	out.level = r->level;
	out.value = r->value;
	if (bpf_core_field_exists(r->extra)) {
		out.extra_exists = 1;
		out.extra = r->extra;
	}
	out.mode = BPF_CORE_READ_BITFIELD(r, mode);
	out.delta = BPF_CORE_READ_BITFIELD(r, delta);
	out.level_offset = bpf_core_field_offset(r->level);
	out.record_size = bpf_core_type_size(struct record);
	out.blue_exists = bpf_core_enum_value_exists(enum color, BLUE);
	out.green = bpf_core_enum_value(enum color, GREEN);
	out.only_local_exists = bpf_core_type_exists(struct only_local);
	return 1;
}

SEC("xdp")
int read_missing(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct record *r = data;

	if (data + 24 > data_end)
		return 0;
	return r->extra;
}

char LICENSE[] SEC("license") = "GPL";
