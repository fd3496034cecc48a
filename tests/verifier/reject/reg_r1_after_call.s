# type: xdp
# expect: reject r1 is not initialised
# Helper calls clobber r1-r5: r1 (the context) is gone after bpf_ktime_get_ns.
call 5
r0 = *(u32 *)(r1 + 12)
r0 = 2
exit
