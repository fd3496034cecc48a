/*
 * inflate.c - decompress gzip data (RFC 1952 around RFC 1951 DEFLATE), for
 * reading the running kernel's /proc/config.gz without a library. Small
 * and bounds-checked rather than fast: every input read and output write
 * is checked, malformed data gives -EINVAL, and output is capped.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "loader/object_internal.h"

struct inflate {
	const uint8_t *in;
	size_t len, pos;      /* input, and the next byte */
	uint32_t bits;        /* bit buffer, least significant bit first */
	unsigned nbits;
	uint8_t *out;
	size_t n, cap, max;
};

/* A canonical Huffman code: counts per length and symbols in code order. */
struct huffman {
	uint16_t count[16];
	uint16_t symbol[288];
};

static int need_bits(struct inflate *z, unsigned n)
{
	while (z->nbits < n) {
		if (z->pos >= z->len)
			return -EINVAL;
		z->bits |= (uint32_t)z->in[z->pos++] << z->nbits;
		z->nbits += 8;
	}
	return 0;
}

static int get_bits(struct inflate *z, unsigned n, unsigned *v)
{
	if (need_bits(z, n))
		return -EINVAL;
	*v = z->bits & ((1u << n) - 1);
	z->bits >>= n;
	z->nbits -= n;
	return 0;
}

static int build(struct huffman *h, const uint8_t *lengths, unsigned n)
{
	uint16_t offs[16];
	int left = 1;

	memset(h->count, 0, sizeof(h->count));
	for (unsigned i = 0; i < n; i++)
		h->count[lengths[i]]++;
	if (h->count[0] == n)
		return 0;   /* no codes: only an error if used */
	for (unsigned len = 1; len < 16; len++) {
		left <<= 1;
		left -= h->count[len];
		if (left < 0)
			return -EINVAL;   /* over-subscribed */
	}
	offs[1] = 0;
	for (unsigned len = 1; len < 15; len++)
		offs[len + 1] = (uint16_t)(offs[len] + h->count[len]);
	for (unsigned i = 0; i < n; i++)
		if (lengths[i])
			h->symbol[offs[lengths[i]]++] = (uint16_t)i;
	return 0;
}

static int decode(struct inflate *z, const struct huffman *h, unsigned *sym)
{
	int code = 0, first = 0, index = 0;

	for (unsigned len = 1; len < 16; len++) {
		unsigned b;
		if (get_bits(z, 1, &b))
			return -EINVAL;
		code |= (int)b;
		int count = h->count[len];
		if (code - count < first) {
			*sym = h->symbol[index + (code - first)];
			return 0;
		}
		index += count;
		first += count;
		first <<= 1;
		code <<= 1;
	}
	return -EINVAL;
}

static int put(struct inflate *z, uint8_t b)
{
	if (z->n == z->cap) {
		size_t ncap = z->cap ? z->cap * 2 : 65536;
		uint8_t *no;
		if (ncap > z->max)
			ncap = z->max;
		if (z->n >= ncap)
			return -E2BIG;
		if (!(no = realloc(z->out, ncap)))
			return -ENOMEM;
		z->out = no;
		z->cap = ncap;
	}
	z->out[z->n++] = b;
	return 0;
}

static int codes(struct inflate *z, const struct huffman *lit, const struct huffman *dist)
{
	static const uint16_t lbase[29] = { 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59,
					    67, 83, 99, 115, 131, 163, 195, 227, 258 };
	static const uint8_t lextra[29] = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3,
					    4, 4, 4, 4, 5, 5, 5, 5, 0 };
	static const uint16_t dbase[30] = { 1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513,
					    769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577 };
	static const uint8_t dextra[30] = { 0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8,
					    9, 9, 10, 10, 11, 11, 12, 12, 13, 13 };

	for (;;) {
		unsigned sym, extra, d;
		size_t len, distance;
		int rc;

		if (decode(z, lit, &sym))
			return -EINVAL;
		if (sym < 256) {
			if ((rc = put(z, (uint8_t)sym)))
				return rc;
			continue;
		}
		if (sym == 256)
			return 0;
		sym -= 257;
		if (sym >= 29 || get_bits(z, lextra[sym], &extra))
			return -EINVAL;
		len = lbase[sym] + extra;
		if (decode(z, dist, &d) || d >= 30 || get_bits(z, dextra[d], &extra))
			return -EINVAL;
		distance = dbase[d] + extra;
		if (distance > z->n)
			return -EINVAL;
		while (len--)
			if ((rc = put(z, z->out[z->n - distance])))
				return rc;
	}
}

static int fixed_block(struct inflate *z)
{
	struct huffman lit, dist;
	uint8_t l[288];

	for (unsigned i = 0; i < 288; i++)
		l[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
	build(&lit, l, 288);
	memset(l, 5, 30);
	build(&dist, l, 30);
	return codes(z, &lit, &dist);
}

static int dynamic_block(struct inflate *z)
{
	static const uint8_t order[19] = { 16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15 };
	struct huffman lit, dist, len_code;
	uint8_t lengths[320];
	unsigned nlen, ndist, ncode, v;

	if (get_bits(z, 5, &nlen) || get_bits(z, 5, &ndist) || get_bits(z, 4, &ncode))
		return -EINVAL;
	nlen += 257;
	ndist += 1;
	ncode += 4;
	if (nlen > 286 || ndist > 30)
		return -EINVAL;
	memset(lengths, 0, sizeof(lengths));
	for (unsigned i = 0; i < ncode; i++) {
		if (get_bits(z, 3, &v))
			return -EINVAL;
		lengths[order[i]] = (uint8_t)v;
	}
	if (build(&len_code, lengths, 19))
		return -EINVAL;
	for (unsigned i = 0; i < nlen + ndist;) {
		unsigned sym, rep;
		uint8_t val = 0;
		if (decode(z, &len_code, &sym))
			return -EINVAL;
		if (sym < 16) {
			lengths[i++] = (uint8_t)sym;
			continue;
		}
		if (sym == 16) {
			if (i == 0 || get_bits(z, 2, &rep))
				return -EINVAL;
			val = lengths[i - 1];
			rep += 3;
		} else if (sym == 17) {
			if (get_bits(z, 3, &rep))
				return -EINVAL;
			rep += 3;
		} else {
			if (get_bits(z, 7, &rep))
				return -EINVAL;
			rep += 11;
		}
		if (i + rep > nlen + ndist)
			return -EINVAL;
		while (rep--)
			lengths[i++] = val;
	}
	if (lengths[256] == 0 || build(&lit, lengths, nlen) || build(&dist, lengths + nlen, ndist))
		return -EINVAL;
	return codes(z, &lit, &dist);
}

static int stored_block(struct inflate *z)
{
	unsigned len, nlen;
	int rc;

	z->bits = 0;   /* to a byte boundary */
	z->nbits = 0;
	if (z->len - z->pos < 4)
		return -EINVAL;
	len = z->in[z->pos] | (unsigned)z->in[z->pos + 1] << 8;
	nlen = z->in[z->pos + 2] | (unsigned)z->in[z->pos + 3] << 8;
	z->pos += 4;
	if (len != (~nlen & 0xffff) || z->len - z->pos < len)
		return -EINVAL;
	while (len--)
		if ((rc = put(z, z->in[z->pos++])))
			return rc;
	return 0;
}

int obj_gunzip(const uint8_t *in, size_t len, size_t max, uint8_t **out, size_t *out_len)
{
	struct inflate z = { .in = in, .len = len, .max = max };
	unsigned last = 0, type;
	uint8_t flags;
	int rc = 0;

	if (len < 18 || in[0] != 0x1f || in[1] != 0x8b || in[2] != 8)
		return -EINVAL;
	flags = in[3];
	z.pos = 10;
	if (flags & 4) {   /* FEXTRA */
		if (z.len - z.pos < 2)
			return -EINVAL;
		size_t xlen = in[z.pos] | (size_t)in[z.pos + 1] << 8;
		if (z.len - z.pos - 2 < xlen)
			return -EINVAL;
		z.pos += 2 + xlen;
	}
	for (unsigned f = 8; f <= 16; f <<= 1) {   /* FNAME, FCOMMENT: NUL-terminated */
		if (!(flags & f))
			continue;
		while (z.pos < z.len && in[z.pos])
			z.pos++;
		if (z.pos++ >= z.len)
			return -EINVAL;
	}
	if (flags & 2)   /* FHCRC */
		z.pos += 2;
	if (z.pos > z.len)
		return -EINVAL;
	while (!last && !rc) {
		if (get_bits(&z, 1, &last) || get_bits(&z, 2, &type))
			rc = -EINVAL;
		else if (type == 0)
			rc = stored_block(&z);
		else if (type == 1)
			rc = fixed_block(&z);
		else if (type == 2)
			rc = dynamic_block(&z);
		else
			rc = -EINVAL;
	}
	if (rc) {
		free(z.out);
		return rc;
	}
	*out = z.out;
	*out_len = z.n;
	return 0;
}
