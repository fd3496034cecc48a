/* Checksum: bitwise CRC-32 (reflected, 0xedb88320) of 256 bytes, branch-free. */
#include "bench_prog.h"

BENCH(crc32)
{
	u32 crc = 0xffffffffu;
	for (int i = 0; i < 256; i++) {
		CHECK(data + i, 1, crc);
		crc ^= data[i];
		for (int b = 0; b < 8; b++)
			crc = crc >> 1 ^ (0xedb88320u & (0u - (crc & 1)));
	}
	return ~crc;
}
