add32 %r0, -3000
add32 %r1, %r3
add %r2, -2846
add %r3, %r9
sub32 %r4, -2692
sub32 %r5, %r5
sub %r6, -2538
sub %r7, %r1
mul32 %r8, -2384
mul32 %r9, %r7
mul %r0, -2230
mul %r1, %r3
div32 %r2, -2076
div32 %r3, %r9
div %r4, -1922
div %r5, %r5
sdiv32 %r6, -1768
sdiv32 %r7, %r1
sdiv %r8, -1614
sdiv %r9, %r7
or32 %r0, -1460
or32 %r1, %r3
or %r2, -1306
or %r3, %r9
and32 %r4, -1152
and32 %r5, %r5
and %r6, -998
and %r7, %r1
lsh32 %r8, -844
lsh32 %r9, %r7
lsh %r0, -690
lsh %r1, %r3
rsh32 %r2, -536
rsh32 %r3, %r9
rsh %r4, -382
rsh %r5, %r5
mod32 %r6, -228
mod32 %r7, %r1
mod %r8, -74
mod %r9, %r7
smod32 %r0, 80
smod32 %r1, %r3
smod %r2, 234
smod %r3, %r9
xor32 %r4, 388
xor32 %r5, %r5
xor %r6, 542
xor %r7, %r1
mov32 %r8, 696
mov32 %r9, %r7
mov %r0, 850
mov %r1, %r3
movsx832 %r2, %r6
movsx1632 %r3, %r9
movsx864 %r4, %r2
movsx1664 %r5, %r5
movsx3264 %r6, %r8
arsh32 %r7, 1389
arsh32 %r8, %r4
arsh %r9, 1543
arsh %r0, %r0
neg32 %r1
neg %r2
le16 %r3
le32 %r4
le64 %r5
be16 %r6
be32 %r7
be64 %r8
bswap16 %r9
bswap32 %r0
bswap64 %r1
ja +1
ja32 +1
jeq %r4, 2698, +1
jeq %r5, %r5, +1
jeq32 %r6, 2852, +1
jeq32 %r7, %r1, +1
jgt %r8, 3006, +1
jgt %r9, %r7, +1
jgt32 %r0, 3160, +1
jgt32 %r1, %r3, +1
jge %r2, 3314, +1
jge %r3, %r9, +1
jge32 %r4, 3468, +1
jge32 %r5, %r5, +1
jset %r6, 3622, +1
jset %r7, %r1, +1
jset32 %r8, 3776, +1
jset32 %r9, %r7, +1
jne %r0, 3930, +1
jne %r1, %r3, +1
jne32 %r2, 4084, +1
jne32 %r3, %r9, +1
jsgt %r4, 4238, +1
jsgt %r5, %r5, +1
jsgt32 %r6, 4392, +1
jsgt32 %r7, %r1, +1
jsge %r8, 4546, +1
jsge %r9, %r7, +1
jsge32 %r0, 4700, +1
jsge32 %r1, %r3, +1
jlt %r2, 4854, +1
jlt %r3, %r9, +1
jlt32 %r4, 5008, +1
jlt32 %r5, %r5, +1
jle %r6, 5162, +1
jle %r7, %r1, +1
jle32 %r8, 5316, +1
jle32 %r9, %r7, +1
jslt %r0, 5470, +1
jslt %r1, %r3, +1
jslt32 %r2, 5624, +1
jslt32 %r3, %r9, +1
jsle %r4, 5778, +1
jsle %r5, %r5, +1
jsle32 %r6, 5932, +1
jsle32 %r7, %r1, +1
call 6086
call local +1
call runtime 6240, btf_fd_idx 1
callx %r1
exit
ldxw %r3, [%r9-123]
ldxh %r4, [%r2+1]
ldxb %r5, [%r5-125]
ldxdw %r6, [%r8+1]
ldxsw %r7, [%r1-127]
ldxsh %r8, [%r4+1]
ldxsb %r9, [%r7-129]
stw [%r0+1], 7010
sth [%r1-131], 7087
stb [%r2+1], 7164
stdw [%r3-133], 7241
stxw [%r4+1], %r2
stxh [%r5-135], %r5
stxb [%r6+1], %r8
stxdw [%r7-137], %r1
lock add32 [%r8+1], %r4
lock add [%r9-139], %r7
lock fetch add32 [%r0+1], %r0
lock fetch add [%r1-141], %r3
lock or32 [%r2+1], %r6
lock or [%r3-143], %r9
lock fetch or32 [%r4+1], %r2
lock fetch or [%r5-145], %r5
lock and32 [%r6+1], %r8
lock and [%r7-147], %r1
lock fetch and32 [%r8+1], %r4
lock fetch and [%r9-149], %r7
lock xor32 [%r0+1], %r0
lock xor [%r1-151], %r3
lock fetch xor32 [%r2+1], %r6
lock fetch xor [%r3-153], %r9
lock xchg32 [%r4+1], %r2
lock xchg [%r5-155], %r5
lock cmpxchg32 [%r6+1], %r8
lock cmpxchg [%r7-157], %r1
lddw %r8, 0x5000023ce
lddw %r9, map[fd:9243]
lddw %r0, map[fd:9320][0]+5
lddw %r1, btf_var[9397]
lddw %r2, func[pc+9474]
lddw %r3, map[idx:9551]
lddw %r4, map[idx:9628][0]+5
ldabsw 9705
ldabsh 9782
ldabsb 9859
ldindw %r4, 9936
ldindh %r7, 10013
ldindb %r0, 10090
exit
