/*
 * test_vfy_repeat.c - nyk_verify carries nothing from one call to the
 * next: the same programs verified twice in one process, in different
 * orders and with the heap dirtied in between, give the same verdicts,
 * reasons, explanations and statistics. (A unit-test binary once judged
 * small loops differently from a fresh process; anything the verifier
 * kept in statics, or read from memory it had not written, would show
 * here.)
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nyuki/asm.h"
#include "nyuki/verifier.h"
#include "test.h"

struct rcase {
	const char *type;   /* NULL: raw memory */
	const char *text;
};

static const struct rcase cases[] = {
	/* for (i = 0; i < 10; i++) sum += i */
	{ NULL, "r0 = 0\nr1 = 0\nloop:\nif r1 >= 10 goto out\nr0 += r1\nr1 += 1\ngoto loop\nout:\nexit\n" },
	/* count down in 32 bits, the test at the bottom */
	{ NULL, "r0 = 0\nw1 = 100\nloop:\nr0 += 2\nw1 -= 1\nif w1 != 0 goto loop\nexit\n" },
	/* the counter on the stack */
	{ NULL, "r0 = 0\nr1 = 0\n*(u64 *)(r10 - 8) = r1\nloop:\nr1 = *(u64 *)(r10 - 8)\nif r1 > 20 goto out\n"
		"r1 += 3\n*(u64 *)(r10 - 8) = r1\ngoto loop\nout:\nexit\n" },
	/* nested loops, and the same with an inner loop that never steps (refused) */
	{ NULL, "r0 = 0\nr1 = 0\nouter:\nif r1 >= 8 goto done\nr2 = 0\ninner:\nif r2 >= 5 goto next\nr0 += 1\n"
		"r2 += 1\ngoto inner\nnext:\nr1 += 1\ngoto outer\ndone:\nexit\n" },
	{ NULL, "r0 = 0\nr1 = 0\nouter:\nif r1 >= 8 goto done\nr2 = 0\ninner:\nif r2 >= 5 goto next\nr0 += 1\n"
		"goto inner\nnext:\nr1 += 1\ngoto outer\ndone:\nexit\n" },
	/* while (1) (refused) */
	{ NULL, "r0 = 0\nloop:\nr0 += 1\ngoto loop\n" },
	/* a zero-extended copy of the counter is tested */
	{ NULL, "r0 = 0\nr1 = 0\nloop:\nr4 = r1\nr4 <<= 32\nr4 >>= 32\nif r4 > 62 goto out\nr0 += 3\nr1 += 1\n"
		"goto loop\nout:\nexit\n" },
	/* a packet walk checked against data_end on each step */
	{ "xdp", "r2 = *(u32 *)(r1 + 0)\nr3 = *(u32 *)(r1 + 4)\nr0 = 0\nr5 = 0\nloop:\nif r5 >= 64 goto out\n"
		 "r4 = r2\nr4 += r5\nr7 = r4\nr7 += 1\nif r7 > r3 goto out\nr6 = *(u8 *)(r4 + 0)\nr0 += r6\n"
		 "r5 += 1\ngoto loop\nout:\nr0 = 2\nexit\n" },
	/* the pointer itself advances (needs a relation the domain does not keep: whatever the verdict, the same) */
	{ "xdp", "r2 = *(u32 *)(r1 + 0)\nr3 = *(u32 *)(r1 + 4)\nr0 = 0\nr5 = 0\nloop:\nif r5 >= 64 goto out\n"
		 "r4 = r2\nr4 += 1\nif r4 > r3 goto out\nr6 = *(u8 *)(r2 + 0)\nr0 += r6\nr2 += 1\nr5 += 1\n"
		 "goto loop\nout:\nr0 = 2\nexit\n" },
	/* unchecked packet read (refused) */
	{ "xdp", "r2 = *(u32 *)(r1 + 0)\nr0 = *(u16 *)(r2 + 12)\nr0 = 2\nexit\n" },
	/* bpf_loop with a callback that counts on the caller's stack */
	{ NULL, "r6 = 0\n*(u64 *)(r10 - 8) = r6\nr1 = 10\nr2 = func[cb] ll\nr3 = r10\nr3 += -8\nr4 = 0\n"
		"call 181\nr0 = *(u64 *)(r10 - 8)\nr0 = 0\nexit\ncb:\nr3 = *(u64 *)(r2 + 0)\nr3 += 1\n"
		"*(u64 *)(r2 + 0) = r3\nr0 = 0\nexit\n" },
	/* a loop in a callback that never ends (refused) */
	{ NULL, "r1 = 10\nr2 = func[cb] ll\nr3 = 0\nr4 = 0\ncall 181\nr0 = 0\nexit\ncb:\nr0 = 0\nloop:\n"
		"r0 += 1\ngoto loop\n" },
	/* bpf-to-bpf calls with a loop in the callee, called twice */
	{ NULL, "r1 = 3\ncall f\nr6 = r0\nr1 = 5\ncall f\nr0 += r6\nexit\nf:\nr0 = 0\nr2 = 0\nloop:\n"
		"if r2 >= r1 goto out\nr0 += r2\nr2 += 1\nif r2 < 16 goto loop\nout:\nexit\n" },
	/* a stack read of bytes never written (refused) */
	{ NULL, "r0 = *(u64 *)(r10 - 16)\nexit\n" },
};

#define NCASES (sizeof(cases) / sizeof(cases[0]))
_Static_assert(NCASES % 5 != 0, "the shuffle below steps by 5");

struct outcome {
	int rc;
	struct nyk_verify_result res;
};

/* Leave garbage where the next verification's allocations will come from. */
static void dirty_heap(unsigned char fill)
{
	void *blocks[48];

	for (unsigned i = 0; i < 48; i++) {
		blocks[i] = malloc(4096u << (i % 6));
		if (blocks[i])
			memset(blocks[i], fill, 4096u << (i % 6));
	}
	for (unsigned i = 0; i < 48; i++)
		free(blocks[i]);
}

static int verify_case(const struct rcase *c, struct outcome *out)
{
	struct nyk_verify_opts o = { .size = sizeof(o) };
	struct nyk_insn *insns = NULL;
	struct nyk_error err;
	size_t count = 0;

	if (nyk_asm(c->text, strlen(c->text), "repeat.s", &insns, &count, &err)) {
		printf("    does not assemble: %s (line %d)\n", err.message, err.line);
		return -1;
	}
	o.type = c->type ? nyk_progtype_by_name(c->type) : NULL;
	memset(&out->res, 0, sizeof(out->res));
	out->res.size = sizeof(out->res);
	out->rc = nyk_verify(insns, count, &o, &out->res, &err);
	free(insns);
	return 0;
}

/* Everything a verification reports must be the same both times. */
static bool same_outcome(const struct outcome *a, const struct outcome *b, size_t i)
{
	const struct nyk_verify_result *x = &a->res, *y = &b->res;
	bool same = a->rc == b->rc && x->insn == y->insn && !strcmp(x->reason, y->reason) &&
		    !strcmp(x->explanation, y->explanation) && x->insns_processed == y->insns_processed &&
		    x->states == y->states && x->peak_bytes == y->peak_bytes && x->stack_depth == y->stack_depth &&
		    x->loops == y->loops;

	if (!same)
		printf("    case %zu: rc %d/%d insn %ld/%ld processed %zu/%zu states %zu/%zu loops %u/%u peak %zu/%zu "
		       "stack %u/%u\n      '%s'\n      '%s'\n",
		       i, a->rc, b->rc, x->insn, y->insn, x->insns_processed, y->insns_processed, x->states, y->states,
		       (unsigned)x->loops, (unsigned)y->loops, x->peak_bytes, y->peak_bytes, (unsigned)x->stack_depth,
		       (unsigned)y->stack_depth, x->reason, y->reason);
	return same;
}

TEST(vfy_repeat_same_verdicts_in_any_order)
{
	static struct outcome first[NCASES], again[NCASES];
	size_t accepted = 0, refused = 0;

	/* forwards on a clean heap, then backwards and shuffled on heaps left dirty by other work */
	for (size_t i = 0; i < NCASES; i++)
		CHECK(verify_case(&cases[i], &first[i]) == 0);
	dirty_heap(0xa5);
	for (size_t i = NCASES; i-- > 0;) {
		CHECK(verify_case(&cases[i], &again[i]) == 0);
		CHECK(same_outcome(&first[i], &again[i], i));
		dirty_heap((unsigned char)(0x11 * i));
	}
	for (size_t k = 0; k < NCASES; k++) {
		size_t i = (k * 5 + 3) % NCASES;   /* 5 is prime to NCASES: every case once */

		CHECK(verify_case(&cases[i], &again[i]) == 0);
		CHECK(same_outcome(&first[i], &again[i], i));
		dirty_heap(0xff);
	}
	for (size_t i = 0; i < NCASES; i++) {
		accepted += first[i].rc == 0;
		refused += first[i].rc == -EACCES;
	}
	/* the set judges both ways */
	CHECK(accepted >= 8);
	CHECK(refused >= 4);
}
