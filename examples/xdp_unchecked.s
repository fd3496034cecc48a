# The same program without the length check: the verifier refuses it and
# says which access is not covered.
# nyuki prog verify examples/xdp_unchecked.s type xdp
	r2 = *(u32 *)(r1 + 0)      # data
	r0 = 1                     # XDP_DROP
	r5 = *(u16 *)(r2 + 12)     # the EtherType: no comparison with data_end covers it
	if r5 != 0x8 goto out
	r0 = 2                     # XDP_PASS
out:
	exit
