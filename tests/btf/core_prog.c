/*
 * core_prog.c - CO-RE relocations as clang emits them, one program per
 * section, each reading a struct core_task at r1 (see core_types.h).
 *
 * Built twice: with the local layout (the object under test) and with
 * -DTARGET_LAYOUT (the oracle). tests/btf/core_check relocates both
 * against core_target.o's BTF and runs them on the same bytes: every
 * program must return the same value from both builds. The programs under
 * "#ifndef TARGET_LAYOUT" exercise what the target lacks; run.sh checks
 * their results and messages explicitly. gcc (12) has no CO-RE builtins
 * beyond preserve_access_index: it builds the plain field reads only.
 */
#include "core_helpers.h"

#define CORE_ATTR __attribute__((preserve_access_index))
#include "core_types.h"

/* A flavor: same essential name, only the fields this program needs. */
struct core_task___v2 {
	int pid;
	char comm[16];
} CORE_ATTR;

struct core_missing {
	int x;
} CORE_ATTR;

SEC("core/pid") long pid(struct core_task *t) { return t->pid; }
SEC("core/start") long start(struct core_task *t) { return t->start; }
SEC("core/comm") long comm(struct core_task *t) { return t->comm[3] * 7 + t->comm[15]; }
SEC("core/inner") long inner(struct core_task *t) { return t->inner.b * 3 + t->inner.a; }
SEC("core/small") long small(struct core_task *t) { return t->small; }
SEC("core/ptr") long ptr(struct core_task *t) { return (long)t->ptr; }
SEC("core/state") long state(struct core_task *t) { return t->state; }
SEC("core/arr") long arr(struct core_task *t) { return t->arr[2] + t->arr[3]; }
SEC("core/flex") long flex(struct core_task *t) { return t->tail[1]; }
SEC("core/flavor") long flavor(struct core_task___v2 *t) { return t->pid * 5 + t->comm[1]; }

#ifdef __clang__
/* (gcc 12 crashes on CO-RE accesses into anonymous unions.) */
SEC("core/union") long uni(struct core_task *t) { return t->u64v ^ t->u32v; }

SEC("core/bitfields") long bitfields(struct core_task *t)
{
	return read_bitfield(t, flags) * 1000 + read_bitfield(t, prio) * 10 + (long)read_bitfield(t, level);
}

SEC("core/sizes") long sizes(struct core_task *t)
{
	return field_size(t->comm) + 100 * field_size(t->small) + 10000 * field_size(t->inner) +
	       1000000 * field_offset(t->inner.a);
}

SEC("core/signed") long is_signed(struct core_task *t)
{
	return field_signed(t->pid) + 2 * field_signed(t->small) + 4 * field_signed(t->level);
}

SEC("core/exists") long exists(struct core_task *t)
{
	return field_exists(t->pid) + 2 * field_exists(t->ptr) + 4 * field_exists(t->arr);
}

SEC("core/types") long types(struct core_task *t)
{
	return type_exists(struct core_task) + 2 * type_exists(struct core_inner) + 1000 * type_size(struct core_task) +
	       10 * type_size(struct core_inner);
}

SEC("core/enums") long enums(struct core_task *t)
{
	return enum_value(enum core_state, ST_RUN) * 100 + enum_value(enum core_state, ST_NEW) +
	       1000 * enum_exists(enum core_state, ST_IDLE);
}

#endif /* __clang__ */

#if !defined(TARGET_LAYOUT) && defined(__clang__)
/* The target has no `gone`: guarded, the poisoned load is never reached. */
SEC("miss/guarded") long guarded(struct core_task *t)
{
	if (field_exists(t->gone))
		return t->gone;
	return 4242;
}

/* Unguarded: the poisoned load runs and calls helper 0xbad2310. */
SEC("miss/unguarded") long unguarded(struct core_task *t) { return t->gone; }

/* ST_DEAD is not in the target's enum: exists gives 0, the value poisons. */
SEC("miss/enum") long enum_gone(struct core_task *t)
{
	if (!enum_exists(enum core_state, ST_DEAD))
		return 77;
	return enum_value(enum core_state, ST_DEAD);
}
SEC("miss/enumval") long enumval_gone(struct core_task *t) { return enum_value(enum core_state, ST_DEAD); }

/* A type the target does not have: exists and size give 0. */
SEC("miss/type") long type_gone(struct core_task *t)
{
	return 10 + type_exists(struct core_missing) + type_size(struct core_missing);
}
#endif
