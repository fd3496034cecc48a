# type: xdp
# expect: accept
# The kernel does not restrict XDP return values (unknown actions act as XDP_ABORTED at run time).
r0 = 100
exit
