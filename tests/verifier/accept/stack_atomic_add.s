# type: socket_filter
# expect: accept
# Atomic add and fetch-add on an initialised stack slot.
r2 = 1
*(u64 *)(r10 - 8) = r2
lock *(u64 *)(r10 - 8) += r2
r3 = 5
r3 = atomic_fetch_add((u64 *)(r10 - 8), r3)
r0 = *(u64 *)(r10 - 8)
exit
