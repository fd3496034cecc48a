/* Global data in every section kind, set from the host before and after load. */
#include "loader.h"

int counter = 5;                            /* .data */
const volatile int limit = 100;             /* .rodata, set before load */
const volatile __u64 big = 0x1122334455667788ULL;
long hits;                                  /* .bss */
int custom SEC(".data.custom") = 9;         /* .data.custom */
static int table[4] = { 10, 20, 30, 40 };   /* written: stays in .data */
char name[8] = "nyuki";

static __noinline int lookup_table(int i)
{
	table[i & 3] += 1;
	return table[i & 3];
}

SEC("xdp") int globals(struct xdp_md *ctx)
{
	hits++;
	counter += 1;
	return counter + limit + custom + lookup_table(2) + name[1] + (int)(big >> 60);
}

char LICENSE[] SEC("license") = "GPL";

// GCC: yes
// (gcc 12 puts const volatile variables in .data: hence CLANG-CHECK)
// CHECK: object license=GPL
// CHECK: program globals section=xdp type=xdp
// CHECK: map 0 .data section=.data type=2 key=4 value=
// CLANG-CHECK: section=.rodata type=2 key=4 value=16 max=1 flags=0x80
// CHECK: .bss section=.bss type=2 key=4 value=8 max=1 flags=0x0
// CHECK: .data.custom section=.data.custom type=2 key=4 value=4 max=1
// CHECK: var counter section=.data offset=
// CLANG-CHECK: var limit section=.rodata offset=0 size=4 btf ro
// CHECK: var limit section=
// CHECK: var hits section=.bss offset=0 size=8
// CHECK: var custom section=.data.custom offset=0 size=4
// CHECK: reloc globals insn
// CHECK: value .bss+0
// CHECK: value .data.custom+0
// CHECK: call globals insn
// CHECK: lookup_table
// ARGS: --set limit=1000 --get custom
// RUN-ARGS: --run globals --get counter --get hits
// counter 6 + limit 1000 + custom 9 + table[2] 31 + 'y' 121 + big >> 60 = 1
// RUN-CHECK: run globals retval=1168
// RUN-CHECK: get counter=6
// RUN-CHECK: get hits=1
