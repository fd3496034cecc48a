/* The Internet checksum (RFC 1071) of the data, in network byte order. */
#include "bench_prog.h"

BENCH(checksum)
{
	u64 sum = 0;
	for (int i = 0; i < 512; i++) {
		u16 w;
		CHECK(data + 2 * i, 2, 0);
		w = *(const u16 *)(data + 2 * i);
		sum += (u16)(w << 8 | w >> 8);
	}
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}
