/*
 * runtime.h - runs of object programs: what nyk_program_test_run keeps per
 * program (struct rt_prog: the vm, built once) and per run (struct rt_run:
 * the context, the packet, tail calls, ring buffer records), and how the
 * helpers find the run they are called from.
 *
 * The run in progress on a thread is rt_current; helpers take it with
 * rt_run_of(exec), which checks that the vm calling them is the run's, so
 * a helper called from some other vm (an embedder's) sees no run and
 * refuses what needs one. Helpers trust nothing in the runtime context the
 * program could have written: the packet pointers they use are the run's.
 */
#ifndef NYUKI_RUNTIME_H
#define NYUKI_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#include "nyuki/map.h"
#include "nyuki/object.h"
#include "nyuki/progtype.h"
#include "nyuki/vm.h"

/* Kernel constants of BPF_PROG_TEST_RUN and the packet helpers. */
enum {
	RT_XDP_HEADROOM = 256,        /* XDP_PACKET_HEADROOM */
	RT_XDP_FRAME_SIZE = 40,       /* sizeof(struct xdp_frame): headroom adjust_head cannot use */
	RT_SKB_SHINFO = 320,          /* SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) on x86-64 */
	RT_PAGE = 4096,
	RT_SKB_HEADROOM = 64,         /* NET_SKB_PAD + NET_IP_ALIGN */
	RT_ETH_HLEN = 14,
	RT_MAX_TAIL_CALLS = 33,       /* MAX_TAIL_CALL_CNT */
	RT_MAX_RING_RECORDS = 64,     /* ring buffer records a run may hold reserved at once */
};

/* What nyk_program_test_run keeps per program. */
struct rt_prog {
	struct nyk_program *prog;
	struct nyk_object *obj;
	const struct nyk_progtype *type;
	struct nyk_vm *vm;
	unsigned mode;                /* NYK_RUN_UNCHECKED, NYK_RUN_JIT, NYK_RUN_INTERP: how the vm runs now */
	int vm_loaded;
	uint8_t *scratch;             /* keys handed to bpf_for_each_map_elem callbacks */
	size_t scratch_stride;        /* bytes per call depth */
	uint64_t regions_gen;         /* the run setup whose regions the vm holds */
};

struct rt_ring_rec {
	void *data;
	struct nyk_map *map;
};

/* One run (of `repeat`) in progress. */
struct rt_run {
	struct rt_prog *root;         /* the program nyk_program_test_run was asked to run */
	struct rt_prog *cur;          /* the program running now (tail calls change it) */
	struct nyk_object *obj;
	const struct nyk_progtype *type;
	unsigned model;               /* enum nyk_run_model */
	int checked;
	unsigned mode;                /* the run's NYK_RUN_* flags */
	uint64_t gen;                 /* identifies this setup's regions (see rt_prog.regions_gen) */

	uint8_t *ctx;                 /* the runtime context */
	size_t ctx_len;
	size_t ctx_visible;           /* bytes of it the program sees */
	long slot_data, slot_end, slot_meta;   /* pointer slots in ctx, or -1 */

	/* The packet (xdp and __sk_buff runs). */
	uint8_t *buf;                 /* headroom + packet + tailroom */
	size_t buf_len;
	uint8_t *meta, *data, *data_end;
	uint8_t *mac;                 /* __sk_buff: the Ethernet header */
	uint8_t *lo;                  /* lowest data_meta/data (xdp: after struct xdp_frame) */
	uint8_t *hi;                  /* highest data_end */

	/* What the caller gave (for the outputs). */
	int user_ctx;                 /* ctx_in or ctx_out given: the kernel converts the context back */
	int bytes_from_data;          /* NYK_MODEL_BYTES: the context is data_in (else ctx_in) */
	uint8_t *user;                /* ctx_in, zero-extended to the visible size */
	uint32_t wire_len;            /* __sk_buff: the wire length the run reports */

	struct rt_prog *tail_target;  /* set by bpf_tail_call, followed by the run loop */
	unsigned tail_calls;
	int tail_failed;              /* a tail call's target could not be prepared: tail_err says why */
	struct nyk_error tail_err;

	struct rt_ring_rec rings[RT_MAX_RING_RECORDS];   /* reserved, not yet submitted */
	size_t nrings;
	struct nyk_map *inner[16];    /* inner maps programs got from map-in-map lookups */
	size_t ninner;
	unsigned scratch_depth;       /* bpf_for_each_map_elem nesting */
	void *held_lock;              /* the bpf_spin_lock the program holds (one at a time) */
};

extern _Thread_local struct rt_run *rt_current;

/* The run a helper is called from, or NULL when it runs outside nyk_program_test_run. */
static inline struct rt_run *rt_run_of(struct nyk_exec *exec)
{
	struct rt_run *run = rt_current;
	return run && run->cur->vm == nyk_exec_vm(exec) ? run : NULL;
}

/* Write the packet pointers of the run into the context's slots (after a helper moved them). */
void rt_sync_slots(struct rt_run *run);

/* ctx_build.c: the context and packet of a run from data_in/ctx_in, as BPF_PROG_TEST_RUN builds them. */
int rt_ctx_build(struct rt_run *run, const struct nyk_test_run *opts, struct nyk_error *err);
/* data_out and ctx_out after the last run, as the kernel fills them; -ENOSPC when one was too small. */
int rt_ctx_finish(struct rt_run *run, struct nyk_test_run *opts, struct nyk_error *err);
void rt_ctx_free(struct rt_run *run);

/* The runtime of program `index` of the run's object (built on first use), or NULL. */
struct rt_prog *rt_prog_of_index(struct rt_run *run, uint32_t index);
/* Before `rt` runs in `run` (a tail call): the memory its checked vm may touch. */
int rt_setup_regions(struct rt_prog *rt, struct rt_run *run, struct nyk_error *err);

/* Free what nyk_program_test_run keeps for a program (the loader's runtime slot calls it at close). */
void rt_prog_free(struct rt_prog *rt);

#endif
