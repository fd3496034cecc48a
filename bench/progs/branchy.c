/* Branch-dense code: each byte classified by a chain of comparisons. */
#include "bench_prog.h"

BENCH(branchy)
{
	u64 score = 0;
	for (int i = 0; i < 512; i++) {
		u8 c;
		CHECK(data + i, 1, score);
		c = data[i];
		if (c < 32)
			score += 1;
		else if (c < 64)
			score += c & 3 ? 5 : 7;
		else if (c < 128) {
			if (c & 1)
				score ^= c;
			else
				score += 11;
		} else if (c == 200)
			score *= 3;
		else if (c > 240)
			score -= 13;
		else
			score += c >> 4;
	}
	return score;
}
