0: (b7) r0 = 1
1: (61) r2 = *(u32 *)(r1 +4)
2: (db) r3 = atomic64_fetch_add((u64 *)(r10 -8), r3)
3: (85) call pc+2
4: (05) goto pc-1
5: (95) exit
6: (18) r1 = map[fd:3] ll
8: (95) exit
