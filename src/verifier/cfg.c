/*
 * cfg.c - the program's structure, found once before any abstract state:
 * functions (the entry, targets of local calls and of function addresses),
 * basic blocks and their edges, each function's reverse postorder and loop
 * heads, and the code no path can reach (refused, as the kernel does).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "isa/isa_internal.h"
#include "verifier/eng.h"

static bool is_jump(const struct nyk_insn_desc *d)
{
	return d->form == NYK_FORM_JA || d->form == NYK_FORM_JA32 || d->form == NYK_FORM_JMP_K ||
	       d->form == NYK_FORM_JMP_X;
}

/* The function a call or a function address at pc names, or -1. */
static long func_target(const struct nyk_insn_desc *d, const struct nyk_insn *insn, size_t pc)
{
	if (d->form == NYK_FORM_CALL_LOCAL || (d->form == NYK_FORM_LDDW && d->sel_value == NYK_PSEUDO_FUNC))
		return isa_branch_target(d, insn, pc);
	return -1;
}

/* Functions: sorted starts; each spans up to the next start. */
static int find_functions(struct eng *E, uint8_t *leader)
{
	struct eng_cfg *g = &E->cfg;
	size_t n = E->env.count;
	uint32_t nf = 0;

	g->func_at[0] = 0;
	for (size_t pc = 0; pc < n; pc++) {
		const struct nyk_insn_desc *d = g->rows[pc];
		long t;

		if (!d)
			continue;
		t = func_target(d, &E->env.insns[pc], pc);
		if (t >= 0)
			g->func_at[t] = 0;
	}
	for (size_t pc = 0; pc < n; pc++)
		if (g->func_at[pc] == 0)
			nf++;
	g->funcs = eng_calloc(E, nf, sizeof(*g->funcs));
	if (!g->funcs)
		return -ENOMEM;
	g->nfuncs = 0;
	for (size_t pc = 0; pc < n; pc++) {
		if (g->func_at[pc] != 0)
			continue;
		if (g->nfuncs)
			g->funcs[g->nfuncs - 1].end = (uint32_t)pc;
		g->func_at[pc] = (int32_t)g->nfuncs;
		g->funcs[g->nfuncs].start = (uint32_t)pc;
		g->nfuncs++;
		leader[pc] = 1;
	}
	g->funcs[g->nfuncs - 1].end = (uint32_t)n;
	return 0;
}

static void find_leaders(struct eng *E, uint8_t *leader)
{
	struct eng_cfg *g = &E->cfg;
	size_t n = E->env.count;

	for (size_t pc = 0; pc < n; pc++) {
		const struct nyk_insn_desc *d = g->rows[pc];

		if (!d)
			continue;
		if (is_jump(d)) {
			leader[isa_branch_target(d, &E->env.insns[pc], pc)] = 1;
			if (pc + 1 < n)
				leader[pc + 1] = 1;
		} else if (d->form == NYK_FORM_EXIT && pc + 1 < n) {
			leader[pc + 1] = 1;
		}
	}
}

/* Function index of pc (functions are sorted ranges). */
static uint32_t func_of(const struct eng_cfg *g, size_t pc)
{
	uint32_t lo = 0, hi = g->nfuncs;

	while (hi - lo > 1) {
		uint32_t mid = (lo + hi) / 2;
		if (g->funcs[mid].start <= pc)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static int make_blocks(struct eng *E, const uint8_t *leader)
{
	struct eng_cfg *g = &E->cfg;
	size_t n = E->env.count;
	uint32_t nb = 0;

	for (size_t pc = 0; pc < n; pc++)
		if (leader[pc] && g->rows[pc])
			nb++;
	g->blocks = eng_calloc(E, nb, sizeof(*g->blocks));
	if (!g->blocks)
		return -ENOMEM;
	for (size_t pc = 0; pc < n;) {
		struct eng_block *b = &g->blocks[g->nblocks];
		uint32_t id = g->nblocks++;
		size_t last = pc;

		b->start = (uint32_t)pc;
		b->func = func_of(g, pc);
		for (;;) {
			unsigned slots = nyk_insn_slots(&E->env.insns[pc]);
			const struct nyk_insn_desc *d = g->rows[pc];

			g->block_of[pc] = id;
			last = pc;
			pc += slots;
			if (is_jump(d) || d->form == NYK_FORM_EXIT || pc >= n || leader[pc])
				break;
		}
		b->last = (uint32_t)last;
		b->end = (uint32_t)pc;
	}
	return 0;
}

/* Edges; a jump or fall-through that leaves its function is refused (the kernel's rule). */
static int link_blocks(struct eng *E)
{
	struct eng_cfg *g = &E->cfg;

	for (uint32_t i = 0; i < g->nblocks; i++) {
		struct eng_block *b = &g->blocks[i];
		const struct nyk_insn_desc *d = g->rows[b->last];
		const struct eng_func *f = &g->funcs[b->func];
		bool falls = d->form != NYK_FORM_EXIT && d->form != NYK_FORM_JA && d->form != NYK_FORM_JA32;

		b->succ[0] = b->succ[1] = ENG_NONE;
		if (falls) {
			if (b->end >= f->end)
				return vfy_reject(&E->env, b->last,
						  "the function at insn %u falls through into the next function at insn %u",
						  f->start, b->end);
			b->succ[0] = g->block_of[b->end];
		}
		if (is_jump(d)) {
			long t = isa_branch_target(d, &E->env.insns[b->last], b->last);
			if ((uint32_t)t < f->start || (uint32_t)t >= f->end)
				return vfy_reject(&E->env, b->last,
						  "jump out of the function at insn %u to insn %ld", f->start, t);
			b->succ[1] = g->block_of[t];
		}
	}
	return 0;
}

/*
 * Reachability from the entry: blocks through edges, functions through
 * local calls and function addresses in reachable code.
 */
static int check_reachable(struct eng *E)
{
	struct eng_cfg *g = &E->cfg;
	uint8_t *seen = eng_calloc(E, g->nblocks, 1);
	uint32_t *stack = eng_calloc(E, g->nblocks + 1, sizeof(uint32_t));
	size_t sp = 0;
	int rc = 0;

	if (!seen || !stack) {
		rc = -ENOMEM;
		goto out;
	}
	seen[0] = 1;
	stack[sp++] = 0;
	while (sp) {
		const struct eng_block *b = &g->blocks[stack[--sp]];

		for (uint32_t pc = b->start; pc < b->end; pc += nyk_insn_slots(&E->env.insns[pc])) {
			long t = func_target(g->rows[pc], &E->env.insns[pc], pc);
			if (t >= 0 && !seen[g->block_of[t]]) {
				seen[g->block_of[t]] = 1;
				stack[sp++] = g->block_of[t];
			}
		}
		for (int k = 0; k < 2; k++) {
			uint32_t s = b->succ[k];
			if (s != ENG_NONE && !seen[s]) {
				seen[s] = 1;
				stack[sp++] = s;
			}
		}
	}
	for (uint32_t i = 0; i < g->nblocks; i++)
		if (!seen[i]) {
			rc = vfy_reject(&E->env, g->blocks[i].start, "unreachable instruction");
			break;
		}
out:
	eng_free(E, seen, g->nblocks);
	eng_free(E, stack, (g->nblocks + 1) * sizeof(uint32_t));
	return rc;
}

/* Reverse postorder of one function by an iterative depth-first search; retreating edges mark loop heads. */
static int order_function(struct eng *E, uint32_t fi, uint8_t *state, uint32_t *stack, uint8_t *next)
{
	struct eng_cfg *g = &E->cfg;
	struct eng_func *f = &g->funcs[fi];
	uint32_t first = g->block_of[f->start], nb = 0, pos;
	size_t sp = 0;

	for (uint32_t i = first; i < g->nblocks && g->blocks[i].func == fi; i++)
		nb++;
	f->nblocks = nb;
	f->order = eng_calloc(E, nb, sizeof(uint32_t));
	f->is_head = eng_calloc(E, nb, 1);
	if (!f->order || !f->is_head)
		return -ENOMEM;
	pos = nb;
	stack[sp++] = first;
	state[first] = 1;
	while (sp) {
		uint32_t b = stack[sp - 1];
		if (next[b] < 2) {
			uint32_t s = g->blocks[b].succ[next[b]++];
			if (s != ENG_NONE && !state[s]) {
				state[s] = 1;
				stack[sp++] = s;
			}
			continue;
		}
		sp--;
		f->order[--pos] = b;
	}
	/* every block of a function is reachable (check_reachable), so pos is 0 */
	for (uint32_t i = 0; i < nb; i++)
		g->blocks[f->order[i]].rpo = i;
	for (uint32_t i = 0; i < nb; i++) {
		const struct eng_block *b = &g->blocks[f->order[i]];
		for (int k = 0; k < 2; k++) {
			uint32_t s = b->succ[k];
			if (s != ENG_NONE && g->blocks[s].rpo <= i && !f->is_head[g->blocks[s].rpo]) {
				f->is_head[g->blocks[s].rpo] = 1;
				f->nheads++;
			}
		}
	}
	return 0;
}

int eng_cfg_build(struct eng *E)
{
	struct eng_cfg *g = &E->cfg;
	size_t n = E->env.count;
	uint8_t *leader = eng_calloc(E, n, 1);
	uint8_t *state = NULL, *next = NULL;
	uint32_t *stack = NULL;
	int rc;

	g->block_of = eng_calloc(E, n, sizeof(uint32_t));
	g->func_at = eng_calloc(E, n, sizeof(int32_t));
	if (!leader || !g->block_of || !g->func_at) {
		rc = -ENOMEM;
		goto out;
	}
	for (size_t pc = 0; pc < n; pc++) {
		g->func_at[pc] = -1;
		g->block_of[pc] = ENG_NONE;
	}
	if ((rc = find_functions(E, leader)))
		goto out;
	find_leaders(E, leader);
	if ((rc = make_blocks(E, leader)) || (rc = link_blocks(E)) || (rc = check_reachable(E)))
		goto out;
	state = eng_calloc(E, g->nblocks, 1);
	next = eng_calloc(E, g->nblocks, 1);
	stack = eng_calloc(E, g->nblocks, sizeof(uint32_t));
	if (!state || !next || !stack) {
		rc = -ENOMEM;
		goto out;
	}
	for (uint32_t fi = 0; fi < g->nfuncs && !rc; fi++)
		rc = order_function(E, fi, state, stack, next);
out:
	eng_free(E, leader, n);
	eng_free(E, state, g->nblocks);
	eng_free(E, next, g->nblocks);
	eng_free(E, stack, g->nblocks * sizeof(uint32_t));
	return rc;
}

void eng_cfg_free(struct eng *E)
{
	struct eng_cfg *g = &E->cfg;
	size_t n = E->env.count;

	if (g->funcs)
		for (uint32_t i = 0; i < g->nfuncs; i++) {
			eng_free(E, g->funcs[i].order, g->funcs[i].nblocks * sizeof(uint32_t));
			eng_free(E, g->funcs[i].is_head, g->funcs[i].nblocks);
		}
	eng_free(E, g->funcs, g->nfuncs * sizeof(*g->funcs));
	eng_free(E, g->blocks, g->nblocks * sizeof(*g->blocks));
	eng_free(E, g->block_of, n * sizeof(uint32_t));
	eng_free(E, g->func_at, n * sizeof(int32_t));
	g->funcs = NULL;
	g->blocks = NULL;
	g->block_of = NULL;
	g->func_at = NULL;
	g->nfuncs = g->nblocks = 0;
}
