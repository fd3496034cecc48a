/* Switch dispatch: a tiny stack-free bytecode machine driven by the data. */
#include "bench_prog.h"

BENCH(switch_vm)
{
	u64 a = 1, b = 2, c = 3;
	for (int i = 0; i < 512; i++) {
		CHECK(data + i, 1, a ^ b ^ c);
		switch (data[i] & 15) {
		case 0: a += b; break;
		case 1: b ^= c; break;
		case 2: c = c * 3 + 1; break;
		case 3: a = a << 1 | a >> 63; break;
		case 4: b -= a; break;
		case 5: c ^= a >> 7; break;
		case 6: a = b + c; break;
		case 7: b = ~b; break;
		case 8: c += 0x9e37; break;
		case 9: a *= 5; break;
		case 10: b = b >> 3 | b << 61; break;
		case 11: c = a & b; break;
		case 12: a ^= 0x55aa; break;
		case 13: b += c >> 2; break;
		case 14: c -= 1; break;
		default: a = ~a + b; break;
		}
	}
	return a ^ b ^ c;
}
