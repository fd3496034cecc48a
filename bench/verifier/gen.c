/*
 * gen.c - generated programs for the verifier benchmark (gen.h).
 *
 * Register use in the main function, as a compiler would allocate it:
 *   r6      the context (callee-saved, lives across calls)
 *   r2..r5  scalars, set at entry and again after every call
 *   r0, r1, r7..r9  temporaries of one block (packet pointers, loop counters)
 * Stack: r10-8 .. r10-120 spill slots, r10-132 the array map's key, r10-144
 * the hash map's key, r10-160 a slot passed to a subprogram by pointer.
 */
#include <stdlib.h>
#include <string.h>

#include "gen.h"

const char *const vgen_feature_names[8] = { "alu", "diamond", "loop", "nested-loop",
					    "spill", "packet", "map", "call" };

struct gen {
	struct nyk_insn *insns;
	size_t n, cap;
	uint64_t rng;
	unsigned features;
	/* bpf-to-bpf calls to patch once the subprograms are placed: pc and subprogram. */
	size_t *call_pc;
	unsigned *call_sub;
	size_t ncalls, calls_cap;
	int oom;
};

enum { NSUBS = 4, MAX_BLOCK = 64, KEY_ARRAY = -132, KEY_HASH = -144, BYREF_SLOT = -160 };

static uint64_t rnd(struct gen *g)
{
	/* xorshift64*: cheap, reproducible per seed. */
	g->rng ^= g->rng >> 12;
	g->rng ^= g->rng << 25;
	g->rng ^= g->rng >> 27;
	return g->rng * 0x2545f4914f6cdd1dull;
}

static unsigned pick(struct gen *g, unsigned n)
{
	return (unsigned)(rnd(g) >> 33) % n;
}

static size_t emit(struct gen *g, uint8_t opcode, unsigned dst, unsigned src, int16_t off, int32_t imm)
{
	if (g->n == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 1024;
		struct nyk_insn *p = realloc(g->insns, cap * sizeof(*p));
		if (!p) {
			g->oom = 1;
			return g->n ? g->n - 1 : 0;
		}
		g->insns = p;
		g->cap = cap;
	}
	g->insns[g->n] = (struct nyk_insn){ opcode, nyk_insn_regs(dst, src), off, imm };
	return g->n++;
}

/* ---- instruction shapes ---------------------------------------------------------------- */

static void alu_k(struct gen *g, unsigned op, unsigned dst, int32_t imm)
{
	emit(g, NYK_CLASS_ALU64 | NYK_SRC_K | op, dst, 0, 0, imm);
}

static void alu_x(struct gen *g, unsigned op, unsigned dst, unsigned src)
{
	emit(g, NYK_CLASS_ALU64 | NYK_SRC_X | op, dst, src, 0, 0);
}

static void ldx(struct gen *g, unsigned size, unsigned dst, unsigned src, int16_t off)
{
	emit(g, NYK_CLASS_LDX | NYK_MODE_MEM | size, dst, src, off, 0);
}

static void stx(struct gen *g, unsigned size, unsigned dst, int16_t off, unsigned src)
{
	emit(g, NYK_CLASS_STX | NYK_MODE_MEM | size, dst, src, off, 0);
}

static void st_k(struct gen *g, unsigned size, unsigned dst, int16_t off, int32_t imm)
{
	emit(g, NYK_CLASS_ST | NYK_MODE_MEM | size, dst, 0, off, imm);
}

/* A forward jump whose target is set later with land(). */
static size_t jmp_k(struct gen *g, unsigned op, unsigned dst, int32_t imm)
{
	return emit(g, NYK_CLASS_JMP | NYK_SRC_K | op, dst, 0, 0, imm);
}

static size_t jmp_x(struct gen *g, unsigned op, unsigned dst, unsigned src)
{
	return emit(g, NYK_CLASS_JMP | NYK_SRC_X | op, dst, src, 0, 0);
}

/* Make the jump at `pc` go to the next instruction emitted. */
static void land(struct gen *g, size_t pc)
{
	if (!g->oom)
		g->insns[pc].off = (int16_t)(g->n - pc - 1);
}

/* A backward conditional jump to `head`. */
static void loop_back(struct gen *g, unsigned op, unsigned dst, int32_t bound, size_t head)
{
	size_t pc = g->n;
	emit(g, NYK_CLASS_JMP | NYK_SRC_K | op, dst, 0, (int16_t)((long)head - (long)pc - 1), bound);
}

static void call_helper(struct gen *g, int32_t id)
{
	emit(g, NYK_CLASS_JMP | NYK_JMP_CALL, 0, NYK_CALL_HELPER, 0, id);
}

static void call_sub(struct gen *g, unsigned sub)
{
	size_t pc = emit(g, NYK_CLASS_JMP | NYK_JMP_CALL, 0, NYK_CALL_LOCAL, 0, 0);

	if (g->ncalls == g->calls_cap) {
		size_t cap = g->calls_cap ? g->calls_cap * 2 : 64;
		size_t *p = realloc(g->call_pc, cap * sizeof(*p));
		unsigned *s = p ? realloc(g->call_sub, cap * sizeof(*s)) : NULL;
		if (p)
			g->call_pc = p;
		if (!s) {
			g->oom = 1;
			return;
		}
		g->call_sub = s;
		g->calls_cap = cap;
	}
	g->call_pc[g->ncalls] = pc;
	g->call_sub[g->ncalls++] = sub;
}

static void lddw(struct gen *g, unsigned dst, unsigned src, int32_t imm)
{
	emit(g, NYK_CLASS_LD | NYK_MODE_IMM | NYK_SIZE_DW, dst, src, 0, imm);
	emit(g, 0, 0, 0, 0, 0);
}

static void exit_insn(struct gen *g)
{
	emit(g, NYK_CLASS_JMP | NYK_JMP_EXIT, 0, 0, 0, 0);
}

/* ---- blocks ----------------------------------------------------------------------------- */

static unsigned scratch(struct gen *g)
{
	return 2 + pick(g, 4);
}

/* The scalars r2..r5 after a call made them unreadable. */
static void reset_scalars(struct gen *g)
{
	for (unsigned r = 2; r <= 5; r++)
		alu_k(g, NYK_ALU_MOV, r, (int32_t)pick(g, 1000));
}

/* One arithmetic instruction on r2..r5: the mix a compiler emits for hashing and field math. */
static void alu_one(struct gen *g)
{
	static const uint8_t ops[] = { NYK_ALU_ADD, NYK_ALU_SUB, NYK_ALU_MUL, NYK_ALU_OR, NYK_ALU_AND,
				       NYK_ALU_XOR, NYK_ALU_LSH, NYK_ALU_RSH, NYK_ALU_ARSH, NYK_ALU_MOV,
				       NYK_ALU_DIV, NYK_ALU_MOD };
	unsigned op = ops[pick(g, sizeof(ops))], dst = scratch(g);
	int is32 = pick(g, 4) == 0;
	uint8_t cls = is32 ? NYK_CLASS_ALU : NYK_CLASS_ALU64;

	if (op == NYK_ALU_LSH || op == NYK_ALU_RSH || op == NYK_ALU_ARSH) {
		emit(g, cls | NYK_SRC_K | op, dst, 0, 0, (int32_t)pick(g, is32 ? 32 : 64));
	} else if (op == NYK_ALU_DIV || op == NYK_ALU_MOD) {
		emit(g, cls | NYK_SRC_K | op, dst, 0, 0, (int32_t)(1 + pick(g, 100)));
	} else if (pick(g, 2)) {
		emit(g, cls | NYK_SRC_X | op, dst, scratch(g), 0, 0);
	} else {
		emit(g, cls | NYK_SRC_K | op, dst, 0, 0, (int32_t)pick(g, 1 << 16) - (1 << 15));
	}
}

static void block_alu(struct gen *g)
{
	for (unsigned i = 0, n = 8 + pick(g, 16); i < n; i++)
		alu_one(g);
}

/* if (rX op K) { a few } else { a few } */
static void block_diamond(struct gen *g)
{
	static const uint8_t ops[] = { NYK_JMP_JEQ, NYK_JMP_JNE, NYK_JMP_JGT, NYK_JMP_JGE, NYK_JMP_JLT,
				       NYK_JMP_JLE, NYK_JMP_JSGT, NYK_JMP_JSLT, NYK_JMP_JSET };
	size_t to_else, to_end;

	to_else = pick(g, 3) ? jmp_k(g, ops[pick(g, sizeof(ops))], scratch(g), (int32_t)pick(g, 256))
			     : jmp_x(g, ops[pick(g, sizeof(ops))], scratch(g), scratch(g));
	for (unsigned i = 0, n = 2 + pick(g, 4); i < n; i++)
		alu_one(g);
	to_end = emit(g, NYK_CLASS_JMP | NYK_JMP_JA, 0, 0, 0, 0);
	land(g, to_else);
	for (unsigned i = 0, n = 2 + pick(g, 4); i < n; i++)
		alu_one(g);
	land(g, to_end);
}

/* for (r7 = 0; r7 < N; r7++) body, the body sometimes with a branch inside. */
static void loop_body(struct gen *g, unsigned counter, unsigned bound)
{
	size_t head;

	alu_k(g, NYK_ALU_MOV, counter, 0);
	head = g->n;
	for (unsigned i = 0, n = 2 + pick(g, 4); i < n; i++)
		alu_one(g);
	if (pick(g, 2)) {
		size_t skip = jmp_k(g, NYK_JMP_JGT, scratch(g), (int32_t)pick(g, 100));
		alu_one(g);
		land(g, skip);
	}
	alu_k(g, NYK_ALU_ADD, counter, 1);
	loop_back(g, NYK_JMP_JLT, counter, (int32_t)bound, head);
}

static void block_loop(struct gen *g)
{
	loop_body(g, 7, 4 + pick(g, 60));
}

static void block_nested_loop(struct gen *g)
{
	size_t head;

	alu_k(g, NYK_ALU_MOV, 8, 0);
	head = g->n;
	alu_one(g);
	loop_body(g, 7, 2 + pick(g, 16));
	alu_one(g);
	alu_k(g, NYK_ALU_ADD, 8, 1);
	loop_back(g, NYK_JMP_JLT, 8, (int32_t)(2 + pick(g, 16)), head);
}

/* Spill scalars and the context pointer, compute, fill them back, read a context field. */
static void block_spill(struct gen *g)
{
	int16_t a = (int16_t)(-8 * (1 + (int)pick(g, 14)));
	int16_t b = (int16_t)(a == -120 ? -112 : a - 8);
	unsigned r = scratch(g);

	stx(g, NYK_SIZE_DW, 10, a, r);
	stx(g, NYK_SIZE_DW, 10, b, 6);
	stx(g, NYK_SIZE_W, 10, -124, scratch(g));
	for (unsigned i = 0, n = 2 + pick(g, 6); i < n; i++)
		alu_one(g);
	ldx(g, NYK_SIZE_DW, scratch(g), 10, a);
	ldx(g, NYK_SIZE_DW, 1, 10, b);
	/* ingress_ifindex or rx_queue_index (egress_ifindex is for devmap programs only) */
	ldx(g, NYK_SIZE_W, 0, 1, (int16_t)(12 + 4 * (int)pick(g, 2)));
	alu_x(g, NYK_ALU_ADD, scratch(g), 0);
	ldx(g, NYK_SIZE_W, 0, 10, -124);
	alu_x(g, NYK_ALU_XOR, scratch(g), 0);
}

/*
 * data = ctx->data; end = ctx->data_end; if (data + L > end) skip;
 * loads (and a store) below L; then a header of variable length: a byte
 * of the packet, masked, as an offset checked again before its use.
 */
static void block_packet(struct gen *g)
{
	static const uint8_t sizes[] = { NYK_SIZE_B, NYK_SIZE_H, NYK_SIZE_W, NYK_SIZE_DW };
	static const int bytes[] = { 1, 2, 4, 8 };
	int len = 16 + 2 * (int)pick(g, 24);
	size_t skip, skip2;

	ldx(g, NYK_SIZE_W, 7, 6, 0);
	ldx(g, NYK_SIZE_W, 8, 6, 4);
	alu_x(g, NYK_ALU_MOV, 1, 7);
	alu_k(g, NYK_ALU_ADD, 1, len);
	skip = jmp_x(g, NYK_JMP_JGT, 1, 8);
	for (unsigned i = 0, n = 2 + pick(g, 3); i < n; i++) {
		unsigned s = pick(g, 4);
		int off = (int)pick(g, (unsigned)(len - bytes[s] + 1));
		off -= off % bytes[s];
		ldx(g, sizes[s], 0, 7, (int16_t)off);
		alu_x(g, NYK_ALU_ADD, scratch(g), 0);
	}
	if (pick(g, 2))
		stx(g, NYK_SIZE_B, 7, (int16_t)pick(g, (unsigned)len), scratch(g));
	/* Variable offset: off = pkt[0] & 0x3c; if (data + off + 4 > end) skip; *(u32 *)(data + off). */
	ldx(g, NYK_SIZE_B, 0, 7, 0);
	alu_k(g, NYK_ALU_AND, 0, 0x3c);
	alu_x(g, NYK_ALU_MOV, 1, 7);
	alu_x(g, NYK_ALU_ADD, 1, 0);
	alu_x(g, NYK_ALU_MOV, 9, 1);
	alu_k(g, NYK_ALU_ADD, 9, 4);
	skip2 = jmp_x(g, NYK_JMP_JGT, 9, 8);
	ldx(g, NYK_SIZE_W, 0, 1, 0);
	alu_x(g, NYK_ALU_XOR, scratch(g), 0);
	land(g, skip2);
	land(g, skip);
}

/* v = bpf_map_lookup_elem(map, &key); if (v) v->counter[i] += 1; */
static void block_map(struct gen *g)
{
	int hash = pick(g, 3) == 0;
	int16_t key = hash ? KEY_HASH : KEY_ARRAY;
	int16_t off = (int16_t)(8 * (int)pick(g, 8));
	size_t skip;

	if (hash)
		stx(g, NYK_SIZE_DW, 10, key, scratch(g));
	else
		st_k(g, NYK_SIZE_W, 10, key, (int32_t)pick(g, 16));
	alu_x(g, NYK_ALU_MOV, 2, 10);
	alu_k(g, NYK_ALU_ADD, 2, key);
	lddw(g, 1, NYK_PSEUDO_MAP_FD, hash);
	call_helper(g, 1);
	skip = jmp_k(g, NYK_JMP_JEQ, 0, 0);
	ldx(g, NYK_SIZE_DW, 1, 0, off);
	alu_k(g, NYK_ALU_ADD, 1, 1);
	stx(g, NYK_SIZE_DW, 0, off, 1);
	land(g, skip);
	reset_scalars(g);
}

/* r0 = sub(r2, r3), or sub(&slot) for the subprogram that works through a pointer. */
static void call_block(struct gen *g, unsigned sub)
{
	if (sub == NSUBS - 1) {
		stx(g, NYK_SIZE_DW, 10, BYREF_SLOT, scratch(g));
		alu_x(g, NYK_ALU_MOV, 1, 10);
		alu_k(g, NYK_ALU_ADD, 1, BYREF_SLOT);
	} else {
		alu_x(g, NYK_ALU_MOV, 1, scratch(g));
		alu_x(g, NYK_ALU_MOV, 2, scratch(g));
	}
	call_sub(g, sub);
	reset_scalars(g);
	alu_x(g, NYK_ALU_ADD, 2, 0);
	if (sub == NSUBS - 1)
		ldx(g, NYK_SIZE_DW, 3, 10, BYREF_SLOT);
}

static void block_call(struct gen *g)
{
	call_block(g, pick(g, NSUBS));
}

/* ---- subprograms ------------------------------------------------------------------------ */

/*
 * Subprograms 0..NSUBS-2 take two scalars (2 calls 0: a chain of three
 * frames); the last takes a pointer to a u64 of its caller's stack.
 */
static void subprogram(struct gen *g, unsigned k, const size_t *sub_start)
{
	if (k == NSUBS - 1) {
		ldx(g, NYK_SIZE_DW, 0, 1, 0);
		alu_k(g, NYK_ALU_MUL, 0, 31);
		alu_k(g, NYK_ALU_ADD, 0, 7);
		stx(g, NYK_SIZE_DW, 1, 0, 0);
		exit_insn(g);
		return;
	}
	alu_x(g, NYK_ALU_MOV, 0, 1);
	alu_x(g, NYK_ALU_XOR, 0, 2);
	alu_k(g, NYK_ALU_MOV, 3, 0);
	alu_k(g, NYK_ALU_MOV, 4, 0);
	alu_k(g, NYK_ALU_MOV, 5, 0);
	stx(g, NYK_SIZE_DW, 10, -8, 0);
	if (k == 1) {
		/* A small loop of its own. */
		size_t head;
		alu_k(g, NYK_ALU_MOV, 3, 0);
		head = g->n;
		alu_k(g, NYK_ALU_MUL, 0, 33);
		alu_x(g, NYK_ALU_ADD, 0, 3);
		alu_k(g, NYK_ALU_ADD, 3, 1);
		loop_back(g, NYK_JMP_JLT, 3, 8, head);
	} else if (k == 2) {
		size_t pc;
		alu_x(g, NYK_ALU_MOV, 1, 0);
		alu_k(g, NYK_ALU_MOV, 2, 5);
		pc = emit(g, NYK_CLASS_JMP | NYK_JMP_CALL, 0, NYK_CALL_LOCAL, 0, 0);
		g->insns[pc].imm = (int32_t)((long)sub_start[0] - (long)pc - 1);
		alu_k(g, NYK_ALU_ADD, 0, 1);
	} else {
		size_t skip = jmp_k(g, NYK_JMP_JGT, 0, 1000);
		alu_k(g, NYK_ALU_LSH, 0, 3);
		land(g, skip);
	}
	ldx(g, NYK_SIZE_DW, 4, 10, -8);
	alu_x(g, NYK_ALU_ADD, 0, 4);
	alu_k(g, NYK_ALU_AND, 0, 0xffff);
	exit_insn(g);
}

/* ---- programs ----------------------------------------------------------------------------- */

static void block(struct gen *g)
{
	static void (*const kinds[8])(struct gen *) = { block_alu, block_diamond, block_loop, block_nested_loop,
							 block_spill, block_packet, block_map, block_call };
	/* Weights: straight-line code and branches dominate real programs. */
	static const unsigned weight[8] = { 6, 6, 2, 1, 3, 3, 2, 2 };
	unsigned total = 0, r;

	for (unsigned i = 0; i < 8; i++)
		if (g->features & (1u << i))
			total += weight[i];
	if (!total) {
		block_alu(g);
		return;
	}
	r = pick(g, total);
	for (unsigned i = 0; i < 8; i++) {
		if (!(g->features & (1u << i)))
			continue;
		if (r < weight[i]) {
			kinds[i](g);
			return;
		}
		r -= weight[i];
	}
}

struct nyk_insn *vgen_program(size_t target, uint64_t seed, unsigned features, size_t *count)
{
	struct gen g = { .rng = seed * 0x9e3779b97f4a7c15ull + 1, .features = features };
	struct gen subs = { .rng = 1 };
	size_t sub_start[NSUBS], main_len;

	if (target < 64)
		target = 64;
	/* The subprograms first, in their own buffer: their size fixes where main ends. */
	for (unsigned k = 0; k < NSUBS; k++) {
		sub_start[k] = subs.n;
		subprogram(&subs, k, sub_start);
	}
	main_len = (features & VGEN_CALL) ? target - subs.n : target;

	alu_x(&g, NYK_ALU_MOV, 6, 1);
	reset_scalars(&g);
	alu_k(&g, NYK_ALU_MOV, 0, 0);
	while (!g.oom && g.n + (NSUBS + 1) * MAX_BLOCK < main_len)
		block(&g);
	/* Every subprogram called at least once: a verifier refuses code no path reaches. */
	for (unsigned k = 0; (features & VGEN_CALL) && k < NSUBS; k++) {
		int called = k == 0;   /* subprogram 2 calls 0 */
		for (size_t i = 0; !called && i < g.ncalls; i++)
			called = g.call_sub[i] == k;
		if (!called)
			call_block(&g, k);
	}
	while (!g.oom && g.n + 2 < main_len)
		alu_one(&g);
	alu_k(&g, NYK_ALU_MOV, 0, 2);   /* XDP_PASS */
	exit_insn(&g);
	if (features & VGEN_CALL) {
		for (size_t i = 0; i < subs.n; i++)
			emit(&g, subs.insns[i].opcode, nyk_insn_dst(&subs.insns[i]), nyk_insn_src(&subs.insns[i]),
			     subs.insns[i].off, subs.insns[i].imm);
		for (size_t i = 0; !g.oom && i < g.ncalls; i++)
			g.insns[g.call_pc[i]].imm = (int32_t)(main_len + sub_start[g.call_sub[i]] - g.call_pc[i] - 1);
	}
	free(subs.insns);
	free(g.call_pc);
	free(g.call_sub);
	if (g.oom || subs.oom) {
		free(g.insns);
		return NULL;
	}
	*count = g.n;
	return g.insns;
}

const struct nyk_map_def *const *vgen_maps(size_t *count)
{
	static const struct nyk_map_def array = { .type = NYK_MAP_ARRAY, .key_size = 4, .value_size = 64,
						  .max_entries = 16, .name = "counters" };
	static const struct nyk_map_def hash = { .type = NYK_MAP_HASH, .key_size = 8, .value_size = 64,
						 .max_entries = 1024, .name = "flows" };
	static const struct nyk_map_def *const maps[] = { &array, &hash };

	*count = 2;
	return maps;
}
