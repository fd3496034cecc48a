w0 += -3000
w1 += w3
r2 += -2846
r3 += r9
w4 -= -2692
w5 -= w5
r6 -= -2538
r7 -= r1
w8 *= -2384
w9 *= w7
r0 *= -2230
r1 *= r3
w2 /= -2076
w3 /= w9
r4 /= -1922
r5 /= r5
w6 s/= -1768
w7 s/= w1
r8 s/= -1614
r9 s/= r7
w0 |= -1460
w1 |= w3
r2 |= -1306
r3 |= r9
w4 &= -1152
w5 &= w5
r6 &= -998
r7 &= r1
w8 <<= -844
w9 <<= w7
r0 <<= -690
r1 <<= r3
w2 >>= -536
w3 >>= w9
r4 >>= -382
r5 >>= r5
w6 %= -228
w7 %= w1
r8 %= -74
r9 %= r7
w0 s%= 80
w1 s%= w3
r2 s%= 234
r3 s%= r9
w4 ^= 388
w5 ^= w5
r6 ^= 542
r7 ^= r1
w8 = 696
w9 = w7
r0 = 850
r1 = r3
w2 = (s8)w6
w3 = (s16)w9
r4 = (s8)r2
r5 = (s16)r5
r6 = (s32)r8
w7 s>>= 1389
w8 s>>= w4
r9 s>>= 1543
r0 s>>= r0
w1 = -w1
r2 = -r2
r3 = le16 r3
r4 = le32 r4
r5 = le64 r5
r6 = be16 r6
r7 = be32 r7
r8 = be64 r8
r9 = bswap16 r9
r0 = bswap32 r0
r1 = bswap64 r1
goto +1
gotol +1
if r4 == 2698 goto +1
if r5 == r5 goto +1
if w6 == 2852 goto +1
if w7 == w1 goto +1
if r8 > 3006 goto +1
if r9 > r7 goto +1
if w0 > 3160 goto +1
if w1 > w3 goto +1
if r2 >= 3314 goto +1
if r3 >= r9 goto +1
if w4 >= 3468 goto +1
if w5 >= w5 goto +1
if r6 & 3622 goto +1
if r7 & r1 goto +1
if w8 & 3776 goto +1
if w9 & w7 goto +1
if r0 != 3930 goto +1
if r1 != r3 goto +1
if w2 != 4084 goto +1
if w3 != w9 goto +1
if r4 s> 4238 goto +1
if r5 s> r5 goto +1
if w6 s> 4392 goto +1
if w7 s> w1 goto +1
if r8 s>= 4546 goto +1
if r9 s>= r7 goto +1
if w0 s>= 4700 goto +1
if w1 s>= w3 goto +1
if r2 < 4854 goto +1
if r3 < r9 goto +1
if w4 < 5008 goto +1
if w5 < w5 goto +1
if r6 <= 5162 goto +1
if r7 <= r1 goto +1
if w8 <= 5316 goto +1
if w9 <= w7 goto +1
if r0 s< 5470 goto +1
if r1 s< r3 goto +1
if w2 s< 5624 goto +1
if w3 s< w9 goto +1
if r4 s<= 5778 goto +1
if r5 s<= r5 goto +1
if w6 s<= 5932 goto +1
if w7 s<= w1 goto +1
call 6086
call pc+1
call kfunc 6240, btf_fd_idx 1
callx r1
exit
r3 = *(u32 *)(r9 - 123)
r4 = *(u16 *)(r2 + 1)
r5 = *(u8 *)(r5 - 125)
r6 = *(u64 *)(r8 + 1)
r7 = *(s32 *)(r1 - 127)
r8 = *(s16 *)(r4 + 1)
r9 = *(s8 *)(r7 - 129)
*(u32 *)(r0 + 1) = 7010
*(u16 *)(r1 - 131) = 7087
*(u8 *)(r2 + 1) = 7164
*(u64 *)(r3 - 133) = 7241
*(u32 *)(r4 + 1) = r2
*(u16 *)(r5 - 135) = r5
*(u8 *)(r6 + 1) = r8
*(u64 *)(r7 - 137) = r1
lock *(u32 *)(r8 + 1) += w4
lock *(u64 *)(r9 - 139) += r7
w0 = atomic_fetch_add((u32 *)(r0 + 1), w0)
r3 = atomic_fetch_add((u64 *)(r1 - 141), r3)
lock *(u32 *)(r2 + 1) |= w6
lock *(u64 *)(r3 - 143) |= r9
w2 = atomic_fetch_or((u32 *)(r4 + 1), w2)
r5 = atomic_fetch_or((u64 *)(r5 - 145), r5)
lock *(u32 *)(r6 + 1) &= w8
lock *(u64 *)(r7 - 147) &= r1
w4 = atomic_fetch_and((u32 *)(r8 + 1), w4)
r7 = atomic_fetch_and((u64 *)(r9 - 149), r7)
lock *(u32 *)(r0 + 1) ^= w0
lock *(u64 *)(r1 - 151) ^= r3
w6 = atomic_fetch_xor((u32 *)(r2 + 1), w6)
r9 = atomic_fetch_xor((u64 *)(r3 - 153), r9)
w2 = xchg32_32(r4 + 1, w2)
r5 = xchg_64(r5 - 155, r5)
w0 = cmpxchg32_32(r6 + 1, w0, w8)
r0 = cmpxchg_64(r7 - 157, r0, r1)
r8 = 0x5000023ce ll
r9 = map[fd:9243] ll
r0 = map[fd:9320][0]+5 ll
r1 = btf_var[9397] ll
r2 = func[pc+9474] ll
r3 = map[idx:9551] ll
r4 = map[idx:9628][0]+5 ll
r0 = *(u32 *)skb[9705]
r0 = *(u16 *)skb[9782]
r0 = *(u8 *)skb[9859]
r0 = *(u32 *)skb[r4 + 9936]
r0 = *(u16 *)skb[r7 + 10013]
r0 = *(u8 *)skb[r0 + 10090]
exit
