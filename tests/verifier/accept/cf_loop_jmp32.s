# type: socket_filter
# expect: accept
# A 32-bit counter and 32-bit compare.
w0 = 0
w2 = 0
head:
w0 += w2
w2 += 1
if w2 < 64 goto head
exit
