# type: socket_filter
# expect: accept
# Nested loops, 20 x 20.
r0 = 0
r2 = 0
outer:
r3 = 0
inner:
r0 += 1
r3 += 1
if r3 < 20 goto inner
r2 += 1
if r2 < 20 goto outer
exit
