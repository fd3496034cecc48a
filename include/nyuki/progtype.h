/*
 * nyuki/progtype.h - program types: the world a program sees.
 *
 * A program type (xdp, sched_cls, socket_filter, kprobe, ... and types an
 * embedder defines) is a descriptor shared by the loader, the verifier, the
 * interpreter, the JIT and the kernel backend: the context layout and which
 * fields may be read or written, which helpers may be called, and which
 * return values are allowed. Section names map to types as libbpf maps them.
 * Descriptors are data (struct nyk_progtype_desc); nothing here is code
 * that a later stage could not read.
 *
 *   const struct nyk_progtype *t = nyk_progtype_for_section("xdp");
 *   const struct nyk_progtype_desc *d = nyk_progtype_desc(t);   // d->fields ...
 *
 * The context a program runs with in user space (the "runtime context") is
 * the struct the program sees (ctx_size bytes, rounded up to 8) followed by
 * one 64-bit slot per pointer field (NYK_CTX_PKT*), in the order of the
 * field table. A program reads xdp_md.data as a __u32, but a user-space
 * pointer needs 64 bits: nyk_progtype_rewrite_ctx() turns each load of a
 * pointer field into a 64-bit load of its slot. nyk_program_test_run
 * (object.h) builds runtime contexts; an embedder running a program of its
 * own type on its own vm builds one with nyk_progtype_slot_offset().
 */
#ifndef NYUKI_PROGTYPE_H
#define NYUKI_PROGTYPE_H

#include <stddef.h>
#include <stdint.h>

#include "nyuki/error.h"
#include "nyuki/isa.h"
#include "nyuki/vm.h"

#ifdef __cplusplus
extern "C" {
#endif

struct nyk_progtype;

/* What a context field holds. */
enum nyk_ctx_kind {
	NYK_CTX_SCALAR = 0,   /* a value */
	NYK_CTX_PKT,          /* pointer to the first byte of the packet (xdp_md.data, __sk_buff.data) */
	NYK_CTX_PKT_END,      /* pointer just past the packet (data_end) */
	NYK_CTX_PKT_META,     /* pointer to the metadata before the packet (data_meta) */
};

/* Access rights of a field, and its access-size rules. */
enum {
	NYK_CTX_READ = 1u << 0,
	NYK_CTX_WRITE = 1u << 1,
	NYK_CTX_NARROW = 1u << 2,   /* loads of 1 or 2 bytes inside an element (stores stay full size) */
	NYK_CTX_WIDE = 1u << 3,     /* aligned 8-byte accesses across two elements (__sk_buff.cb) */
};

/*
 * One field of the context the program sees. An access is allowed when it
 * lies inside one field, is aligned to its own size, and has the size of
 * an element (or smaller with NYK_CTX_NARROW for loads, or 8 bytes with
 * NYK_CTX_WIDE); bytes no field covers cannot be accessed. Pointer fields
 * are read whole and never written.
 */
struct nyk_ctx_field {
	const char *name;      /* "data", "cb" */
	uint16_t offset;       /* byte offset in the context the program sees */
	uint16_t size;         /* bytes of the whole field (cb[5]: 20) */
	uint8_t elem;          /* bytes of one element (cb: 4; a plain field: its size) */
	uint8_t kind;          /* enum nyk_ctx_kind */
	uint8_t access;        /* NYK_CTX_READ | NYK_CTX_WRITE | NYK_CTX_NARROW | NYK_CTX_WIDE */
};

/* Descriptor flags. */
enum {
	/*
	 * The context is bytes given by the run (kprobe's pt_regs, a
	 * tracepoint's record, raw memory): ctx_size is 0 or a minimum, the
	 * field table may be empty, and any access inside the bytes is allowed.
	 */
	NYK_PT_CTX_BYTES = 1u << 0,
	NYK_PT_CTX_WRITABLE = 1u << 1,    /* with NYK_PT_CTX_BYTES: stores to the context are allowed */
	NYK_PT_LEGACY_PACKET = 1u << 2,   /* LD_ABS/LD_IND read the packet (socket filter, tc) */
};

/* How nyk_program_test_run builds the context from data_in and ctx_in (BPF_PROG_TEST_RUN's rules). */
enum nyk_run_model {
	/* r1 = ctx_in's bytes (or, without ctx_in, data_in's), r2 = their size; written back to ctx_out (data_out). */
	NYK_MODEL_BYTES = 0,
	NYK_MODEL_XDP,        /* xdp_md around data_in with 256 bytes of headroom; data_out from data_meta */
	NYK_MODEL_SKB_L2,     /* __sk_buff whose data starts at the Ethernet header (tc) */
	NYK_MODEL_SKB_L3,     /* __sk_buff whose data starts after it (socket filter, cgroup_skb) */
	/*
	 * An embedder's packet context: ctx_in (up to ctx_size bytes) fills the
	 * scalar fields, the pointer fields point into data_in, data_out gets
	 * the packet.
	 */
	NYK_MODEL_PACKET,
};

/* A helper an embedder's type brings along (registered for its programs). */
struct nyk_helper_def {
	uint32_t id;
	const char *name;
	nyk_helper_fn fn;
};

/*
 * A program type. For nyk_progtype_register: zero-initialise, set `size =
 * sizeof(struct nyk_progtype_desc)`, and keep everything it points to alive
 * until the type is unregistered (static data is the usual choice).
 */
struct nyk_progtype_desc {
	size_t size;                          /* sizeof(struct nyk_progtype_desc) */
	const char *name;                     /* unique: "xdp", "sched_cls", "my_filter" */
	uint32_t kernel_type;                 /* enum bpf_prog_type; 0 for user-space-only types */
	/*
	 * Section names, NULL-terminated, in libbpf's notation: "xdp" matches
	 * exactly, "kprobe+" matches "kprobe" and "kprobe/..." (may be NULL).
	 */
	const char *const *sections;
	const char *const *aliases;           /* other names nyk_progtype_by_name accepts, NULL-terminated (may be NULL) */
	const char *ctx_name;                 /* "struct xdp_md", for messages (may be NULL) */
	uint32_t ctx_size;                    /* bytes of the context the program sees */
	const struct nyk_ctx_field *fields;   /* sorted by offset, not overlapping */
	size_t nfields;
	uint32_t flags;                       /* NYK_PT_* */
	uint32_t run_model;                   /* enum nyk_run_model */
	/* Helper ids programs of the type may call; NULL: the base set (nyk_helpers_base()). */
	const uint32_t *helpers;
	size_t nhelpers;
	const struct nyk_helper_def *extra_helpers;   /* the embedder's own helpers (may be NULL) */
	size_t nextra_helpers;
	int64_t ret_min, ret_max;             /* allowed return values, inclusive (for the verifier) */
};

/* ---- finding types ------------------------------------------------------- */

/*
 * By name ("xdp", "sched_cls", "socket_filter", "kprobe", ...), by alias
 * ("tc", "classifier", "socket", ...), or by a section name; NULL if none.
 */
const struct nyk_progtype *nyk_progtype_by_name(const char *name);
/*
 * The type libbpf gives a section name ("xdp", "tc/ingress",
 * "kprobe/do_sys_open", ...), or NULL. Names older libbpf accepted by
 * prefix ("xdp_prog", "socket1") are matched after the exact rules fail.
 */
const struct nyk_progtype *nyk_progtype_for_section(const char *section);
const char *nyk_progtype_name(const struct nyk_progtype *type);
/* The kernel's enum bpf_prog_type value (BPF_PROG_TYPE_XDP = 6, ...), 0 for user-space-only types. */
uint32_t nyk_progtype_kernel_type(const struct nyk_progtype *type);
const struct nyk_progtype_desc *nyk_progtype_desc(const struct nyk_progtype *type);

/* All known types, built-in first, then registered ones (for listings). */
size_t nyk_progtype_count(void);
const struct nyk_progtype *nyk_progtype_at(size_t i);

/*
 * Register an embedder's type (the descriptor is copied, what it points to
 * is not). -EEXIST when the name is taken, -EINVAL for a malformed
 * descriptor (named in err). Not thread-safe against lookups: register at
 * start-up.
 */
int nyk_progtype_register(const struct nyk_progtype_desc *desc, struct nyk_error *err);
int nyk_progtype_unregister(const char *name);

/* ---- context layout ------------------------------------------------------ */

/* The field at byte `offset` of the context the program sees, or NULL. */
const struct nyk_ctx_field *nyk_progtype_field_at(const struct nyk_progtype *type, uint32_t offset);
/*
 * Bytes of the runtime context for `visible` bytes of program-visible
 * context (the type's ctx_size for struct contexts).
 */
size_t nyk_progtype_runtime_ctx_size(const struct nyk_progtype *type, size_t visible);
/* Offset of the 64-bit slot of pointer field `field` (index into fields) in the runtime context, or -1. */
long nyk_progtype_slot_offset(const struct nyk_progtype *type, size_t field);

/* ---- helpers ------------------------------------------------------------- */

/* Kernel name of helper `id` ("bpf_map_lookup_elem"), or NULL when unknown. */
const char *nyk_helper_name(uint32_t id);
/* Whether programs of the type may call helper `id`. */
int nyk_progtype_helper_allowed(const struct nyk_progtype *type, uint32_t id);

/* ---- preparing a program ------------------------------------------------- */

/*
 * Check the helper calls of a program: every id must be allowed for the
 * type and available in user space (built in or brought by the type),
 * else the error names the instruction, the id and the helper's kernel
 * name ("helper 197 (bpf_dynptr_from_mem) is not available in user space").
 */
int nyk_progtype_check_helpers(const struct nyk_progtype *type, const struct nyk_insn *insns, size_t count,
			       struct nyk_error *err);

/*
 * Check the context accesses of a linked program (subprograms appended,
 * as nyk_object_load leaves it) and rewrite, in place, every load of a
 * pointer field into a 64-bit load of its slot in the runtime context.
 *
 * Which loads read the context is found by a forward dataflow over the
 * program's control flow, following registers and stack slots (at fixed
 * r10 offsets) that hold the context plus a constant, through bpf-to-bpf
 * calls and bpf_loop/bpf_for_each_map_elem callbacks. Refused, naming the
 * instruction: accesses outside the field table, stores to read-only or
 * pointer fields, loads of wrong size, and context accesses through a
 * register that holds the context on some paths and something else (or
 * the context at another offset) on others.
 */
int nyk_progtype_rewrite_ctx(const struct nyk_progtype *type, struct nyk_insn *insns, size_t count,
			     struct nyk_error *err);

#ifdef __cplusplus
}
#endif

#endif
