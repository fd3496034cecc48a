/*
 * btf_ext.c - .BTF.ext: per code section, the functions (func_info), the
 * source lines (line_info) and the CO-RE relocations of its instructions.
 *
 * Layout (either byte order, told by the magic): a header with the offset
 * and length of each of the three info blocks, counted from the end of the
 * header. A block is a record size followed by groups of
 *   { section name (offset into .BTF strings), record count, records... }.
 * Instruction offsets are bytes in the file and instruction indices here.
 * Records larger than we know (a newer format) are read by their known
 * prefix, as the kernel and libbpf do.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "btf/btf_internal.h"

enum { EXT_HDR_MIN = 24, EXT_HDR_CORE = 32 };

struct ext_section {
	char *name;
	struct nyk_btf_func_info *func;
	struct nyk_btf_line_info *line;
	struct nyk_btf_core_relo *core;
	size_t nfunc, nline, ncore;
};

struct nyk_btf_ext {
	struct ext_section *secs;
	size_t nsecs;
};

enum info_kind { INFO_FUNC, INFO_LINE, INFO_CORE };

static const char *const info_names[] = { "func_info", "line_info", "core_relo" };
static const uint32_t info_min_size[] = { 8, 16, 16 };

static uint32_t rd32(const uint8_t *p, int be)
{
	if (be)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

void nyk_btf_ext_free(struct nyk_btf_ext *ext)
{
	if (!ext)
		return;
	for (size_t i = 0; i < ext->nsecs; i++) {
		free(ext->secs[i].name);
		free(ext->secs[i].func);
		free(ext->secs[i].line);
		free(ext->secs[i].core);
	}
	free(ext->secs);
	free(ext);
}

static struct ext_section *find_section(const struct nyk_btf_ext *ext, const char *name)
{
	if (!ext || !name)
		return NULL;
	for (size_t i = 0; i < ext->nsecs; i++)
		if (strcmp(ext->secs[i].name, name) == 0)
			return &ext->secs[i];
	return NULL;
}

static struct ext_section *get_section(struct nyk_btf_ext *ext, const char *name)
{
	struct ext_section *s = find_section(ext, name), *ns;

	if (s)
		return s;
	ns = realloc(ext->secs, (ext->nsecs + 1) * sizeof(*ns));
	if (!ns)
		return NULL;
	ext->secs = ns;
	s = &ext->secs[ext->nsecs];
	memset(s, 0, sizeof(*s));
	s->name = strdup(name);
	if (!s->name)
		return NULL;
	ext->nsecs++;
	return s;
}

struct ext_reader {
	const struct nyk_btf *btf;
	struct nyk_btf_ext *ext;
	struct nyk_error *err;
	int be;
};

static int check_string(struct ext_reader *r, enum info_kind kind, const char *sec, uint32_t i, uint32_t off,
			const char *what)
{
	if (off < r->btf->strs_len)
		return 0;
	return nyk_error_set(r->err, -EINVAL,
			     "BTF.ext: %s record %" PRIu32 " of section '%s': %s offset %" PRIu32
			     " is outside the BTF strings (%" PRIu32 " bytes)",
			     info_names[kind], i, sec, what, off, r->btf->strs_len);
}

static int bad_record(struct ext_reader *r, enum info_kind kind, const char *sec, uint32_t i, const char *what,
		      uint32_t value)
{
	return nyk_error_set(r->err, -EINVAL, "BTF.ext: %s record %" PRIu32 " of section '%s': %s (%" PRIu32 ")",
			     info_names[kind], i, sec, what, value);
}

/* Convert and check one record; `w` holds its first words in host order. */
static int read_record(struct ext_reader *r, enum info_kind kind, struct ext_section *s, uint32_t i,
		       const uint32_t *w)
{
	const char *sec = s->name;
	uint32_t insn = w[0] / 8;
	int rc;

	if (w[0] % 8)
		return bad_record(r, kind, sec, i, "instruction offset is not a multiple of 8 bytes", w[0]);
	switch (kind) {
	case INFO_FUNC: {
		const struct nyk_btf_type *t = nyk_btf_type_by_id(r->btf, w[1]);
		if (!t || nyk_btf_kind(t) != NYK_BTF_FUNC)
			return bad_record(r, kind, sec, i, "type id is not a FUNC of the BTF", w[1]);
		s->func[s->nfunc++] = (struct nyk_btf_func_info){ insn, w[1] };
		return 0;
	}
	case INFO_LINE:
		if ((rc = check_string(r, kind, sec, i, w[1], "file name")) ||
		    (rc = check_string(r, kind, sec, i, w[2], "line text")))
			return rc;
		s->line[s->nline++] = (struct nyk_btf_line_info){ insn, w[1], w[2], w[3] >> 10, w[3] & 0x3ff };
		return 0;
	case INFO_CORE:
		if (w[1] == 0 || w[1] >= nyk_btf_type_count(r->btf))
			return bad_record(r, kind, sec, i, "type id out of range", w[1]);
		if ((rc = check_string(r, kind, sec, i, w[2], "access string")))
			return rc;
		if (w[3] > NYK_CORE_TYPE_MATCHES)
			return bad_record(r, kind, sec, i, "unknown CO-RE relocation kind", w[3]);
		s->core[s->ncore++] = (struct nyk_btf_core_relo){ insn, w[1], w[2], w[3] };
		return 0;
	}
	return 0;
}

static int grow(struct ext_section *s, enum info_kind kind, uint32_t more)
{
	void **arr = kind == INFO_FUNC ? (void **)&s->func : kind == INFO_LINE ? (void **)&s->line : (void **)&s->core;
	size_t have = kind == INFO_FUNC ? s->nfunc : kind == INFO_LINE ? s->nline : s->ncore;
	size_t elem = kind == INFO_FUNC ? sizeof(*s->func) : kind == INFO_LINE ? sizeof(*s->line) : sizeof(*s->core);
	void *n = realloc(*arr, (have + more) * elem + 1);

	if (!n)
		return -ENOMEM;
	*arr = n;
	return 0;
}

/* One info block: record size, then groups of records per section. */
static int read_block(struct ext_reader *r, enum info_kind kind, const uint8_t *p, uint32_t len)
{
	uint32_t rec_size, pos = 4;

	if (len == 0)
		return 0;
	if (len < 4)
		return nyk_error_set(r->err, -EINVAL, "BTF.ext: %s block of %" PRIu32 " bytes has no record size",
				     info_names[kind], len);
	rec_size = rd32(p, r->be);
	if (rec_size < info_min_size[kind] || rec_size % 4)
		return nyk_error_set(r->err, -EINVAL, "BTF.ext: %s record size %" PRIu32 " (at least %" PRIu32
				     ", a multiple of 4)", info_names[kind], rec_size, info_min_size[kind]);
	while (pos < len) {
		uint32_t name_off, n;
		const char *name;
		struct ext_section *s;

		if (len - pos < 8)
			return nyk_error_set(r->err, -EINVAL, "BTF.ext: %s block: truncated section header at byte %" PRIu32,
					     info_names[kind], pos);
		name_off = rd32(p + pos, r->be);
		n = rd32(p + pos + 4, r->be);
		pos += 8;
		name = nyk_btf_str(r->btf, name_off);
		if (!name || !*name)
			return nyk_error_set(r->err, -EINVAL, "BTF.ext: %s block: section name offset %" PRIu32
					     " is not a name in the BTF strings", info_names[kind], name_off);
		if (n == 0)
			return nyk_error_set(r->err, -EINVAL, "BTF.ext: %s block: section '%s' has no records",
					     info_names[kind], name);
		if ((uint64_t)n * rec_size > len - pos)
			return nyk_error_set(r->err, -EINVAL, "BTF.ext: %s block: section '%s': %" PRIu32
					     " records of %" PRIu32 " bytes extend past the block", info_names[kind], name,
					     n, rec_size);
		s = get_section(r->ext, name);
		if (!s || grow(s, kind, n))
			return nyk_error_set(r->err, -ENOMEM, "BTF.ext: out of memory");
		for (uint32_t i = 0; i < n; i++, pos += rec_size) {
			uint32_t w[4];
			int rc;
			for (unsigned k = 0; k < 4; k++)
				w[k] = k * 4 < info_min_size[kind] ? rd32(p + pos + k * 4, r->be) : 0;
			if ((rc = read_record(r, kind, s, i, w)))
				return rc;
		}
	}
	return 0;
}

int nyk_btf_ext_parse(const void *data, size_t len, const struct nyk_btf *btf, struct nyk_btf_ext **out,
		      struct nyk_error *err)
{
	const uint8_t *d = data;
	struct ext_reader r = { .btf = btf, .err = err };
	uint32_t hdr_len, off[3] = { 0 }, blen[3] = { 0 };
	uint16_t magic;
	int rc = 0;

	*out = NULL;
	if (!btf)
		return nyk_error_set(err, -EINVAL, "BTF.ext: needs the object's BTF");
	if (!d || len < 8)
		return nyk_error_set(err, -EINVAL, "BTF.ext: truncated header (%zu bytes)", d ? len : 0);
	magic = (uint16_t)(d[0] | d[1] << 8);
	if (magic != 0xeb9f && magic != 0x9feb)
		return nyk_error_set(err, -EINVAL, "BTF.ext: bad magic 0x%02x%02x (0xeb9f expected)", d[0], d[1]);
	r.be = magic == 0x9feb;
	if (d[2] != 1)
		return nyk_error_set(err, -EINVAL, "BTF.ext: unsupported version %u (1 expected)", d[2]);
	if (d[3] != 0)
		return nyk_error_set(err, -EINVAL, "BTF.ext: unsupported flags 0x%x", d[3]);
	hdr_len = rd32(d + 4, r.be);
	if (hdr_len < EXT_HDR_MIN || hdr_len > len)
		return nyk_error_set(err, -EINVAL, "BTF.ext: header length %" PRIu32 " is out of range (%d..%zu)",
				     hdr_len, EXT_HDR_MIN, len);
	for (int k = 0; k < 3; k++) {
		if (k == INFO_CORE && hdr_len < EXT_HDR_CORE)
			break;
		off[k] = rd32(d + 8 + 8 * k, r.be);
		blen[k] = rd32(d + 12 + 8 * k, r.be);
		if ((uint64_t)off[k] + blen[k] > len - hdr_len)
			return nyk_error_set(err, -EINVAL, "BTF.ext: %s block (offset %" PRIu32 ", length %" PRIu32
					     ") extends past the end (%zu bytes after the header)", info_names[k], off[k],
					     blen[k], len - hdr_len);
		if (off[k] % 4)
			return nyk_error_set(err, -EINVAL, "BTF.ext: %s block offset %" PRIu32 " is not a multiple of 4",
					     info_names[k], off[k]);
	}
	r.ext = calloc(1, sizeof(*r.ext));
	if (!r.ext)
		return nyk_error_set(err, -ENOMEM, "BTF.ext: out of memory");
	for (int k = 0; k < 3 && !rc; k++)
		rc = read_block(&r, (enum info_kind)k, d + hdr_len + off[k], blen[k]);
	if (rc) {
		nyk_btf_ext_free(r.ext);
		return rc;
	}
	*out = r.ext;
	return 0;
}

size_t nyk_btf_ext_section_count(const struct nyk_btf_ext *ext)
{
	return ext ? ext->nsecs : 0;
}

const char *nyk_btf_ext_section_name(const struct nyk_btf_ext *ext, size_t i)
{
	return ext && i < ext->nsecs ? ext->secs[i].name : NULL;
}

size_t nyk_btf_ext_func_info(const struct nyk_btf_ext *ext, const char *sec, const struct nyk_btf_func_info **out)
{
	const struct ext_section *s = find_section(ext, sec);
	*out = s ? s->func : NULL;
	return s ? s->nfunc : 0;
}

size_t nyk_btf_ext_line_info(const struct nyk_btf_ext *ext, const char *sec, const struct nyk_btf_line_info **out)
{
	const struct ext_section *s = find_section(ext, sec);
	*out = s ? s->line : NULL;
	return s ? s->nline : 0;
}

size_t nyk_btf_ext_core_relos(const struct nyk_btf_ext *ext, const char *sec, const struct nyk_btf_core_relo **out)
{
	const struct ext_section *s = find_section(ext, sec);
	*out = s ? s->core : NULL;
	return s ? s->ncore : 0;
}
