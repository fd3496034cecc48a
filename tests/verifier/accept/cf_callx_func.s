# type: socket_filter
# expect: accept
# kernel: skip the kernel has no callx instruction (nyuki runs it)
# callx through a function pointer loaded with lddw.
r2 = func[f] ll
r1 = 3
callx r2
exit
f:
r0 = r1
exit
