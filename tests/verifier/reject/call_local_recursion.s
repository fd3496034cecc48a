# type: socket_filter
# expect: reject recursive call of function at insn
# A function that calls itself unconditionally.
call f
exit
f:
r0 = 1
call f
exit
