/*
 * interp_loop.h - the execution loop, written once and instantiated by
 * interp.c once per flavour (no include guard on purpose). Before each
 * inclusion define:
 *
 *   INTERP_NAME     name of the function to define
 *   INTERP_CHECKED  0, 1, or an expression read once per run: bounds checks,
 *                   alignment of atomics, instruction budget
 *   INTERP_SLOW     0 or 1: count every instruction and call run->trace
 *
 * With the constants 0 the checks are not compiled at all: the unchecked
 * flavour has no flag tests in its handlers. The file needs the vm_*
 * inline helpers of interp.c.
 *
 * Dispatch follows Lua's lvm.c: vmdispatch/vmcase/vmbreak become a
 * computed-goto table (threaded code: each handler jumps straight to the
 * next one) with GCC and clang, and a switch in a loop otherwise or when
 * NYK_NO_COMPUTED_GOTO is defined.
 */

int INTERP_NAME(struct nyk_exec *run, uint64_t *ret)
{
#if VM_COMPUTED_GOTO
	static const void *const disptab[VM_OP_COUNT] = {
#define VM_LABEL_ADDR(name, opcode, sel) [VM_OP_##name] = &&L_##name,
		VM_OPS(VM_LABEL_ADDR)
#undef VM_LABEL_ADDR
#define VM_LABEL_ADDR_FUSED(name, first, second) [VM_OP_##name] = &&L_##name,
		VM_FUSED_OPS(VM_LABEL_ADDR_FUSED)
#undef VM_LABEL_ADDR_FUSED
	};
#endif
	struct nyk_vm *const vm = run->vm;
	const struct vm_insn *const code = run->code;
	const struct vm_insn *ip = code + run->entry;
	const int checked = (INTERP_CHECKED);
	const uintptr_t mem_lo = (uintptr_t)run->mem;
	const size_t mem_len = run->mem_len;
	const uintptr_t pkt_lo = (uintptr_t)run->pkt;
	const size_t pkt_len = run->pkt_len;
	const unsigned max_depth = NYK_MAX_CALL_DEPTH - run->depth_base;
	/* Frame 0 is the top 512 bytes; frame k lies 512 * k bytes below. */
	_Alignas(16) uint8_t stack[VM_STACK_BYTES];
	const uintptr_t stack_hi = (uintptr_t)stack + sizeof(stack);
	uintptr_t stack_lo = stack_hi - NYK_STACK_SIZE;
	struct vm_frame frames[NYK_MAX_CALL_DEPTH];
	unsigned depth = 0;
	uint64_t budget = (INTERP_SLOW || checked) ? run->budget : 0;
	uint64_t r[NYK_REG_COUNT];
	uint64_t target;  /* operand of the shared call and exit paths below */
#if INTERP_SLOW
	struct vm_trace tr;
	tr.pc = SIZE_MAX;
#endif

	run->stack_base = (uintptr_t)stack;
	run->stack_lo = stack_lo;
	run->stack_hi = stack_hi;
	if (checked)
		vm_zero_frame(stack_lo);
	r[0] = 0;
	for (int i = 1; i <= 5; i++)
		r[i] = run->args[i - 1];
	for (int i = 6; i < NYK_REG_COUNT; i++)
		r[i] = 0;
	r[10] = (uint64_t)stack_hi;

#define D r[ip->dst]
#define S r[ip->src]
#define IMM (ip->imm)
#define PC ((size_t)(ip - code))

/* Leave the loop: keep the count for the caller, flush a pending trace. */
#if INTERP_SLOW
#define VM_LEAVE()                                                    \
	do {                                                          \
		run->budget = budget;                                 \
		if (run->trace)                                       \
			vm_trace_step(run, &tr, r, SIZE_MAX, depth);  \
	} while (0)
#define VM_HOOK()                                                     \
	do {                                                          \
		if (run->trace)                                       \
			vm_trace_step(run, &tr, r, PC, run->depth_base + depth); \
		if (VM_UNLIKELY(budget-- == 0))                       \
			goto out_of_budget;                           \
	} while (0)
#else
#define VM_LEAVE()                             \
	do {                                   \
		if (checked)                   \
			run->budget = budget;  \
	} while (0)
#define VM_HOOK()                                                       \
	do {                                                            \
		if (checked && VM_UNLIKELY(budget-- == 0))              \
			goto out_of_budget;                             \
	} while (0)
#endif
#define VM_FAULT(call)            \
	do {                      \
		VM_LEAVE_FAULT(); \
		return (call);    \
	} while (0)
#define VM_LEAVE_FAULT()                               \
	do {                                           \
		if (INTERP_SLOW || checked)            \
			run->budget = budget;          \
	} while (0)

#if VM_COMPUTED_GOTO
#define vmdispatch(o) goto *disptab[o];
#define vmcase(l) L_##l:
#define vmbreak                        \
	do {                           \
		VM_HOOK();             \
		goto *disptab[ip->op]; \
	} while (0)
#else
#define vmdispatch(o) switch (o)
#define vmcase(l) case VM_OP_##l:
#define vmbreak continue
#endif

/* Memory access of `size` bytes at `a` (base register `base`). */
#define VM_ACCESS(a, size, flags, kind)                                                              \
	do {                                                                                         \
		if (checked && !vm_access_ok(vm, (a), (size), (flags), mem_lo, mem_len, stack_lo,   \
					     stack_hi) && !vm_outer_ok(run, (a), (size)))            \
			VM_FAULT(vm_fault_access(run, ip, (a), (size), (kind)));                     \
	} while (0)
/*
 * r0 = helper(r1..r5). The helper may run program code (nyk_exec_call),
 * which spends the same budget, or end the run (nyk_exec_stop).
 */
#define VM_CALL_HELPER(fn)                                                         \
	do {                                                                       \
		if (INTERP_SLOW || checked)                                        \
			run->budget = budget;                                      \
		run->depth = depth;                                                \
		r[0] = (fn)(r[1], r[2], r[3], r[4], r[5], run);                    \
		if (VM_UNLIKELY(run->stop))                                        \
			goto stopped;                                              \
		if (INTERP_SLOW || checked)                                        \
			budget = run->budget;                                      \
	} while (0)
#define VM_ATOMIC_ACCESS(a, size)                                                  \
	do {                                                                       \
		VM_ACCESS(a, size, NYK_MEM_READ | NYK_MEM_WRITE, VM_ATOMIC);       \
		if (checked && ((a) & ((size) - 1)))                               \
			VM_FAULT(vm_fault_misaligned(run, ip, (a), (size)));       \
	} while (0)

/*
 * Not wrapped in do { } while (0): in the switch flavour vmbreak is
 * `continue`, which must reach the dispatch loop.
 */
#define VM_NEXT()        \
	{                \
		ip++;    \
		vmbreak; \
	}
#define VM_JUMP_IF(cond)                                       \
	{                                                      \
		ip = (cond) ? code + ip->off : ip + 1;         \
		vmbreak;                                       \
	}

/* dst = dst OP operand, in the four forms: 32/64-bit, immediate/register. */
#define VM_ALU(N, OP)                                                                    \
	vmcase(N##64_K) { D = D OP IMM; VM_NEXT(); }                                    \
	vmcase(N##64_X) { D = D OP S; VM_NEXT(); }                                      \
	vmcase(N##32_K) { D = (uint32_t)((uint32_t)D OP (uint32_t)IMM); VM_NEXT(); }    \
	vmcase(N##32_X) { D = (uint32_t)((uint32_t)D OP (uint32_t)S); VM_NEXT(); }

/* dst = FN(dst, operand) in the four forms. */
#define VM_ALU_FN(N, FN64, FN32)                                                        \
	vmcase(N##64_K) { D = FN64(D, IMM); VM_NEXT(); }                                \
	vmcase(N##64_X) { D = FN64(D, S); VM_NEXT(); }                                  \
	vmcase(N##32_K) { D = FN32((uint32_t)D, (uint32_t)IMM); VM_NEXT(); }            \
	vmcase(N##32_X) { D = FN32((uint32_t)D, (uint32_t)S); VM_NEXT(); }

/* if (dst OP operand) goto target, as 64-bit (T64) and 32-bit (T32) values. */
#define VM_JCOND(N, OP, T64, T32)                                                       \
	vmcase(N##_K) { VM_JUMP_IF((T64)D OP (T64)IMM); }                               \
	vmcase(N##_X) { VM_JUMP_IF((T64)D OP (T64)S); }                                 \
	vmcase(N##32_K) { VM_JUMP_IF((T32)(uint32_t)D OP (T32)(uint32_t)IMM); }         \
	vmcase(N##32_X) { VM_JUMP_IF((T32)(uint32_t)D OP (T32)(uint32_t)S); }

/*
 * add (FIRST) fused with the conditional jump in the next slot. The slow
 * flavour, and a checked run with no budget left for the jump, run the add
 * alone and dispatch the jump's own slot.
 */
#define VM_FUSED_PAIR(A, FIRST, N, OP, T)                                                       \
	vmcase(A##__##N##_K) {                                                                  \
		VM_FUSED_FIRST(FIRST);                                                          \
		VM_JUMP2_IF((T)r[ip[1].dst] OP (T)ip[1].imm);                                   \
	}                                                                                       \
	vmcase(A##__##N##_X) {                                                                  \
		VM_FUSED_FIRST(FIRST);                                                          \
		VM_JUMP2_IF((T)r[ip[1].dst] OP (T)r[ip[1].src]);                                \
	}
#define VM_FUSED_FIRST(FIRST)                                                  \
	if (INTERP_SLOW || (checked && budget == 0)) {                         \
		FIRST;                                                         \
		VM_NEXT();                                                     \
	}                                                                      \
	if (checked)                                                           \
		budget--;                                                      \
	FIRST
#define VM_JUMP2_IF(cond)                                                      \
	{                                                                      \
		ip = (cond) ? code + ip[1].off : ip + 2;                       \
		vmbreak;                                                       \
	}
#define VM_FUSED_JUMPS(A, FIRST)                                               \
	VM_FUSED_PAIR(A, FIRST, JEQ, ==, uint64_t)                             \
	VM_FUSED_PAIR(A, FIRST, JNE, !=, uint64_t)                             \
	VM_FUSED_PAIR(A, FIRST, JGT, >, uint64_t)                              \
	VM_FUSED_PAIR(A, FIRST, JGE, >=, uint64_t)                             \
	VM_FUSED_PAIR(A, FIRST, JLT, <, uint64_t)                              \
	VM_FUSED_PAIR(A, FIRST, JLE, <=, uint64_t)                             \
	VM_FUSED_PAIR(A, FIRST, JSGT, >, int64_t)                              \
	VM_FUSED_PAIR(A, FIRST, JSGE, >=, int64_t)                             \
	VM_FUSED_PAIR(A, FIRST, JSLT, <, int64_t)                              \
	VM_FUSED_PAIR(A, FIRST, JSLE, <=, int64_t)                             \
	VM_FUSED_PAIR(A, FIRST, JSET, &, uint64_t)

/* dst = EXT(*(size *)(src + off)) */
#define VM_LDX(N, SIZE, LOADFN, EXT)                                                     \
	vmcase(N) {                                                                      \
		uint64_t a_ = S + (uint64_t)(int64_t)ip->off;                            \
		VM_ACCESS(a_, SIZE, NYK_MEM_READ, VM_LOAD);                              \
		D = EXT(LOADFN(a_));                                                     \
		VM_NEXT();                                                               \
	}
/* *(size *)(dst + off) = VALUE */
#define VM_ST(N, SIZE, STOREFN, VALUE)                                                   \
	vmcase(N) {                                                                      \
		uint64_t a_ = D + (uint64_t)(int64_t)ip->off;                            \
		VM_ACCESS(a_, SIZE, NYK_MEM_WRITE, VM_STORE);                            \
		STOREFN(a_, VALUE);                                                      \
		VM_NEXT();                                                               \
	}
/* Atomic read-modify-write of *(size *)(dst + off) with src; FETCH keeps the old value in src. */
#define VM_ATOMIC(N, T, FN, FETCH)                                                       \
	vmcase(N) {                                                                      \
		uint64_t a_ = D + (uint64_t)(int64_t)ip->off;                            \
		T old_;                                                                  \
		VM_ATOMIC_ACCESS(a_, sizeof(T));                                         \
		old_ = FN((T *)(uintptr_t)a_, (T)S);                                     \
		if (FETCH)                                                               \
			S = old_;                                                        \
		VM_NEXT();                                                               \
	}
/* r0 = ntoh(packet[off]) with off = imm (ABS) or src + imm (IND), 32-bit. */
#define VM_LDPKT(N, SIZE, LOADFN, OFF)                                                   \
	vmcase(N) {                                                                      \
		int32_t o_ = (OFF);                                                      \
		if (o_ < 0 || (size_t)o_ > pkt_len || pkt_len - (size_t)o_ < (SIZE)) {   \
			r[0] = 0;                                                        \
			goto done;                                                       \
		}                                                                        \
		r[0] = LOADFN(pkt_lo + (uint64_t)o_);                                    \
		VM_NEXT();                                                               \
	}

	for (;;) {
		VM_HOOK();
		vmdispatch(ip->op) {
			VM_ALU(ADD, +)
			VM_ALU(SUB, -)
			VM_ALU(MUL, *)
			VM_ALU(OR, |)
			VM_ALU(AND, &)
			VM_ALU(XOR, ^)
			VM_ALU_FN(DIV, vm_div64, vm_div32)
			VM_ALU_FN(MOD, vm_mod64, vm_mod32)
			VM_ALU_FN(SDIV, vm_sdiv64, vm_sdiv32)
			VM_ALU_FN(SMOD, vm_smod64, vm_smod32)
			VM_ALU_FN(LSH, vm_lsh64, vm_lsh32)
			VM_ALU_FN(RSH, vm_rsh64, vm_rsh32)
			VM_ALU_FN(ARSH, vm_arsh64, vm_arsh32)

			vmcase(MOV64_K) { D = IMM; VM_NEXT(); }
			vmcase(MOV64_X) { D = S; VM_NEXT(); }
			vmcase(MOV32_K) { D = (uint32_t)IMM; VM_NEXT(); }
			vmcase(MOV32_X) { D = (uint32_t)S; VM_NEXT(); }
			vmcase(MOVSX8_32) { D = (uint32_t)(int32_t)(int8_t)(uint8_t)S; VM_NEXT(); }
			vmcase(MOVSX16_32) { D = (uint32_t)(int32_t)(int16_t)(uint16_t)S; VM_NEXT(); }
			vmcase(MOVSX8_64) { D = (uint64_t)(int64_t)(int8_t)(uint8_t)S; VM_NEXT(); }
			vmcase(MOVSX16_64) { D = (uint64_t)(int64_t)(int16_t)(uint16_t)S; VM_NEXT(); }
			vmcase(MOVSX32_64) { D = (uint64_t)(int64_t)(int32_t)(uint32_t)S; VM_NEXT(); }
			vmcase(NEG64) { D = 0 - D; VM_NEXT(); }
			vmcase(NEG32) { D = (uint32_t)(0 - (uint32_t)D); VM_NEXT(); }

			vmcase(LE16) { D = VM_HOST_LE ? (uint16_t)D : vm_bswap16((uint16_t)D); VM_NEXT(); }
			vmcase(LE32) { D = VM_HOST_LE ? (uint32_t)D : vm_bswap32((uint32_t)D); VM_NEXT(); }
			vmcase(LE64) { D = VM_HOST_LE ? D : vm_bswap64(D); VM_NEXT(); }
			vmcase(BE16) { D = VM_HOST_LE ? vm_bswap16((uint16_t)D) : (uint16_t)D; VM_NEXT(); }
			vmcase(BE32) { D = VM_HOST_LE ? vm_bswap32((uint32_t)D) : (uint32_t)D; VM_NEXT(); }
			vmcase(BE64) { D = VM_HOST_LE ? vm_bswap64(D) : D; VM_NEXT(); }
			vmcase(BSWAP16) { D = vm_bswap16((uint16_t)D); VM_NEXT(); }
			vmcase(BSWAP32) { D = vm_bswap32((uint32_t)D); VM_NEXT(); }
			vmcase(BSWAP64) { D = vm_bswap64(D); VM_NEXT(); }

			vmcase(JA) { ip = code + ip->off; vmbreak; }
			vmcase(JA32) { ip = code + ip->off; vmbreak; }
			VM_JCOND(JEQ, ==, uint64_t, uint32_t)
			VM_JCOND(JNE, !=, uint64_t, uint32_t)
			VM_JCOND(JGT, >, uint64_t, uint32_t)
			VM_JCOND(JGE, >=, uint64_t, uint32_t)
			VM_JCOND(JLT, <, uint64_t, uint32_t)
			VM_JCOND(JLE, <=, uint64_t, uint32_t)
			VM_JCOND(JSGT, >, int64_t, int32_t)
			VM_JCOND(JSGE, >=, int64_t, int32_t)
			VM_JCOND(JSLT, <, int64_t, int32_t)
			VM_JCOND(JSLE, <=, int64_t, int32_t)
			vmcase(JSET_K) { VM_JUMP_IF(D & IMM); }
			vmcase(JSET_X) { VM_JUMP_IF(D & S); }
			vmcase(JSET32_K) { VM_JUMP_IF((uint32_t)D & (uint32_t)IMM); }
			vmcase(JSET32_X) { VM_JUMP_IF((uint32_t)D & (uint32_t)S); }

			vmcase(CALL) {
				VM_CALL_HELPER(vm->helpers[IMM].fn);
				VM_NEXT();
			}
			vmcase(CALL_LOCAL) {
				target = (uint64_t)(uint32_t)ip->off;
				goto call_local;
			}
			vmcase(CALLX) {
				long h;
				target = D - (uint64_t)(uintptr_t)vm->insns;
				if (target < vm->count * sizeof(struct nyk_insn) && target % sizeof(struct nyk_insn) == 0 &&
				    vm->entry[target / sizeof(struct nyk_insn)]) {
					target /= sizeof(struct nyk_insn);
					goto call_local;
				}
				h = vm_helper_index(vm, D);
				if (h < 0)
					VM_FAULT(vm_fault_callx(run, ip, D));
				VM_CALL_HELPER(vm->helpers[h].fn);
				VM_NEXT();
			}
			vmcase(EXIT) {
			frame_exit:
				if (depth == 0)
					goto done;
				depth--;
				r[6] = frames[depth].saved[0];
				r[7] = frames[depth].saved[1];
				r[8] = frames[depth].saved[2];
				r[9] = frames[depth].saved[3];
				r[10] += NYK_STACK_SIZE;
				stack_lo += NYK_STACK_SIZE;
				run->stack_lo = stack_lo;
				ip = frames[depth].ret;
				vmbreak;
			}

			VM_LDX(LDXB, 1, vm_load8, (uint64_t))
			VM_LDX(LDXH, 2, vm_load16, (uint64_t))
			VM_LDX(LDXW, 4, vm_load32, (uint64_t))
			VM_LDX(LDXDW, 8, vm_load64, (uint64_t))
			VM_LDX(LDXSB, 1, vm_load8, vm_sext8)
			VM_LDX(LDXSH, 2, vm_load16, vm_sext16)
			VM_LDX(LDXSW, 4, vm_load32, vm_sext32)
			VM_ST(STB, 1, vm_store8, IMM)
			VM_ST(STH, 2, vm_store16, IMM)
			VM_ST(STW, 4, vm_store32, IMM)
			VM_ST(STDW, 8, vm_store64, IMM)
			VM_ST(STXB, 1, vm_store8, S)
			VM_ST(STXH, 2, vm_store16, S)
			VM_ST(STXW, 4, vm_store32, S)
			VM_ST(STXDW, 8, vm_store64, S)

			VM_ATOMIC(AADD32, uint32_t, vm_atomic_add32, 0)
			VM_ATOMIC(AADD64, uint64_t, vm_atomic_add64, 0)
			VM_ATOMIC(AOR32, uint32_t, vm_atomic_or32, 0)
			VM_ATOMIC(AOR64, uint64_t, vm_atomic_or64, 0)
			VM_ATOMIC(AAND32, uint32_t, vm_atomic_and32, 0)
			VM_ATOMIC(AAND64, uint64_t, vm_atomic_and64, 0)
			VM_ATOMIC(AXOR32, uint32_t, vm_atomic_xor32, 0)
			VM_ATOMIC(AXOR64, uint64_t, vm_atomic_xor64, 0)
			VM_ATOMIC(AFADD32, uint32_t, vm_atomic_add32, 1)
			VM_ATOMIC(AFADD64, uint64_t, vm_atomic_add64, 1)
			VM_ATOMIC(AFOR32, uint32_t, vm_atomic_or32, 1)
			VM_ATOMIC(AFOR64, uint64_t, vm_atomic_or64, 1)
			VM_ATOMIC(AFAND32, uint32_t, vm_atomic_and32, 1)
			VM_ATOMIC(AFAND64, uint64_t, vm_atomic_and64, 1)
			VM_ATOMIC(AFXOR32, uint32_t, vm_atomic_xor32, 1)
			VM_ATOMIC(AFXOR64, uint64_t, vm_atomic_xor64, 1)
			VM_ATOMIC(AXCHG32, uint32_t, vm_atomic_xchg32, 1)
			VM_ATOMIC(AXCHG64, uint64_t, vm_atomic_xchg64, 1)
			vmcase(ACMPXCHG32) {
				uint64_t a_ = D + (uint64_t)(int64_t)ip->off;
				VM_ATOMIC_ACCESS(a_, 4);
				r[0] = vm_atomic_cmpxchg32((uint32_t *)(uintptr_t)a_, (uint32_t)r[0], (uint32_t)S);
				VM_NEXT();
			}
			vmcase(ACMPXCHG64) {
				uint64_t a_ = D + (uint64_t)(int64_t)ip->off;
				VM_ATOMIC_ACCESS(a_, 8);
				r[0] = vm_atomic_cmpxchg64((uint64_t *)(uintptr_t)a_, r[0], S);
				VM_NEXT();
			}

			VM_FUSED_JUMPS(ADD64_K, D += IMM)
			VM_FUSED_JUMPS(ADD64_X, D += S)

			vmcase(LDDW) {
				D = IMM;
				ip += 2;
				vmbreak;
			}
			VM_LDPKT(LDABSB, 1, vm_load8, (int32_t)IMM)
			VM_LDPKT(LDABSH, 2, vm_load_be16, (int32_t)IMM)
			VM_LDPKT(LDABSW, 4, vm_load_be32, (int32_t)IMM)
			VM_LDPKT(LDINDB, 1, vm_load8, (int32_t)((uint32_t)S + (uint32_t)IMM))
			VM_LDPKT(LDINDH, 2, vm_load_be16, (int32_t)((uint32_t)S + (uint32_t)IMM))
			VM_LDPKT(LDINDW, 4, vm_load_be32, (int32_t)((uint32_t)S + (uint32_t)IMM))
#if !VM_COMPUTED_GOTO
		default:
			VM_FAULT(vm_fault_internal(run, ip));
#endif
		}
		continue;

		/* bpf-to-bpf call of slot `target`; ip is the calling instruction. */
	call_local:
		if (depth + 1 >= max_depth)
			VM_FAULT(vm_fault_depth(run, ip));
		frames[depth].ret = ip + 1;
		frames[depth].saved[0] = r[6];
		frames[depth].saved[1] = r[7];
		frames[depth].saved[2] = r[8];
		frames[depth].saved[3] = r[9];
		depth++;
		r[10] -= NYK_STACK_SIZE;
		stack_lo -= NYK_STACK_SIZE;
		run->stack_lo = stack_lo;
		if (checked)
			vm_zero_frame(stack_lo);
		ip = code + target;
		vmbreak;
	}

done:
	VM_LEAVE();
	if (ret)
		*ret = r[0];
	return 0;

out_of_budget:
	budget = 0;  /* the test above wrapped it */
	VM_LEAVE_FAULT();
	return vm_fault_budget(run, ip);

	/* A helper ended the run: with a value (nyk_exec_stop) or a fault of a nested run. */
stopped:
	if (INTERP_SLOW || checked)
		budget = run->budget;
	if (run->stop == VM_STOP_EXIT) {
		r[0] = run->stop_value;
		goto done;
	}
	if (run->stop == VM_STOP_RETURN) {   /* a tail call from this frame: it returns the target's r0 */
		run->stop = VM_STOP_NONE;
		r[0] = run->stop_value;
		goto frame_exit;
	}
	if (run->err && run->err->insn < 0)
		run->err->insn = (long)PC;   /* nyk_exec_fail: the helper call */
	VM_LEAVE_FAULT();
	return run->stop_code;

#undef D
#undef S
#undef IMM
#undef PC
#undef VM_LEAVE
#undef VM_HOOK
#undef VM_FAULT
#undef VM_LEAVE_FAULT
#undef vmdispatch
#undef vmcase
#undef vmbreak
#undef VM_ACCESS
#undef VM_CALL_HELPER
#undef VM_ATOMIC_ACCESS
#undef VM_NEXT
#undef VM_JUMP_IF
#undef VM_ALU
#undef VM_ALU_FN
#undef VM_JCOND
#undef VM_LDX
#undef VM_ST
#undef VM_ATOMIC
#undef VM_LDPKT
#undef VM_FUSED_PAIR
#undef VM_FUSED_FIRST
#undef VM_JUMP2_IF
#undef VM_FUSED_JUMPS
}
