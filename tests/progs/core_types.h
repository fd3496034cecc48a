/*
 * core_types.h - two layouts of the same types, for the CO-RE tests:
 * core_reads.c is compiled with the first (the program's own view) and
 * core_target.c with the second (the "kernel" it runs against, given to
 * nyuki with --btf core_target.o).
 */
#ifndef CORE_TYPES_H
#define CORE_TYPES_H

#include <linux/types.h>

#ifndef CORE_TARGET_LAYOUT
struct record {
	__u32 id;          /* 0 */
	__u16 flags;       /* 4 */
	__u8 level;        /* 6 */
	__u8 pad;          /* 7 */
	__u64 value;       /* 8 */
	__u32 extra;       /* 16: not in the target */
	int delta : 5;     /* 20, bits 0-4 */
	unsigned mode : 3; /* 20, bits 5-7 */
};                         /* 24 bytes */

enum color { RED = 1, GREEN = 2, BLUE = 4 };

struct only_local {
	int x;
};
#else
struct record {
	__u64 value;       /* 0 */
	__u16 pad0;        /* 8 */
	__u16 flags;       /* 10 */
	__u32 id;          /* 12 */
	unsigned mode : 3; /* 16, bits 0-2 */
	int delta : 5;     /* 16, bits 3-7 */
	__u8 level;        /* 17 */
	__u16 more[3];     /* 18 */
};                         /* 24 bytes */

enum color { RED = 10, GREEN = 20 };
#endif

#endif
