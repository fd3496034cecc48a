/*
 * eng.h - the verifier's driver, shared by its files (engine.c, cfg.c,
 * loops.c, report.c). Nothing here is used outside src/verifier.
 *
 *   cfg.c     structure: functions, basic blocks, reverse postorder, loop
 *             heads, the unreachable-code check
 *   engine.c  the fixpoint per call context (worklist in reverse
 *             postorder, widening at loop heads, narrowing passes),
 *             bpf-to-bpf calls and callbacks, nyk_verify
 *   loops.c   the termination proof of every loop
 *   report.c  rejections, explanations, the log and the Graphviz output,
 *             nyk_program_verify
 */
#ifndef NYUKI_VFY_ENG_H
#define NYUKI_VFY_ENG_H

#include "verifier/vfy.h"

#define ENG_NONE UINT32_MAX
#define ENG_CACHE_BITS 5
#define ENG_CACHE (1u << ENG_CACHE_BITS)

/* A basic block: instructions [start, end); `last` is the pc of its last instruction. */
struct eng_block {
	uint32_t start, last, end;
	uint32_t succ[2];      /* successor blocks (ENG_NONE: none) */
	uint32_t func;         /* function it belongs to */
	uint32_t rpo;          /* index in its function's reverse postorder */
};

/* A function: instructions [start, end), its blocks in reverse postorder. */
struct eng_func {
	uint32_t start, end;
	uint32_t nblocks;
	uint32_t *order;       /* global block ids by rpo index (order[0] is the entry block) */
	uint8_t *is_head;      /* by rpo index: target of a retreating edge */
	uint32_t nheads;
};

struct eng_cfg {
	const struct nyk_insn_desc **rows;   /* per slot (NULL for lddw second slots) */
	uint32_t *block_of;                  /* pc -> block id (ENG_NONE for lddw second slots) */
	int32_t *func_at;                    /* pc -> function index when a function starts there, else -1 */
	struct eng_block *blocks;
	uint32_t nblocks;
	struct eng_func *funcs;
	uint32_t nfuncs;
};

/*
 * A call context: a function analysed for one call chain (main, or
 * main -> call at pc 7 -> ...). Block entry states are stored packed,
 * indexed by the function's rpo index.
 */
struct eng_ctx {
	uint32_t parent;       /* ENG_NONE for main */
	uint32_t callsite;     /* pc of the call (ENG_NONE for main) */
	uint32_t func;         /* function index */
	uint32_t nframes;      /* frames while it runs (main: 1) */
	bool callback;         /* a callback run by a helper: r0 is checked at its exits */
	bool busy;             /* being analysed (a call back into it would be recursion) */
	int64_t ret_min, ret_max;
	void **entry;          /* packed state at each block's entry (NULL: not reached) */
	uint32_t *nupd;        /* how often each block entry grew (widening after 2) */
	uint64_t *dirty;       /* blocks to (re)analyse */
	uint32_t dirty_lo;     /* no dirty bit below this rpo index */
	void *in;              /* packed join of the states it was entered with */
	void *out;             /* packed state after returning to the caller (join over exits) */
	uint32_t max_depth;    /* deepest stack use of its frame */
	uint32_t depth_pc;     /* an instruction reaching it */
};

/* Scratch states for one frame level (a vfy_state is large: never on the C stack). */
struct eng_ws {
	struct vfy_state *st, *taken, *tmp, *tmp2;
};

/* Successors a block run produced. */
struct eng_out {
	unsigned n;
	uint32_t blk[2];
	struct vfy_state *st[2];
};

/*
 * The trip-count refinement at one loop head (loops.c computes it,
 * engine.c applies it): bit r of `regs` says register r, of kind kind[r],
 * has its value (scalars) or offset (pointers) within [lo[r], hi[r]] at
 * the head on every visit.
 */
struct eng_trip {
	uint16_t regs;
	uint8_t kind[NYK_REG_COUNT];
	int64_t lo[NYK_REG_COUNT], hi[NYK_REG_COUNT];
};

struct eng;
/* Called before each instruction of a block run with the state before it. */
typedef void (*eng_hook)(struct eng *E, uint32_t ci, uint32_t pc, const struct vfy_state *st, void *user);

struct eng {
	struct vfy_env env;
	struct eng_cfg cfg;
	struct eng_ctx *ctxs;
	uint32_t nctx, ctx_cap;
	uint32_t *htab;        /* interning of contexts: (parent, callsite, func) -> ctx + 1 */
	size_t hcap;
	struct eng_ws ws[VFY_MAX_FRAMES + 1];
	bool replay;           /* re-running a settled analysis: calls use their stored results, nothing is stored */
	size_t ctx_blocks;     /* blocks over all contexts (bounds the work) */
	size_t bytes, peak;    /* memory of the analysis */
	size_t runs;           /* block runs, to stop an analysis that does not converge */
	size_t grown;          /* calls whose callee's entry or input state grew */
	uint8_t *pk_buf;       /* eng_pack's scratch: a state is encoded here, then copied at its size */
	size_t pk_cap;
	/*
	 * Unpacked forms of recently stored or read packed states (direct
	 * mapped by serial number): a block entry is usually run right after it
	 * was stored or compared, and copying its live part is much cheaper
	 * than decoding it again.
	 */
	uint64_t pk_serial;    /* states packed so far: each one's number picks its cache entry */
	const void *cache_pk[ENG_CACHE];
	struct vfy_state *cache_st[ENG_CACHE];   /* allocated for cache_frames[i] frames only */
	uint32_t cache_frames[ENG_CACHE];
	struct vfy_state *err_state;   /* state before the rejected instruction */
	bool err_captured;
	uint32_t err_ctx;
	uint64_t *thr_u;
	int64_t *thr_s;
	size_t thr_cap;        /* entries of each */
	uint8_t *proven;       /* per pc: loop head proven to terminate */
	uint32_t max_stack;
	/*
	 * Rejections are provisional while states still move (widened bounds
	 * can look out of bounds where the settled invariant is fine): a block
	 * whose transfer refuses yields no successor and nothing is reported,
	 * until a checking pass over the settled states (engine.c).
	 */
	bool provisional;      /* state-dependent rejections yield bottom instead of failing */
	bool checking;         /* the checking pass: calls do not analyse, growth is noted */
	bool hard;             /* the current rejection does not depend on states (limits, recursion) */
	bool grew;             /* the checking pass found a state the stored ones do not cover */
	long soft_pc;          /* the first provisional rejection of the last round (-1: none) */
	size_t soft_count;     /* provisional rejections since the checking pass began */
	int soft_blame[3];
	char soft_reason[256];
	/* the trip-count refinement of main's loop heads (engine.c, loops.c) */
	struct eng_trip *trip; /* by rpo index of main's function (NULL: none applied) */
	uint32_t trip_ctx;     /* the context it applies to (main) */
	bool trip_tried;       /* tried once: a rejection before it is kept in trip_* below */
	unsigned trip_checks;  /* validations that asked for another round with the recomputed ranges */
	bool lenient;          /* block runs go on past refused instructions (estimating the refinement) */
	long trip_pc;
	int trip_blame[3];
	char trip_reason[256];
	struct vfy_state *trip_err;
	bool trip_err_captured;
	uint32_t trip_err_ctx;
};

/* memory (engine.c): counted in bytes/peak */
void *eng_alloc(struct eng *E, size_t n);
void *eng_calloc(struct eng *E, size_t n, size_t size);
void eng_free(struct eng *E, void *p, size_t n);
/* packed states with their size in a header */
void *eng_pack(struct eng *E, const struct vfy_state *st);
void eng_unpack(const void *pk, struct vfy_state *st);
void eng_pack_free(struct eng *E, void *pk);
/* eng_unpack through the cache of unpacked states; `keep`: remember this one too (it is likely read again soon). */
void eng_load(struct eng *E, const void *pk, struct vfy_state *st, bool keep);

/* cfg.c */
int eng_cfg_build(struct eng *E);
void eng_cfg_free(struct eng *E);

/* engine.c */
int eng_run_block(struct eng *E, uint32_t ci, uint32_t b, const void *in, struct eng_out *out, eng_hook hook,
		  void *user, uint32_t stop_pc);

/* loops.c */
int eng_prove_loops(struct eng *E);
/* The refinement of every loop head of context ci from its stored states into t (one per rpo index); 1: some. */
int eng_trip_bounds(struct eng *E, uint32_t ci, struct eng_trip *t);

/* report.c */
void eng_explain(struct eng *E);
void eng_output(struct eng *E);
int eng_insn_text(const struct eng *E, size_t pc, char *buf, size_t size);

#endif
