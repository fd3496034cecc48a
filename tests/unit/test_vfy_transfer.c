/*
 * test_vfy_transfer.c - the verifier's instruction transfer (transfer*.c):
 * single instructions on hand-built states, and small programs through
 * nyk_verify that each exercise one rule (stack spills, packet ranges,
 * null checks, map keys, context fields, pointer arithmetic, helper
 * arguments, references, exit checks).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "nyuki/asm.h"
#include "nyuki/map.h"
#include "nyuki/progtype.h"
#include "nyuki/verifier.h"
#include "test.h"
#include "verifier/vfy.h"

/* ---- programs through nyk_verify ---------------------------------------------------- */

static const struct nyk_map_def map_hash = { .type = NYK_MAP_HASH, .key_size = 4, .value_size = 8,
					     .max_entries = 16, .name = "counts" };
static const struct nyk_map_def map_hash8 = { .type = NYK_MAP_HASH, .key_size = 8, .value_size = 16,
					      .max_entries = 16, .name = "wide" };
static const struct nyk_map_def map_ringbuf = { .type = NYK_MAP_RINGBUF, .max_entries = 4096, .name = "events" };
static const struct nyk_map_def map_rodata = { .type = NYK_MAP_ARRAY, .key_size = 4, .value_size = 16,
					       .max_entries = 1, .map_flags = NYK_F_RDONLY_PROG,
					       .name = ".rodata" };
static const struct nyk_map_def map_array16 = { .type = NYK_MAP_ARRAY, .key_size = 4, .value_size = 8,
						.max_entries = 16, .name = "slots" };
static const struct nyk_map_def *const test_maps[] = { &map_hash, &map_hash8, &map_ringbuf, &map_rodata,
						       &map_array16 };

static struct nyk_verify_result last;

static int verify(const char *type, unsigned flags, const char *text)
{
	struct nyk_verify_opts o = { .size = sizeof(o), .flags = flags, .maps = test_maps,
				     .nmaps = sizeof(test_maps) / sizeof(test_maps[0]) };
	struct nyk_error err;
	struct nyk_insn *insns = NULL;
	size_t count = 0;
	int rc;

	memset(&last, 0, sizeof(last));
	last.size = sizeof(last);
	o.type = type ? nyk_progtype_by_name(type) : NULL;
	if (nyk_asm(text, strlen(text), "test", &insns, &count, &err) < 0) {
		snprintf(last.reason, sizeof(last.reason), "asm: %.200s", err.message);
		return -EINVAL;
	}
	rc = nyk_verify(insns, count, &o, &last, &err);
	free(insns);
	return rc;
}

#define ACCEPT(type, flags, text)                                                              \
	do {                                                                                   \
		int rc_ = verify(type, flags, text);                                           \
		CHECK_MSG(rc_ == 0, "refused (%d) at insn %ld: %s", rc_, last.insn, last.reason); \
	} while (0)

#define REJECT(type, flags, text, why)                                                         \
	do {                                                                                   \
		int rc_ = verify(type, flags, text);                                           \
		CHECK_MSG(rc_ == -EACCES, "not refused (%d): %s", rc_, last.reason);          \
		CHECK_MSG(strstr(last.reason, why), "reason \"%s\" lacks \"%s\"", last.reason, why); \
	} while (0)

#define PRIV NYK_VERIFY_PRIVILEGED

/* xdp: r2 = data, r3 = data_end, r4 = data + 14 */
#define XDP_HDR                                                                                \
	"r0 = 1\n"                                                                             \
	"r2 = *(u32 *)(r1 + 0)\n"                                                              \
	"r3 = *(u32 *)(r1 + 4)\n"                                                              \
	"r4 = r2\n"                                                                            \
	"r4 += 14\n"

/* r2 = r10 - 4 pointing at a zero u32 key; r1 = map 0 */
#define KEY_ON_STACK                                                                           \
	"r1 = 0\n"                                                                             \
	"*(u32 *)(r10 - 4) = r1\n"                                                             \
	"r2 = r10\n"                                                                           \
	"r2 += -4\n"                                                                           \
	"r1 = map[idx:0] ll\n"

TEST(vfy_transfer_stack_round_trip)
{
	/* A spilled ctx comes back whole and can be used as the context. */
	ACCEPT("xdp", 0,
	       "*(u64 *)(r10 - 8) = r1\n"
	       "r2 = *(u64 *)(r10 - 8)\n"
	       "r3 = *(u32 *)(r2 + 12)\n"
	       "r0 = 0\n"
	       "exit\n");
	/* A constant spilled in 4 bytes comes back as the constant (the return range holds). */
	ACCEPT("xdp", 0,
	       "r1 = 3\n"
	       "*(u32 *)(r10 - 8) = r1\n"
	       "r0 = *(u32 *)(r10 - 8)\n"
	       "exit\n");
	REJECT("xdp", 0, "r0 = *(u64 *)(r10 - 8)\nexit\n", "stack read off=-8 size=8 of uninitialised bytes");
	REJECT("xdp", 0,
	       "*(u64 *)(r10 - 8) = r1\n"
	       "r0 = *(u32 *)(r10 - 8)\n"
	       "exit\n",
	       "reading part of a spilled pointer at off=-8");
	REJECT("xdp", 0, "r0 = 0\n*(u64 *)(r10 - 520) = r0\nexit\n", "is outside the frame [-512,0)");
	REJECT("xdp", 0, "r0 = 0\n*(u32 *)(r10 - 4) = r1\nexit\n", "r1 leaks a ctx pointer into part of a stack slot");
	/* Privileged: a partial pointer store is just bytes. */
	ACCEPT("xdp", PRIV, "r0 = 0\n*(u32 *)(r10 - 4) = r1\nr2 = *(u32 *)(r10 - 4)\nexit\n");
	/* An unprivileged partial overwrite of a spilled pointer leaves the rest unreadable. */
	REJECT("xdp", 0,
	       "*(u64 *)(r10 - 8) = r1\n"
	       "r0 = 0\n"
	       "*(u8 *)(r10 - 8) = r0\n"
	       "r2 = *(u64 *)(r10 - 8)\n"
	       "exit\n",
	       "stack read off=-8 size=8 of uninitialised bytes");
}

TEST(vfy_transfer_uninit_register)
{
	REJECT("xdp", 0, "r0 = r5\nexit\n", "r5 is not initialised");
	REJECT("xdp", 0, "exit\n", "r0 is not initialised at exit");
	REJECT("xdp", 0, "r0 = 0\nif r7 > 3 goto +0\nexit\n", "r7 is not initialised");
}

TEST(vfy_transfer_packet_range)
{
	ACCEPT("xdp", 0, XDP_HDR "if r4 > r3 goto +1\nr5 = *(u16 *)(r2 + 12)\nexit\n");
	ACCEPT("xdp", 0, XDP_HDR "if r3 < r4 goto +1\nr5 = *(u16 *)(r2 + 12)\nexit\n");
	ACCEPT("xdp", 0, XDP_HDR "if r4 <= r3 goto +1\nexit\nr5 = *(u16 *)(r2 + 12)\nexit\n");
	ACCEPT("xdp", 0, XDP_HDR "if r3 >= r4 goto +1\nexit\nr5 = *(u8 *)(r4 - 1)\nexit\n");
	REJECT("xdp", 0, XDP_HDR "if r4 > r3 goto +1\nr5 = *(u16 *)(r2 + 13)\nexit\n",
	       "packet access off=13 size=2 is beyond the checked range [0,14)");
	/* The other branch proves nothing. */
	REJECT("xdp", 0, XDP_HDR "if r4 > r3 goto +1\nexit\nr5 = *(u8 *)(r2 + 0)\nexit\n",
	       "is beyond the checked range [0,0)");
	REJECT("xdp", 0, XDP_HDR "r5 = *(u8 *)(r2 + 0)\nexit\n", "packet access off=0 size=1 is beyond the checked range [0,0)");
	/* A variable offset: a new base, proven by its own comparison. */
	ACCEPT("xdp", 0,
	       XDP_HDR
	       "if r4 > r3 goto +7\n"
	       "r5 = *(u8 *)(r2 + 0)\n"
	       "r5 &= 15\n"
	       "r2 += r5\n"
	       "r6 = r2\n"
	       "r6 += 4\n"
	       "if r6 > r3 goto +1\n"
	       "r7 = *(u32 *)(r2 + 0)\n"
	       "exit\n");
	REJECT("xdp", 0,
	       XDP_HDR
	       "if r4 > r3 goto +7\n"
	       "r5 = *(u8 *)(r2 + 0)\n"
	       "r5 &= 15\n"
	       "r2 += r5\n"
	       "r6 = r2\n"
	       "r6 += 4\n"
	       "if r6 > r3 goto +1\n"
	       "r7 = *(u32 *)(r2 + 1)\n"
	       "exit\n",
	       "is beyond the checked range");
	/* Adding a variable starts a new base with nothing proven (as the kernel). */
	REJECT("xdp", 0,
	       XDP_HDR
	       "if r4 > r3 goto +3\n"
	       "r5 = *(u8 *)(r2 + 0)\n"
	       "r5 &= 7\n"
	       "r2 += r5\n"
	       "r0 = *(u8 *)(r2 + 0)\n"
	       "r0 = 1\n"
	       "exit\n",
	       "is beyond the checked range");
	/* 32-bit comparisons of packet pointers are allowed but prove nothing. */
	REJECT("xdp", 0, XDP_HDR "if w4 > w3 goto +1\nr5 = *(u16 *)(r2 + 12)\nexit\n",
	       "packet access off=12 size=2 is beyond the checked range [0,0)");
	/* Writes: xdp yes, socket filters have no packet pointers; cgroup_skb may not write. */
	ACCEPT("xdp", 0, XDP_HDR "if r4 > r3 goto +1\n*(u16 *)(r2 + 12) = r0\nexit\n");
	REJECT("cgroup_skb", 0,
	       "r0 = 1\n"
	       "r2 = *(u32 *)(r1 + 76)\n"
	       "r3 = *(u32 *)(r1 + 80)\n"
	       "r4 = r2\n"
	       "r4 += 14\n"
	       "if r4 > r3 goto +1\n"
	       "*(u16 *)(r2 + 12) = r0\n"
	       "exit\n",
	       "writing into the packet is not allowed in cgroup_skb programs");
	REJECT("xdp", 0, XDP_HDR "if r4 > r3 goto +1\n*(u64 *)(r2 + 0) = r1\nexit\n", "r1 leaks a ctx pointer into the packet");
	/* data_meta, proven against data. */
	ACCEPT("xdp", 0,
	       "r0 = 2\n"
	       "r2 = *(u32 *)(r1 + 8)\n"
	       "r3 = *(u32 *)(r1 + 0)\n"
	       "r4 = r2\n"
	       "r4 += 4\n"
	       "if r4 > r3 goto +1\n"
	       "r5 = *(u32 *)(r2 + 0)\n"
	       "exit\n");
	REJECT("xdp", 0,
	       "r0 = 2\n"
	       "r2 = *(u32 *)(r1 + 8)\n"
	       "r3 = *(u32 *)(r1 + 0)\n"
	       "r4 = r2\n"
	       "r4 += 4\n"
	       "if r4 > r3 goto +1\n"
	       "r5 = *(u32 *)(r2 + 1)\n"
	       "exit\n",
	       "packet access off=1 size=4 is beyond the checked range [0,4)");
	/* Bits of a packet address are not for testing. */
	REJECT("xdp", 0, XDP_HDR "if r2 & 3 goto +0\nexit\n", "comparison of pkt with scalar is not allowed");
}

TEST(vfy_transfer_null_check)
{
	ACCEPT("xdp", 0,
	       KEY_ON_STACK
	       "call 1\n"
	       "if r0 == 0 goto +1\n"
	       "r1 = *(u64 *)(r0 + 0)\n"
	       "r0 = 0\n"
	       "exit\n");
	/* A copy is checked by the check of the original. */
	ACCEPT("xdp", 0,
	       KEY_ON_STACK
	       "call 1\n"
	       "r6 = r0\n"
	       "if r0 != 0 goto +2\n"
	       "r0 = 0\n"
	       "exit\n"
	       "r1 = 1\n"
	       "*(u64 *)(r6 + 0) = r1\n"
	       "r0 = 0\n"
	       "exit\n");
	REJECT("xdp", 0, KEY_ON_STACK "call 1\nr1 = *(u64 *)(r0 + 0)\nr0 = 0\nexit\n",
	       "r0 may be NULL (map_value_or_null); compare it with 0 first");
	REJECT("xdp", 0, KEY_ON_STACK "call 1\nif r0 == 0 goto +1\nr1 = *(u64 *)(r0 + 4)\nr0 = 0\nexit\n",
	       "map value access off=4 size=8 is outside the value of 8 bytes");
	REJECT("xdp", 0, KEY_ON_STACK "call 1\nr0 += 8\nr0 = 0\nexit\n", "pointer arithmetic on map_value_or_null");
	/* The NULL branch is the constant 0. */
	ACCEPT("xdp", 0, KEY_ON_STACK "call 1\nif r0 != 0 goto +1\nexit\nr0 = 0\nexit\n");
}

TEST(vfy_transfer_map_arguments)
{
	/* Map 1 has 8-byte keys: 4 initialised bytes are not enough. */
	REJECT("xdp", 0,
	       "r1 = 0\n"
	       "*(u32 *)(r10 - 4) = r1\n"
	       "r2 = r10\n"
	       "r2 += -8\n"
	       "r1 = map[idx:1] ll\n"
	       "call 1\n"
	       "r0 = 0\n"
	       "exit\n",
	       "stack read off=-8 size=8 of uninitialised bytes");
	REJECT("xdp", 0, "r2 = 0\nr1 = map[idx:0] ll\ncall 1\nr0 = 0\nexit\n",
	       "bpf_map_lookup_elem (helper 1) argument 2: wants a pointer to the map key (4 bytes), got scalar");
	REJECT("xdp", 0, KEY_ON_STACK "r1 = 5\ncall 1\nr0 = 0\nexit\n", "argument 1: wants a map");
	REJECT("xdp", 0, KEY_ON_STACK "r1 = map[idx:2] ll\ncall 1\nr0 = 0\nexit\n", "wants a map with keys");
	REJECT("xdp", 0, "r1 = map[idx:9] ll\nr0 = 0\nexit\n", "lddw refers to map 9, but the program has 5 maps");
	REJECT("xdp", 0, "r3 = 0\nr2 = map[idx:0] ll\ncall 12\nr0 = 0\nexit\n",
	       "bpf_tail_call (helper 12) argument 2: wants a prog_array map, got map counts (hash)");
	/* update with the value on the stack */
	ACCEPT("xdp", 0,
	       "r1 = 0\n"
	       "*(u64 *)(r10 - 16) = r1\n"
	       KEY_ON_STACK
	       "r3 = r10\n"
	       "r3 += -16\n"
	       "r4 = 0\n"
	       "call 2\n"
	       "r0 = 0\n"
	       "exit\n");
}

TEST(vfy_transfer_read_only_map)
{
	ACCEPT("xdp", 0, "r1 = map[idx:3][0]+8 ll\nr0 = *(u64 *)(r1 + 0)\nr0 = 0\nexit\n");
	/* As in the kernel, only a single-entry array has a direct value. */
	REJECT("xdp", 0, "r1 = map[idx:4][0]+4 ll\nr0 = *(u32 *)(r1 + 0)\nr0 = 0\nexit\n",
	       "only single-entry array maps have direct values");
	REJECT("xdp", 0, "r1 = map[idx:3][0]+8 ll\nr0 = 0\n*(u64 *)(r1 + 0) = r0\nexit\n",
	       "write into a read-only map value (.rodata)");
	REJECT("xdp", 0, "r1 = map[idx:3][0]+12 ll\nr0 = *(u64 *)(r1 + 0)\nr0 = 0\nexit\n",
	       "map value access off=12 size=8 is outside the value of 16 bytes");
}

TEST(vfy_transfer_ctx_fields)
{
	ACCEPT("xdp", 0, "r2 = *(u32 *)(r1 + 12)\nr0 = 2\nexit\n");
	REJECT("xdp", 0, "r2 = 0\n*(u32 *)(r1 + 0) = r2\nr0 = 2\nexit\n",
	       "context access off=0 size=4: field data is read-only");
	REJECT("xdp", 0, "r2 = *(u32 *)(r1 + 24)\nr0 = 2\nexit\n", "context access off=24 size=4: no field of struct xdp_md there");
	REJECT("xdp", 0, "r2 = *(u16 *)(r1 + 12)\nr0 = 2\nexit\n", "field ingress_ifindex is read with the wrong size");
	REJECT("xdp", 0, "r2 = *(u64 *)(r1 + 0)\nr0 = 2\nexit\n", "field data is read with the wrong size");
	/* __sk_buff: narrow loads of len, wide access to cb, writes to mark in tc. */
	ACCEPT("sched_cls", 0, "r2 = *(u8 *)(r1 + 1)\nr2 = *(u64 *)(r1 + 56)\n*(u32 *)(r1 + 8) = r2\nr0 = 0\nexit\n");
	REJECT("sched_cls", 0, "r2 = *(u64 *)(r1 + 64)\nr0 = 0\nexit\n", "field cb is read with the wrong size");
	REJECT("socket_filter", 0, "r2 = *(u32 *)(r1 + 76)\nr0 = 0\nexit\n", "field data cannot be read");
	/* Variable context offsets are refused where the arithmetic happens. */
	REJECT("xdp", 0, "r2 = *(u32 *)(r1 + 12)\nr1 += r2\nr0 = 2\nexit\n", "pointer arithmetic on ctx with a variable offset");
	/* Byte contexts: kprobe's pt_regs. */
	ACCEPT("kprobe", 0, "r2 = *(u64 *)(r1 + 112)\nr0 = 0\nexit\n");
	REJECT("kprobe", 0, "r2 = *(u64 *)(r1 + 168)\nr0 = 0\nexit\n", "outside the 168 bytes");
	REJECT("kprobe", 0, "r2 = 1\n*(u64 *)(r1 + 8) = r2\nr0 = 0\nexit\n", "is read-only");
	ACCEPT("syscall", 0, "r2 = 1\n*(u64 *)(r1 + 8) = r2\nr0 = 0\nexit\n");
}

TEST(vfy_transfer_pointer_arithmetic)
{
	REJECT("xdp", 0, "r1 *= 2\nr0 = 0\nexit\n", "multiplication of a ctx pointer is not allowed");
	REJECT("xdp", 0, "w1 += 1\nr0 = 0\nexit\n", "32-bit addition of a ctx pointer is not allowed");
	REJECT("xdp", 0, "w0 = w10\nr0 = 0\nexit\n", "32-bit move of a fp pointer is not allowed");
	REJECT("xdp", 0, "r3 = *(u32 *)(r1 + 4)\nr3 += 1\nr0 = 0\nexit\n", "pointer arithmetic on pkt_end is not allowed");
	REJECT("xdp", 0, "r1 = map[idx:0] ll\nr1 += 8\nr0 = 0\nexit\n", "pointer arithmetic on map_ptr is not allowed");
	REJECT("xdp", 0, "r0 = 4\nr0 -= r10\nexit\n", "subtraction of a fp pointer is not allowed");
	/* Multiplying a pointer makes no sense even privileged; negating it gives a number there. */
	REJECT("xdp", PRIV, "r1 *= 2\nr0 = 0\nexit\n", "multiplication of a ctx pointer is not allowed");
	ACCEPT("xdp", PRIV, "r1 = -r1\nr0 = 0\nexit\n");
	REJECT("xdp", 0, "r1 = -r1\nr0 = 0\nexit\n", "negation of a ctx pointer is not allowed");
	/* 32-bit packet lengths: privileged only. */
	ACCEPT("xdp", PRIV, "r2 = *(u32 *)(r1 + 0)\nr3 = *(u32 *)(r1 + 4)\nw3 -= w2\nr0 = 0\nexit\n");
	REJECT("xdp", 0, "r2 = *(u32 *)(r1 + 0)\nr3 = *(u32 *)(r1 + 4)\nw3 -= w2\nr0 = 0\nexit\n",
	       "32-bit subtraction of a pkt_end pointer is not allowed");
	/* Shifts by more than the width. */
	REJECT("xdp", 0, "r0 = 1\nw0 <<= 32\nexit\n", "invalid immediate 32");
	/* A moved context pointer is not dereferenced. */
	REJECT("xdp", 0, "r1 += 12\nr0 = *(u32 *)(r1 + 4)\nr0 = 2\nexit\n", "context access off=16 size=4");
	/* pkt - pkt is a length, for everyone. */
	ACCEPT("xdp", 0, "r2 = *(u32 *)(r1 + 0)\nr3 = *(u32 *)(r1 + 4)\nr3 -= r2\nr0 = 0\nexit\n");
	/* fp - fp in one frame: a constant. */
	ACCEPT("kprobe", 0, "r2 = r10\nr2 += -8\nr0 = r10\nr0 -= r2\nexit\n");
	/* Stack arithmetic with a bounded variable (privileged: the kernel's Spectre v1 rule), then an initialised read. */
	REJECT("xdp", 0, "r2 = *(u32 *)(r1 + 12)\nr2 &= 7\nr3 = r10\nr3 += -16\nr3 += r2\nr0 = 0\nexit\n",
	       "pointer arithmetic on fp with a variable offset is not allowed unprivileged");
	ACCEPT("xdp", PRIV,
	       "r0 = 0\n"
	       "*(u64 *)(r10 - 16) = r0\n"
	       "*(u64 *)(r10 - 8) = r0\n"
	       "r2 = *(u32 *)(r1 + 12)\n"
	       "r2 &= 7\n"
	       "r3 = r10\n"
	       "r3 += -16\n"
	       "r3 += r2\n"
	       "r4 = *(u64 *)(r3 + 0)\n"
	       "exit\n");
	REJECT("xdp", PRIV,
	       "r0 = 0\n"
	       "*(u64 *)(r10 - 16) = r0\n"
	       "r2 = *(u32 *)(r1 + 12)\n"
	       "r2 &= 7\n"
	       "r3 = r10\n"
	       "r3 += -16\n"
	       "r3 += r2\n"
	       "r4 = *(u64 *)(r3 + 0)\n"
	       "exit\n",
	       "stack read off=[-16,-9] size=8 of uninitialised bytes");
}

TEST(vfy_transfer_copies_share_bounds)
{
	/* (Variable stack offsets need privileges, as in the kernel.) r3 is a copy of r2: the bound on r2 holds for r3. */
	ACCEPT("xdp", PRIV,
	       "r0 = 0\n"
	       "*(u64 *)(r10 - 16) = r0\n"
	       "*(u64 *)(r10 - 8) = r0\n"
	       "r2 = *(u32 *)(r1 + 12)\n"
	       "r3 = r2\n"
	       "if r2 > 7 goto +4\n"
	       "r4 = r10\n"
	       "r4 += -16\n"
	       "r4 += r3\n"
	       "r5 = *(u64 *)(r4 + 0)\n"
	       "exit\n");
	/* So does a spill of it, read back after the check. */
	ACCEPT("xdp", PRIV,
	       "r0 = 0\n"
	       "*(u64 *)(r10 - 16) = r0\n"
	       "*(u64 *)(r10 - 8) = r0\n"
	       "r2 = *(u32 *)(r1 + 12)\n"
	       "*(u64 *)(r10 - 24) = r2\n"
	       "if r2 > 7 goto +5\n"
	       "r3 = *(u64 *)(r10 - 24)\n"
	       "r4 = r10\n"
	       "r4 += -16\n"
	       "r4 += r3\n"
	       "r5 = *(u64 *)(r4 + 0)\n"
	       "exit\n");
	/* A changed copy is not a copy. */
	REJECT("xdp", PRIV,
	       "r0 = 0\n"
	       "*(u64 *)(r10 - 16) = r0\n"
	       "*(u64 *)(r10 - 8) = r0\n"
	       "r2 = *(u32 *)(r1 + 12)\n"
	       "r3 = r2\n"
	       "r3 += 1\n"
	       "if r2 > 7 goto +4\n"
	       "r4 = r10\n"
	       "r4 += -16\n"
	       "r4 += r3\n"
	       "r5 = *(u64 *)(r4 + 0)\n"
	       "exit\n",
	       "is outside the frame [-512,0)");
}

TEST(vfy_transfer_comparisons)
{
	REJECT("xdp", 0, "r0 = 0\nif r1 > r10 goto +0\nexit\n", "comparison of ctx with fp is not allowed");
	ACCEPT("xdp", PRIV, "r0 = 0\nif r1 > r10 goto +0\nexit\n");
	/* ctx is never NULL: only one branch lives (r0 stays initialised). */
	ACCEPT("xdp", 0, "if r1 == 0 goto +1\nr0 = 0\nexit\n");
}

TEST(vfy_transfer_helpers)
{
	REJECT("socket_filter", 0, "r2 = 0\ncall 44\nr0 = 0\nexit\n",
	       "helper 44 (bpf_xdp_adjust_head) is not allowed in socket_filter programs");
	REJECT("xdp", 0, "call 999\nr0 = 0\nexit\n", "unknown helper 999");
	REJECT("xdp", 0, "call kfunc 1234\nr0 = 0\nexit\n", "kfunc calls are not supported");
	/* After a helper that moves the packet, old packet pointers are numbers. */
	REJECT("xdp", 0,
	       XDP_HDR
	       "if r4 > r3 goto +5\n"
	       "r6 = r2\n"
	       "r2 = 0\n"
	       "call 44\n"
	       "r0 = *(u8 *)(r6 + 0)\n"
	       "r0 = 1\n"
	       "exit\n",
	       "r6 is a scalar, not a pointer: cannot load through it");
	/* r1-r5 are clobbered by a call. */
	REJECT("xdp", 0, "call 5\nr0 = r1\nexit\n", "r1 is not initialised");
	/* Sizes. */
	REJECT("kprobe", 0, "r1 = r10\nr1 += -8\nr2 = 16\nr3 = 0\ncall 113\nr0 = 0\nexit\n",
	       "size r2=");
	ACCEPT("kprobe", 0, "r1 = r10\nr1 += -8\nr2 = 8\nr3 = 0\ncall 113\nr0 = *(u64 *)(r10 - 8)\nexit\n");
	REJECT("kprobe", 0, "r1 = r10\nr1 += -8\nr2 = *(u64 *)(r1 + 8)\nr3 = 0\ncall 113\nr0 = 0\nexit\n",
	       "stack access");
	/* ANYTHING may not be a pointer unprivileged. */
	REJECT("xdp", 0, "r0 = 0\n*(u64 *)(r10 - 16) = r0\n" KEY_ON_STACK "r3 = r10\nr3 += -16\nr4 = r10\ncall 2\nr0 = 0\nexit\n",
	       "r4 leaks a fp pointer to a helper");
}

TEST(vfy_transfer_ringbuf_references)
{
	ACCEPT("xdp", 0,
	       "r1 = map[idx:2] ll\n"
	       "r2 = 16\n"
	       "r3 = 0\n"
	       "call 131\n"
	       "if r0 == 0 goto +5\n"
	       "r1 = 7\n"
	       "*(u64 *)(r0 + 8) = r1\n"
	       "r1 = r0\n"
	       "r2 = 0\n"
	       "call 132\n"
	       "r0 = 0\n"
	       "exit\n");
	REJECT("xdp", 0,
	       "r1 = map[idx:2] ll\n"
	       "r2 = 16\n"
	       "r3 = 0\n"
	       "call 131\n"
	       "r0 = 0\n"
	       "exit\n",
	       "reference from insn 4 (bpf_ringbuf_reserve) is not released before exit");
	REJECT("xdp", 0,
	       "r1 = map[idx:2] ll\n"
	       "r2 = 16\n"
	       "r3 = 0\n"
	       "call 131\n"
	       "if r0 == 0 goto +3\n"
	       "r1 = 7\n"
	       "*(u64 *)(r0 + 16) = r1\n"
	       "r0 = 0\n"
	       "exit\n",
	       "memory access off=16 size=8 is outside the 16 bytes of the memory");
	/* Released memory is gone. */
	REJECT("xdp", 0,
	       "r1 = map[idx:2] ll\n"
	       "r2 = 16\n"
	       "r3 = 0\n"
	       "call 131\n"
	       "if r0 == 0 goto +5\n"
	       "r6 = r0\n"
	       "r1 = r0\n"
	       "r2 = 0\n"
	       "call 133\n"
	       "r0 = *(u64 *)(r6 + 0)\n"
	       "r0 = 0\n"
	       "exit\n",
	       "its memory was released at insn 9");
}

TEST(vfy_transfer_exit_checks)
{
	REJECT("cgroup_skb", 0, "r0 = 5\nexit\n", "is outside [0,3] allowed for cgroup_skb programs");
	ACCEPT("cgroup_skb", 0, "r0 = 3\nexit\n");
	ACCEPT("kprobe", 0, "r0 = -5\nexit\n");
	REJECT("xdp", 0, "r0 = r10\nexit\n", "r0 leaks a fp pointer as the return value");
	ACCEPT("kprobe", PRIV, "r0 = r10\nexit\n");
}

TEST(vfy_transfer_atomics_and_legacy)
{
	ACCEPT("xdp", 0, "r0 = 0\n*(u64 *)(r10 - 8) = r0\nr1 = 1\nlock *(u64 *)(r10 - 8) += r1\nexit\n");
	REJECT("xdp", 0, "r0 = 0\nr1 = 1\nlock *(u64 *)(r10 - 8) += r1\nexit\n", "uninitialised");
	REJECT("xdp", 0, XDP_HDR "if r4 > r3 goto +2\nr1 = 1\nlock *(u32 *)(r2 + 0) += w1\nexit\n",
	       "atomic operations on pkt memory are not allowed");
	ACCEPT("socket_filter", 0, "r6 = r1\nr0 = *(u16 *)skb[12]\nexit\n");
	REJECT("xdp", 0, "r6 = r1\nr0 = *(u16 *)skb[12]\nexit\n", "legacy packet loads");
	REJECT("socket_filter", 0, "r0 = *(u16 *)skb[12]\nexit\n", "r6 is not initialised");
}

/* ---- single instructions on hand-built states ------------------------------------------ */

static struct vfy_state st_a, st_b;

static void env_init(struct vfy_env *env, const struct nyk_insn *insns, size_t count, const char *type)
{
	static struct nyk_verify_opts o;

	memset(env, 0, sizeof(*env));
	memset(&o, 0, sizeof(o));
	o.size = sizeof(o);
	env->insns = insns;
	env->count = count;
	env->opts = &o;
	env->type = nyk_progtype_by_name(type);
	env->desc = nyk_progtype_desc(env->type);
	env->maps = test_maps;
	env->nmaps = sizeof(test_maps) / sizeof(test_maps[0]);
	env->reject_pc = -1;
	env->blame[0] = env->blame[1] = env->blame[2] = -1;
}

static struct nyk_insn insn(uint8_t opcode, unsigned dst, unsigned src, int16_t off, int32_t imm)
{
	struct nyk_insn i = { opcode, nyk_insn_regs(dst, src), off, imm };
	return i;
}

TEST(vfy_transfer_single_stack_spill)
{
	struct nyk_insn p[2];
	struct vfy_env env;
	unsigned live;

	p[0] = insn(NYK_CLASS_STX | NYK_MODE_MEM | NYK_SIZE_DW, 10, 1, -16, 0);
	p[1] = insn(NYK_CLASS_LDX | NYK_MODE_MEM | NYK_SIZE_DW, 3, 10, -16, 0);
	env_init(&env, p, 2, "xdp");
	vfy_state_init(&st_a);
	CHECK_EQ(vfy_transfer(&env, 0, &st_a, &st_b, &live), 0);
	CHECK_EQ(live, VFY_FALL);
	CHECK(st_a.frames[0].spilled >> 62 & 1);
	CHECK_EQ(st_a.frames[0].depth, 16);
	CHECK_EQ(vfy_transfer(&env, 1, &st_a, &st_b, &live), 0);
	CHECK_EQ(st_a.regs[3].kind, VFY_CTX);
}

TEST(vfy_transfer_single_packet_branch)
{
	struct nyk_insn p[1];
	struct vfy_env env;
	unsigned live;

	/* if r4 > r3 goto: r4 = pkt(off=20), r3 = pkt_end; r2 = pkt(off=0) shares the base */
	p[0] = insn(NYK_CLASS_JMP | NYK_JMP_JGT | NYK_SRC_X, 4, 3, 1, 0);
	env_init(&env, p, 1, "xdp");
	vfy_state_init(&st_a);
	vfy_reg_const(&st_a.regs[2], 0, 0);
	st_a.regs[2].kind = VFY_PKT;
	st_a.regs[4] = st_a.regs[2];
	vv_const(&st_a.regs[4].v, 20);
	vfy_reg_const(&st_a.regs[3], 0, 0);
	st_a.regs[3].kind = VFY_PKT_END;
	CHECK_EQ(vfy_transfer(&env, 0, &st_a, &st_b, &live), 0);
	CHECK_EQ(live, VFY_FALL | VFY_TAKEN);
	CHECK_EQ(st_a.regs[2].range, 20);
	CHECK_EQ(st_a.regs[4].range, 0);   /* counted from r4 itself */
	CHECK_EQ(st_b.regs[2].range, 0);
}

TEST(vfy_transfer_single_null_check)
{
	struct nyk_insn p[1];
	struct vfy_env env;
	unsigned live;

	p[0] = insn(NYK_CLASS_JMP | NYK_JMP_JEQ, 0, 0, 1, 0);
	env_init(&env, p, 1, "xdp");
	vfy_state_init(&st_a);
	vfy_reg_const(&st_a.regs[0], 0, 0);
	st_a.regs[0].kind = VFY_MAP_VALUE;
	st_a.regs[0].flags = VFY_F_NULLABLE;
	st_a.regs[0].id = 7;
	st_a.regs[6] = st_a.regs[0];
	st_a.frames[0].spill[63] = st_a.regs[0];
	st_a.frames[0].spill_size[63] = 8;
	st_a.frames[0].spilled |= 1ull << 63;
	st_a.frames[0].init[7] |= 0xffull << 56;
	CHECK_EQ(vfy_transfer(&env, 0, &st_a, &st_b, &live), 0);
	CHECK_EQ(live, VFY_FALL | VFY_TAKEN);
	/* fall-through: not NULL, everywhere */
	CHECK_EQ(st_a.regs[6].kind, VFY_MAP_VALUE);
	CHECK_EQ(st_a.regs[6].flags & VFY_F_NULLABLE, 0);
	CHECK_EQ(st_a.frames[0].spill[63].flags & VFY_F_NULLABLE, 0);
	/* taken: the constant 0 */
	CHECK_EQ(st_b.regs[6].kind, VFY_SCALAR);
	CHECK(vv_is_const(&st_b.regs[6].v) && st_b.regs[6].v.val == 0);
	CHECK_EQ(st_b.frames[0].spill[63].kind, VFY_SCALAR);
}

TEST(vfy_transfer_single_refusals)
{
	struct nyk_insn p[1];
	struct vfy_env env;
	unsigned live;

	/* r1 (ctx) <<= 3: unprivileged refusal naming r1 */
	p[0] = insn(NYK_CLASS_ALU64 | NYK_ALU_LSH | NYK_SRC_K, 1, 0, 0, 3);
	env_init(&env, p, 1, "xdp");
	vfy_state_init(&st_a);
	CHECK_EQ(vfy_transfer(&env, 0, &st_a, &st_b, &live), -EACCES);
	CHECK_STR(env.reason, "left shift of a ctx pointer is not allowed");
	CHECK_EQ(env.blame[0], 1);
	CHECK_EQ(env.reject_pc, 0);
	/* privileged: negation gives an unknown scalar */
	p[0] = insn(NYK_CLASS_ALU64 | NYK_ALU_NEG, 1, 0, 0, 0);
	env_init(&env, p, 1, "xdp");
	env.privileged = true;
	vfy_state_init(&st_a);
	CHECK_EQ(vfy_transfer(&env, 0, &st_a, &st_b, &live), 0);
	CHECK_EQ(st_a.regs[1].kind, VFY_SCALAR);
}

TEST(vfy_transfer_single_bpf_loop_callback)
{
	struct nyk_insn p[3];
	struct vfy_env env;
	unsigned live;

	p[0] = insn(NYK_CLASS_JMP | NYK_JMP_CALL, 0, 0, 0, 181);
	p[1] = insn(NYK_CLASS_ALU64 | NYK_ALU_MOV, 0, 0, 0, 0);
	p[2] = insn(NYK_CLASS_JMP | NYK_JMP_EXIT, 0, 0, 0, 0);
	env_init(&env, p, 3, "xdp");
	vfy_state_init(&st_a);
	vfy_reg_const(&st_a.regs[1], 10, 0);
	vfy_reg_const(&st_a.regs[2], 1, 0);
	st_a.regs[2].kind = VFY_FUNC;
	st_a.regs[3] = st_a.regs[10];
	vv_const(&st_a.regs[3].v, (uint64_t)-8);
	vfy_reg_const(&st_a.regs[4], 0, 0);
	CHECK_EQ(vfy_transfer(&env, 0, &st_a, &st_b, &live), VFY_CALLBACK);
	CHECK_EQ(env.callback.func, 1);
	CHECK_EQ(env.callback.args[0].kind, VFY_SCALAR);
	CHECK_EQ(env.callback.args[0].v.umin, 0);
	CHECK_EQ(env.callback.args[0].v.umax, 9);
	CHECK_EQ(env.callback.args[1].kind, VFY_STACK);
	CHECK_EQ(env.callback.args[2].kind, VFY_NOT_INIT);
	CHECK_EQ(env.callback.ret_min, 0);
	CHECK_EQ(env.callback.ret_max, 1);
	/* after the call: r0 a number, r1-r5 gone */
	CHECK_EQ(st_a.regs[0].kind, VFY_SCALAR);
	CHECK_EQ(st_a.regs[1].kind, VFY_NOT_INIT);
	CHECK_EQ(st_a.regs[3].kind, VFY_NOT_INIT);
}
