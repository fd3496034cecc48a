/*
 * jit_internal.h - the JIT's backend-neutral pieces: the compiled program a
 * vm keeps, executable memory, the run-time routines compiled code calls
 * out to (checks that need the region list, faults, callx of a helper),
 * and the interface a back end implements.
 *
 * A back end (jit_x86_64.c) compiles the decoded program (vm->code, see
 * vm_internal.h) into machine code and fills a struct vm_jit. The driver
 * (jit.c) owns everything else: when to compile, the entry from
 * nyk_vm_exec, the memory, and turning a fault inside compiled code into
 * the same error the interpreter gives (via the vm_fault_* functions).
 *
 * Compiled code is entered as
 *
 *     struct vm_jit_result entry(void *mem, size_t mem_len, struct nyk_exec *run);
 *
 * with r1 = mem, r2 = mem_len, and `run` filled by vm_jit_exec (vm, code,
 * mem, limits for checked mode, budget, err). It returns r0 and 0, or a
 * negative errno after a fault with run->err filled.
 *
 * Code that never reads the run (unchecked, no helpers, calls or packet
 * loads: it cannot fault) is entered instead as
 *
 *     int direct(void *mem, size_t mem_len, uint64_t *ret);
 *
 * storing r0 in *ret (when ret is not NULL) and returning 0, so that
 * nyk_vm_exec can jump straight into it: the fixed cost of a call is one
 * test and an indirect jump.
 */
#ifndef NYUKI_VM_JIT_INTERNAL_H
#define NYUKI_VM_JIT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "vm/vm_internal.h"

#if (defined(__x86_64__) || defined(_M_X64)) && !defined(_WIN32) && !defined(NYK_NO_JIT)
#define VM_JIT_X86_64 1
#define VM_HAVE_JIT 1
#else
#define VM_HAVE_JIT 0
#endif

/* The options compiled code depends on. */
#define VM_JIT_FLAGS (NYK_VM_JIT | NYK_VM_UNCHECKED | NYK_VM_JIT_BLIND)

/* struct vm_jit_result and vm_jit_entry_fn are in vm_internal.h (nyk_vm_exec calls the entry directly). */

/* A compiled program. */
struct vm_jit {
	vm_jit_entry_fn entry;       /* when the code needs the run (needs_run), else NULL */
	vm_jit_direct_fn direct;     /* when it does not: nyk_vm_exec calls it straight away, else NULL */
	uint8_t *code;               /* start of the machine code (inside map) */
	size_t code_size;
	void *map;                   /* executable mapping (vm_jit_mem_*) */
	size_t map_size;
	uint32_t *offsets;           /* offsets[pc]: code offset of slot pc; offsets[count] = end of program code */
	size_t count;
	uint8_t *block_len;          /* checked: instructions in the block that starts at pc (0 elsewhere, max 255) */
	uint64_t *callx_table;       /* callx: address of the code of slot pc when it starts a function, else 0 */
	unsigned flags;              /* NYK_VM_* the code was compiled with */
	int needs_run;               /* the code reads the run (r12): checked, helpers, calls, packet loads */
	int helpers;                 /* calls helpers: the run must be complete for nyk_exec_call */
	int packet;                  /* legacy packet loads: run->pkt is read */
	size_t inlined;              /* array lookups compiled inline (helper 1 as it was at compile time) */
	uint64_t compile_ns;         /* time the back end took */
};

/* Kinds of out-of-line events, passed to vm_jit_fault in the low byte of `kind`. */
enum vm_jit_event {
	VM_JIT_ACCESS = 1,     /* bits 8..15: size, 16..23: enum vm_access */
	VM_JIT_MISALIGNED,     /* bits 8..15: size */
	VM_JIT_DEPTH,
	VM_JIT_CALLX,          /* value: the callx operand */
	VM_JIT_BUDGET,         /* value: the budget register after subtracting the block */
	VM_JIT_STOPPED,        /* a helper failed the run (run->stop_code; the error names the call) */
};

/* ---- executable memory (jit_mem.c) --------------------------------------- */

/* Reserve `size` bytes, readable and writable (not executable). NULL on failure. */
void *vm_jit_mem_alloc(size_t size, size_t *mapped);
/* Make the memory read-only and executable (never writable again). 0 or -errno. */
int vm_jit_mem_seal(void *mem, size_t mapped);
void vm_jit_mem_free(void *mem, size_t mapped);

/* ---- the driver (jit.c) -------------------------------------------------- */

/* Compile the program loaded in vm (vm->code) with `flags`; 0 or -errno. */
int vm_jit_compile(struct nyk_vm *vm, unsigned flags, struct nyk_error *err);
void vm_jit_free(struct vm_jit *jit);

/* Run the compiled program of vm (like nyk_vm_exec). */
int vm_jit_exec(struct nyk_vm *vm, void *mem, size_t mem_len, uint64_t *ret, struct nyk_error *err);

/* Slot whose code contains the byte before `ret_addr` (a return address in compiled code). */
size_t vm_jit_pc_of(const struct vm_jit *jit, uintptr_t ret_addr);

/*
 * Called by compiled code (through a stub that saved its registers) when
 * an access failed the inline test: 0 when [addr, addr+size) is in the
 * stack or a registered region, else fills run->err and returns -EFAULT.
 */
int64_t vm_jit_check_access(struct nyk_exec *run, uint64_t kind, uint64_t addr, uintptr_t ret_addr,
			    uintptr_t frame);

/* Called by compiled code on a fault: fills run->err, returns the code. Never resumes. */
int64_t vm_jit_fault(struct nyk_exec *run, uint64_t kind, uint64_t value, uintptr_t ret_addr, uintptr_t frame,
		     uint64_t budget);

/* callx of a value that is no function of the program: the helper's function, or NULL. */
nyk_helper_fn vm_jit_callx_helper(struct nyk_exec *run, uint64_t id);

/* ---- a back end ---------------------------------------------------------- */

/* Compile vm->code into jit (fills every field but compile_ns). 0 or -errno with err. */
int vm_jit_backend_compile(struct nyk_vm *vm, struct vm_jit *jit, unsigned flags, struct nyk_error *err);

#endif
