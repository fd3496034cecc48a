/*
 * core_types.h - the same types in two layouts. The programs
 * (core_prog.c) are compiled with the local layout; core_target.c, built
 * with -DTARGET_LAYOUT, gives the target BTF in which fields moved,
 * changed size or disappeared, enum values changed, and a type is gone.
 * core_prog.c built with -DTARGET_LAYOUT is the oracle: relocated against
 * the target, both builds must compute the same. CORE_ATTR marks every
 * record: the programs define it as preserve_access_index (spelled on each
 * type, which gcc needs; clang also has a pragma for it).
 */
#ifndef CORE_TYPES_H
#define CORE_TYPES_H

#ifndef CORE_ATTR
#define CORE_ATTR
#endif

#ifndef TARGET_LAYOUT

enum core_state { ST_IDLE = 0, ST_RUN = 1, ST_DEAD = 2, ST_NEW = 5 };

struct core_inner {
	short a;
	int b;
} CORE_ATTR;

struct core_task {
	int pid;
	unsigned int flags : 3, prio : 5;
	int level : 4;
	long long start;
	char comm[16];
	struct core_inner inner;
	union {
		int u32v;
		long long u64v;
	} CORE_ATTR;
	int *ptr;
	unsigned short small;
	int gone;
	enum core_state state;
	int arr[4];
	int tail[];
} CORE_ATTR;

#else

enum core_state { ST_NEW = 7, ST_IDLE = 10, ST_RUN = 11 };

struct core_inner {
	int b;
	long pad;
	short a;
} CORE_ATTR;

struct core_task {
	long pad0;
	char comm[32];
	int pid;
	struct core_inner inner;
	unsigned long long start;
	struct {
		int other;
		union {
			long long u64v;
			int u32v;
		} CORE_ATTR;
	} CORE_ATTR;
	unsigned int small;
	unsigned int x : 7, prio : 6, flags : 3;
	long long level : 9;
	int *ptr;
	enum core_state state;
	int arr[8];
	int tail[];
} CORE_ATTR;

#endif

#endif
