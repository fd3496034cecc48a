/*
 * transfer_internal.h - what the parts of vfy_transfer share:
 *
 *   transfer.c       dispatch, ALU on scalars and pointers, conditional
 *                    jumps (null checks, packet ranges), lddw, exit checks
 *   transfer_mem.c   loads, stores, atomics, legacy packet loads; memory
 *                    regions for helper arguments
 *   transfer_call.c  helper calls against their prototypes
 *
 * Nothing here is used outside these three files.
 */
#ifndef NYUKI_VFY_TRANSFER_INTERNAL_H
#define NYUKI_VFY_TRANSFER_INTERNAL_H

#include "verifier/vfy.h"

/*
 * reg.map with this bit set: the inner map of env->maps[map & ~bit] (a
 * lookup in an array_of_maps / hash_of_maps gives it).
 */
#define VT_MAP_INNER 0x80000000u

/*
 * Copies (mov, spills) share a fresh id so that a branch on one bounds
 * the others, as the kernel links them (find_equal_scalars). 0 turns it
 * off (the corpus passes one test more with it on).
 */
#ifndef VT_LINK_COPIES
#define VT_LINK_COPIES 1
#endif

/* The kernel's MAX_PACKET_OFF: packet offsets beyond it prove nothing. */
#define VT_MAX_PACKET_OFF 0xffff
/* Helper sizes and pointer offsets beyond this are "unbounded" (the kernel's BPF_MAX_VAR_OFF / SIZ). */
#define VT_MAX_VAR (1ll << 29)

/* Bytes of a load or store from the opcode's size bits. */
unsigned vt_size_bytes(uint8_t opcode);

/* Registers with a value: reject an uninitialised one ("r%d is not initialised"). */
int vt_need_init(struct vfy_env *env, size_t pc, const struct vfy_state *st, unsigned regno);
long vt_released_at(const struct vfy_env *env, const struct vfy_reg *r);

/* Register constructors that clear every other field. */
void vt_set_scalar(struct vfy_reg *r, uint32_t pc);
void vt_set_scalar_size(struct vfy_reg *r, unsigned size, bool sign, uint32_t pc);
void vt_set_const(struct vfy_reg *r, uint64_t c, uint32_t pc);
void vt_set_uninit(struct vfy_reg *r);
bool vt_is_zero(const struct vfy_reg *r);
/* A scalar's value changed (or the packet moved): its packet slack and link no longer hold (transfer.c). */
void vt_forget_slack(struct vfy_reg *r);

/* The map a register names (VT_MAP_INNER resolved), or NULL. */
const struct nyk_map_def *vt_map(const struct vfy_env *env, uint32_t map);
const char *vt_map_name(const struct vfy_env *env, uint32_t map, char *buf, size_t size);

/* Kind name of a register for messages ("scalar", "map_value_or_null", ...). */
const char *vt_kind(const struct vfy_reg *r);

/* Every register of the state: the current registers, callers' saved r6..r9, spills of every frame. */
typedef void (*vt_reg_fn)(struct vfy_reg *r, void *arg);
void vt_for_each_reg(struct vfy_state *st, vt_reg_fn fn, void *arg);
/* Spill slots holding an uninitialised register (released memory) become uninitialised bytes. */
void vt_drop_dead_spills(struct vfy_state *st);

/* Live references. */
bool vt_ref_held(const struct vfy_state *st, uint32_t ref);
void vt_ref_drop(struct vfy_state *st, uint32_t ref);

/* Name of the helper called at `pc` (a reference's origin: references are pc + 1 of the call). */
const char *vt_ref_helper_name(const struct vfy_env *env, uint32_t pc);

/* Loads and stores: LDX (MEM, MEMSX), ST, STX (MEM, ATOMIC), LD (ABS, IND). */
int vt_load(struct vfy_env *env, size_t pc, struct vfy_state *st);
int vt_store(struct vfy_env *env, size_t pc, struct vfy_state *st);
int vt_atomic(struct vfy_env *env, size_t pc, struct vfy_state *st);
int vt_legacy_load(struct vfy_env *env, size_t pc, struct vfy_state *st);

/*
 * A helper's memory argument: register `regno` points to memory of which
 * the helper reads (or, `write`, writes) up to `size` bytes. Returns 1
 * when the register is not a pointer to memory (the caller says what it
 * wanted), 0 when fine (writes done: stack bytes initialised), -EACCES
 * after a rejection. `avail`, when not NULL, receives the bytes available
 * from the pointer without checking anything (-1: not memory).
 */
int vt_mem_region(struct vfy_env *env, size_t pc, struct vfy_state *st, unsigned regno, uint64_t size, bool write);
int64_t vt_mem_avail(const struct vfy_env *env, const struct vfy_state *st, const struct vfy_reg *r);
/* Whether direct packet writes are allowed for the program's type. */
bool vt_pkt_writable(const struct vfy_env *env);

/* Helper calls (call src 0; kfuncs refused). */
int vt_call(struct vfy_env *env, size_t pc, struct vfy_state *st);

#endif
