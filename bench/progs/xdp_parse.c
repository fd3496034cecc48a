/*
 * Packet parsing: Ethernet, optional VLAN, IPv4 (options skipped) and
 * TCP/UDP headers of the packet in the data, as an XDP program does; the
 * 5-tuple hashed. Parsed 16 times with a different seed each time.
 */
#include "bench_prog.h"

static ALWAYS_INLINE u64 parse(const u8 *data, const u8 *end, u64 seed)
{
	const u8 *p = data;
	u16 proto;
	u32 saddr, daddr, ihl;
	u16 sport = 0, dport = 0;
	u8 l4;
	u64 h;

	CHECK(p, 14, 1);
	proto = (u16)(p[12] << 8 | p[13]);
	p += 14;
	if (proto == 0x8100) {
		CHECK(p, 4, 2);
		proto = (u16)(p[2] << 8 | p[3]);
		p += 4;
	}
	if (proto != 0x0800)
		return 3;
	CHECK(p, 20, 4);
	ihl = (p[0] & 15) * 4u;
	if (ihl < 20 || ihl > 60)
		return 5;
	l4 = p[9];
	saddr = *(const u32 *)(p + 12);
	daddr = *(const u32 *)(p + 16);
	p += ihl;
	if (l4 == 6 || l4 == 17) {
		CHECK(p, 8, 6);
		sport = (u16)(p[0] << 8 | p[1]);
		dport = (u16)(p[2] << 8 | p[3]);
	}
	h = seed ^ saddr;
	h = h * 0x9e3779b97f4a7c15ull ^ daddr;
	h = h * 0x9e3779b97f4a7c15ull ^ ((u64)sport << 16 | dport);
	h = h * 0x9e3779b97f4a7c15ull ^ l4;
	return h ^ h >> 29;
}

BENCH(xdp_parse)
{
	u64 acc = 0;
	for (u64 s = 0; s < 16; s++)
		acc += parse(data, end, s);
	return acc;
}
