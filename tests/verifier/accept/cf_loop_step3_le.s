# type: socket_filter
# expect: accept
# Step 3 with an inclusive bound (r2 <= 300).
r0 = 0
r2 = 0
head:
r0 ^= r2
r2 += 3
if r2 <= 300 goto head
exit
