# type: socket_filter
# expect: reject may not terminate
# A loop testing a value it never changes.
r6 = *(u32 *)(r1 + 0)
r0 = 0
head:
r0 += 1
if r6 != 0 goto head
exit
