/*
 * progtype_internal.h - program types inside the library.
 *
 *   types.c        the built-in descriptors (data only)
 *   progtype.c     lookup by name and section, registration, the field table
 *   ctx_rewrite.c  the dataflow that finds context accesses and rewrites them
 *   test_run.c     nyk_program_test_run: a vm per program, runs, tail calls
 *   ctx_build.c    building the runtime context of each run model
 *
 * Internal functions of this module start with progtype_ (types and
 * contexts) or rt_ (the runtime: runs of object programs, runtime.h).
 */
#ifndef NYUKI_PROGTYPE_INTERNAL_H
#define NYUKI_PROGTYPE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "nyuki/progtype.h"

/* A type is its descriptor; the handle and the descriptor have one address. */
struct nyk_progtype {
	struct nyk_progtype_desc d;
};

extern const struct nyk_progtype progtype_builtin[];
extern const size_t progtype_nbuiltin;

/* The helper ids of the base set (types with helpers == NULL). */
const uint32_t *progtype_base_helpers(size_t *count);

/* Whether the type's context is bytes sized by the run. */
static inline int progtype_ctx_bytes(const struct nyk_progtype *t)
{
	return (t->d.flags & NYK_PT_CTX_BYTES) != 0;
}

/* Bytes of the struct the program sees rounded up to 8: where the pointer slots start. */
static inline size_t progtype_slots_base(size_t visible)
{
	return (visible + 7) & ~(size_t)7;
}

/* Number of pointer fields (slots) of the type. */
size_t progtype_nslots(const struct nyk_progtype *t);
/* Slot offset of the first field of `kind` in the runtime context, or -1. */
long progtype_slot_of_kind(const struct nyk_progtype *t, unsigned kind);

/*
 * Check one access of `size` bytes at context offset `off` (a load, or a
 * store when `store`). Returns the field, or NULL with a message in `why`.
 */
const struct nyk_ctx_field *progtype_check_access(const struct nyk_progtype *t, int64_t off, unsigned size,
						  int store, char *why, size_t why_size);

#endif
