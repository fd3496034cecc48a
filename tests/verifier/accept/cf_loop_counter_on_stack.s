# type: socket_filter
# expect: accept
# The loop counter lives in a stack slot (spilled and filled every turn), as clang -O0 code does.
r0 = 0
r2 = 0
*(u64 *)(r10 - 8) = r2
head:
r2 = *(u64 *)(r10 - 8)
r0 += r2
r2 += 1
*(u64 *)(r10 - 8) = r2
if r2 < 32 goto head
exit
