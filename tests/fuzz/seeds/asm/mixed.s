# both syntaxes, labels, comments
start:
	mov %r0, 0          ; conformance
loop:	r0 += 1             // C
	if w0 s< 10 goto loop
	jne %r0, 10, bad
	call local sub
	lock fetch add32 [%r10-8], %r1
	w1 = xchg32_32(r10 - 8, w1)
	r1 = map[idx:2][0]+8 ll
	lddw %r2, func[sub]
	gotol done
bad:	.insn 0x00000000000000ff
done:	exit
<sub>:
	r0 = *(u16 *)skb[r1 - 4]
	call kfunc 7, btf_fd_idx 1
	exit
