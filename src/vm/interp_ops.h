/*
 * interp_ops.h - the semantics the handlers of the execution loop share:
 * unaligned-safe memory access, byte swaps, division and shifts with the
 * ISA's answers where C has none, atomics, and the checked-mode bounds
 * test. All static inline; included by interp.c before each instantiation
 * of interp_loop.h (and by tests that instantiate the loop themselves).
 */
#ifndef NYUKI_VM_INTERP_OPS_H
#define NYUKI_VM_INTERP_OPS_H

#include <string.h>

#include "vm/vm_internal.h"

/* ---- memory: unaligned-safe, no aliasing assumptions --------------------- */

static inline uint64_t vm_load8(uint64_t a)
{
	return *(const uint8_t *)(uintptr_t)a;
}

static inline uint64_t vm_load16(uint64_t a)
{
	uint16_t v;
	memcpy(&v, (const void *)(uintptr_t)a, sizeof(v));
	return v;
}

static inline uint64_t vm_load32(uint64_t a)
{
	uint32_t v;
	memcpy(&v, (const void *)(uintptr_t)a, sizeof(v));
	return v;
}

static inline uint64_t vm_load64(uint64_t a)
{
	uint64_t v;
	memcpy(&v, (const void *)(uintptr_t)a, sizeof(v));
	return v;
}

static inline void vm_store8(uint64_t a, uint64_t v)
{
	*(uint8_t *)(uintptr_t)a = (uint8_t)v;
}

static inline void vm_store16(uint64_t a, uint64_t v)
{
	uint16_t x = (uint16_t)v;
	memcpy((void *)(uintptr_t)a, &x, sizeof(x));
}

static inline void vm_store32(uint64_t a, uint64_t v)
{
	uint32_t x = (uint32_t)v;
	memcpy((void *)(uintptr_t)a, &x, sizeof(x));
}

static inline void vm_store64(uint64_t a, uint64_t v)
{
	memcpy((void *)(uintptr_t)a, &v, sizeof(v));
}

/* Network (big-endian) order, whatever the host's. */
static inline uint64_t vm_load_be16(uint64_t a)
{
	const uint8_t *p = (const uint8_t *)(uintptr_t)a;
	return (uint64_t)((unsigned)p[0] << 8 | p[1]);
}

static inline uint64_t vm_load_be32(uint64_t a)
{
	const uint8_t *p = (const uint8_t *)(uintptr_t)a;
	return (uint64_t)p[0] << 24 | (uint64_t)p[1] << 16 | (uint64_t)p[2] << 8 | p[3];
}

static inline uint64_t vm_sext8(uint64_t v) { return (uint64_t)(int64_t)(int8_t)(uint8_t)v; }
static inline uint64_t vm_sext16(uint64_t v) { return (uint64_t)(int64_t)(int16_t)(uint16_t)v; }
static inline uint64_t vm_sext32(uint64_t v) { return (uint64_t)(int64_t)(int32_t)(uint32_t)v; }

/* ---- arithmetic with the ISA's answers where C has none ----------------- */

static inline uint16_t vm_bswap16(uint16_t x)
{
	return (uint16_t)((x >> 8) | (x << 8));
}

static inline uint32_t vm_bswap32(uint32_t x)
{
#if defined(__GNUC__) || defined(__clang__)
	return __builtin_bswap32(x);
#else
	return (x >> 24) | ((x >> 8) & 0xff00u) | ((x << 8) & 0xff0000u) | (x << 24);
#endif
}

static inline uint64_t vm_bswap64(uint64_t x)
{
#if defined(__GNUC__) || defined(__clang__)
	return __builtin_bswap64(x);
#else
	return (uint64_t)vm_bswap32((uint32_t)x) << 32 | vm_bswap32((uint32_t)(x >> 32));
#endif
}

/* Division by zero gives 0; modulo by zero leaves the dividend. */
static inline uint64_t vm_div64(uint64_t a, uint64_t b) { return b ? a / b : 0; }
static inline uint32_t vm_div32(uint32_t a, uint32_t b) { return b ? a / b : 0; }
static inline uint64_t vm_mod64(uint64_t a, uint64_t b) { return b ? a % b : a; }
static inline uint32_t vm_mod32(uint32_t a, uint32_t b) { return b ? a % b : a; }

/* Signed, truncating; INT_MIN / -1 = INT_MIN and INT_MIN % -1 = 0. */
static inline uint64_t vm_sdiv64(uint64_t a, uint64_t b)
{
	if (b == 0)
		return 0;
	if (b == UINT64_MAX)
		return 0 - a;
	return (uint64_t)((int64_t)a / (int64_t)b);
}

static inline uint32_t vm_sdiv32(uint32_t a, uint32_t b)
{
	if (b == 0)
		return 0;
	if (b == UINT32_MAX)
		return 0 - a;
	return (uint32_t)((int32_t)a / (int32_t)b);
}

static inline uint64_t vm_smod64(uint64_t a, uint64_t b)
{
	if (b == 0)
		return a;
	if (b == UINT64_MAX)
		return 0;
	return (uint64_t)((int64_t)a % (int64_t)b);
}

static inline uint32_t vm_smod32(uint32_t a, uint32_t b)
{
	if (b == 0)
		return a;
	if (b == UINT32_MAX)
		return 0;
	return (uint32_t)((int32_t)a % (int32_t)b);
}

/* Shift amounts are masked to the operand width. */
static inline uint64_t vm_lsh64(uint64_t a, uint64_t n) { return a << (n & 63); }
static inline uint32_t vm_lsh32(uint32_t a, uint32_t n) { return a << (n & 31); }
static inline uint64_t vm_rsh64(uint64_t a, uint64_t n) { return a >> (n & 63); }
static inline uint32_t vm_rsh32(uint32_t a, uint32_t n) { return a >> (n & 31); }

/*
 * Arithmetic right shift without relying on how C shifts negative values:
 * flip a negative value, shift logically, flip back.
 */
static inline uint64_t vm_arsh64(uint64_t a, uint64_t n)
{
	uint64_t sign = 0 - (a >> 63);
	return ((a ^ sign) >> (n & 63)) ^ sign;
}

static inline uint32_t vm_arsh32(uint32_t a, uint32_t n)
{
	uint32_t sign = 0 - (a >> 31);
	return ((a ^ sign) >> (n & 31)) ^ sign;
}

/* ---- atomics: the old value is returned ---------------------------------- */

#if VM_HAVE_ATOMIC_BUILTINS
#define VM_DEFINE_ATOMICS(T, N)                                                                   \
	static inline T vm_atomic_add##N(T *p, T v) { return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST); } \
	static inline T vm_atomic_or##N(T *p, T v) { return __atomic_fetch_or(p, v, __ATOMIC_SEQ_CST); }   \
	static inline T vm_atomic_and##N(T *p, T v) { return __atomic_fetch_and(p, v, __ATOMIC_SEQ_CST); } \
	static inline T vm_atomic_xor##N(T *p, T v) { return __atomic_fetch_xor(p, v, __ATOMIC_SEQ_CST); } \
	static inline T vm_atomic_xchg##N(T *p, T v) { return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST); } \
	static inline T vm_atomic_cmpxchg##N(T *p, T expected, T v)                               \
	{                                                                                         \
		__atomic_compare_exchange_n(p, &expected, v, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); \
		return expected;                                                                  \
	}
#else
/* No atomic builtins known: plain read-modify-write (one thread per memory). */
#define VM_DEFINE_ATOMICS(T, N)                                                                   \
	static inline T vm_atomic_add##N(T *p, T v) { T o = *p; *p = (T)(o + v); return o; }     \
	static inline T vm_atomic_or##N(T *p, T v) { T o = *p; *p = o | v; return o; }           \
	static inline T vm_atomic_and##N(T *p, T v) { T o = *p; *p = o & v; return o; }          \
	static inline T vm_atomic_xor##N(T *p, T v) { T o = *p; *p = o ^ v; return o; }          \
	static inline T vm_atomic_xchg##N(T *p, T v) { T o = *p; *p = v; return o; }             \
	static inline T vm_atomic_cmpxchg##N(T *p, T expected, T v)                               \
	{                                                                                         \
		T o = *p;                                                                         \
		if (o == expected)                                                                \
			*p = v;                                                                   \
		return o;                                                                         \
	}
#endif
VM_DEFINE_ATOMICS(uint32_t, 32)
VM_DEFINE_ATOMICS(uint64_t, 64)

/* ---- checked mode -------------------------------------------------------- */

/*
 * Zero one stack frame (checked runs start each frame zeroed, so a program
 * never sees what the host left on its stack). GCC turns a plain memset of
 * this size into `rep stos`, slow to start; 16-byte stores of a zero it
 * cannot see through are several times faster.
 */
static inline void vm_zero_frame(uintptr_t p)
{
#if defined(__GNUC__) || defined(__clang__)
	typedef uint64_t vm_v2 __attribute__((vector_size(16)));
	uint64_t z = 0;
	vm_v2 v;
	__asm__("" : "+r"(z));
	v = (vm_v2){ z, z };
	for (int i = 0; i < NYK_STACK_SIZE / 16; i++)
		memcpy((void *)(p + 16 * (uintptr_t)i), &v, sizeof(v));
#else
	memset((void *)p, 0, NYK_STACK_SIZE);
#endif
}

/* Whether [a, a+size) lies inside [lo, lo+len), without overflow. */
static inline int vm_in(uint64_t a, uint64_t size, uintptr_t lo, size_t len)
{
	uint64_t o = a - lo;
	return o < len && size <= len - o;
}

/*
 * A nested run (nyk_exec_call) may also touch the live stack frames of the
 * runs that called it. Tested only after the fast test failed.
 */
static inline int vm_outer_ok(const struct nyk_exec *run, uint64_t a, uint64_t size)
{
	for (const struct nyk_exec *p = run->parent; p; p = p->parent)
		if (vm_in(a, size, p->stack_lo, p->stack_hi - p->stack_lo))
			return 1;
	return 0;
}

static inline int vm_access_ok(const struct nyk_vm *vm, uint64_t a, uint64_t size, unsigned flags, uintptr_t mem_lo,
			       size_t mem_len, uintptr_t stack_lo, uintptr_t stack_hi)
{
	if (vm_in(a, size, mem_lo, mem_len) || vm_in(a, size, stack_lo, stack_hi - stack_lo))
		return 1;
	return vm->nregions && vm_region_ok(vm, a, size, flags);
}

#endif
