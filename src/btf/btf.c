/*
 * btf.c - parsing and validating BTF (either byte order), look-ups by id
 * and name, sizes and alignments, and reading BTF from a raw file (such as
 * /sys/kernel/btf/vmlinux) or from the .BTF section of an ELF object.
 *
 * Parsing runs in passes over the type section, each linear:
 *   1. locate: walk the records, checking each fits in the section, and
 *      remember where each type starts;
 *   2. check: per type, its kind, name and kind-specific fields, and that
 *      every type id it refers to is in range (and of the right kind where
 *      that matters: a FUNC's type is a FUNC_PROTO, ...);
 *   3. chains: pointers, arrays, typedefs and modifiers must reach another
 *      kind within BTF_MAX_CHAIN steps (no loops), memoised per id;
 *   4. members: each struct/union member ends inside its struct;
 *   5. index: the essential-name hash.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf/btf_internal.h"
#include "nyuki/elf.h"
#include "loader/elf_internal.h"

enum { BTF_MAGIC = 0xeb9f, BTF_HDR_MIN = 24, BTF_POINTER_SIZE = 8 };

static const struct nyk_btf_type void_type;

static const char *const kind_names[] = {
	"UNKN", "INT", "PTR", "ARRAY", "STRUCT", "UNION", "ENUM", "FWD", "TYPEDEF", "VOLATILE",
	"CONST", "RESTRICT", "FUNC", "FUNC_PROTO", "VAR", "DATASEC", "FLOAT", "DECL_TAG", "TYPE_TAG",
	"ENUM64",
};

const char *nyk_btf_kind_name(unsigned kind)
{
	return kind <= NYK_BTF_KIND_MAX ? kind_names[kind] : "UNKN";
}

/* ---- names ------------------------------------------------------------- */

size_t btf_essential_len(const char *name)
{
	size_t n = strlen(name);

	/* The last "X___Y" with X and Y not underscores: the name ends before "___". */
	for (size_t i = n >= 5 ? n - 5 + 1 : 0; i-- > 0;) {
		const char *s = name + i;
		if (s[0] != '_' && s[1] == '_' && s[2] == '_' && s[3] == '_' && s[4] != '_')
			return i + 1;
	}
	return n;
}

/* A word-at-a-time hash of name[0..len) (only compared within one process). */
static uint32_t name_hash(const char *s, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15u ^ len, w;

	for (; len >= 8; s += 8, len -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdu;
		h ^= h >> 32;
	}
	w = 0;
	memcpy(&w, s, len);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53u;
	h ^= h >> 29;
	return (uint32_t)h;
}

void btf_index_range(const struct nyk_btf *btf, const char *name, size_t len, uint32_t *begin, uint32_t *end)
{
	uint32_t h = name_hash(name, len), lo = 0, hi = btf->nindex;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (btf->index_hash[mid] < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	*begin = lo;
	while (lo < btf->nindex && btf->index_hash[lo] == h)
		lo++;
	*end = lo;
}

/* ---- accessors --------------------------------------------------------- */

int nyk_btf_big_endian(const struct nyk_btf *btf)
{
	return btf->big_endian;
}

uint32_t nyk_btf_type_count(const struct nyk_btf *btf)
{
	return btf->count;
}

const struct nyk_btf_type *nyk_btf_type_by_id(const struct nyk_btf *btf, uint32_t id)
{
	if (id == 0)
		return &void_type;
	return id < btf->count ? btf_type(btf, id) : NULL;
}

const char *nyk_btf_str(const struct nyk_btf *btf, uint32_t off)
{
	return btf_name(btf, off);
}

const char *nyk_btf_type_name(const struct nyk_btf *btf, uint32_t id)
{
	const struct nyk_btf_type *t = nyk_btf_type_by_id(btf, id);
	return t ? btf_name(btf, t->name_off) : NULL;
}

int64_t nyk_btf_find(const struct nyk_btf *btf, const char *name, unsigned kind)
{
	uint32_t i, end;
	size_t len;

	if (!name || !*name)
		return -ENOENT;
	len = btf_essential_len(name);
	btf_index_range(btf, name, len, &i, &end);
	for (; i < end; i++) {
		uint32_t id = btf->index_id[i];
		const struct nyk_btf_type *t = btf_type(btf, id);
		if ((kind == NYK_BTF_UNKN || nyk_btf_kind(t) == kind) && strcmp(btf->strs + t->name_off, name) == 0)
			return id;
	}
	return -ENOENT;
}

const struct nyk_btf_type *btf_skip_mods_typedefs(const struct nyk_btf *btf, uint32_t id, uint32_t *out_id)
{
	const struct nyk_btf_type *t = nyk_btf_type_by_id(btf, id);

	/* Chains are at most BTF_MAX_CHAIN long after validation; the bound is a second guard. */
	for (int i = 0; t && i <= BTF_MAX_CHAIN; i++) {
		unsigned k = nyk_btf_kind(t);
		if (k != NYK_BTF_TYPEDEF && !btf_is_modifier(k))
			break;
		id = t->type;
		t = nyk_btf_type_by_id(btf, id);
	}
	if (out_id)
		*out_id = id;
	return t;
}

uint32_t nyk_btf_resolve(const struct nyk_btf *btf, uint32_t id)
{
	uint32_t out = id;
	btf_skip_mods_typedefs(btf, id, &out);
	return out;
}

int64_t nyk_btf_size(const struct nyk_btf *btf, uint32_t id)
{
	uint64_t mult = 1, size = 0;

	for (int depth = 0;; depth++) {
		const struct nyk_btf_type *t = nyk_btf_type_by_id(btf, id);
		if (!t || depth > 2 * BTF_MAX_CHAIN)
			return -EINVAL;
		switch (nyk_btf_kind(t)) {
		case NYK_BTF_INT: case NYK_BTF_STRUCT: case NYK_BTF_UNION: case NYK_BTF_ENUM: case NYK_BTF_ENUM64:
		case NYK_BTF_DATASEC: case NYK_BTF_FLOAT:
			size = t->size;
			break;
		case NYK_BTF_PTR:
			size = BTF_POINTER_SIZE;
			break;
		case NYK_BTF_TYPEDEF: case NYK_BTF_VOLATILE: case NYK_BTF_CONST: case NYK_BTF_RESTRICT:
		case NYK_BTF_TYPE_TAG: case NYK_BTF_VAR: case NYK_BTF_DECL_TAG:
			id = t->type;
			continue;
		case NYK_BTF_ARRAY: {
			const struct nyk_btf_array *a = nyk_btf_array_info(t);
			if (a->nelems && mult > UINT32_MAX / a->nelems)
				return -E2BIG;
			mult *= a->nelems;
			id = a->type;
			continue;
		}
		default:
			return -EINVAL;   /* void, FWD, FUNC, FUNC_PROTO have no size */
		}
		break;
	}
	if (mult && size > UINT32_MAX / mult)
		return -E2BIG;
	return (int64_t)(size * mult);
}

static int64_t align_of(const struct nyk_btf *btf, uint32_t id, int depth)
{
	const struct nyk_btf_type *t = btf_skip_mods_typedefs(btf, id, &id);

	if (!t || depth > 64)
		return -EINVAL;
	switch (nyk_btf_kind(t)) {
	case NYK_BTF_INT: case NYK_BTF_FLOAT:
		/* 16-byte scalars (__int128, long double) align to 16 in clang's BPF and x86-64 ABIs. */
		if (t->size == 16)
			return 16;
		/* fall through */
	case NYK_BTF_ENUM: case NYK_BTF_ENUM64:
		return t->size < BTF_POINTER_SIZE ? (t->size ? t->size : 1) : BTF_POINTER_SIZE;
	case NYK_BTF_PTR:
		return BTF_POINTER_SIZE;
	case NYK_BTF_ARRAY:
		return align_of(btf, nyk_btf_array_info(t)->type, depth + 1);
	case NYK_BTF_STRUCT: case NYK_BTF_UNION: {
		int64_t max = 1;
		for (unsigned i = 0; i < nyk_btf_vlen(t); i++) {
			const struct nyk_btf_member *m = &nyk_btf_members(t)[i];
			int64_t a = align_of(btf, m->type, depth + 1);
			if (a < 0)
				return a;
			if (a > max)
				max = a;   /* bitfields count too: their type aligns the struct */
			/* A member off its natural alignment means the struct is packed. */
			if (!nyk_btf_member_bitfield_size(t, i) && nyk_btf_member_bit_offset(t, i) % (8 * (uint64_t)a))
				return 1;
		}
		if (t->size % (uint64_t)max)
			return 1;
		return max;
	}
	default:
		return -EINVAL;
	}
}

int64_t nyk_btf_align(const struct nyk_btf *btf, uint32_t id)
{
	return align_of(btf, id, 0);
}

/* ---- parsing: header --------------------------------------------------- */

static uint32_t rd32(const uint8_t *p, int be)
{
	if (be)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static int host_big_endian(void)
{
	const uint16_t one = 1;
	return *(const uint8_t *)&one == 0;
}

struct btf_header {
	uint32_t hdr_len, type_off, type_len, str_off, str_len;
};

static int read_header(const uint8_t *d, size_t len, struct btf_header *h, int *be, struct nyk_error *err)
{
	uint16_t magic_le;

	if (len < 8)
		return nyk_error_set(err, -EINVAL, "BTF: truncated header (%zu bytes, at least %d needed)", len,
				     BTF_HDR_MIN);
	magic_le = (uint16_t)(d[0] | d[1] << 8);
	if (magic_le == BTF_MAGIC)
		*be = 0;
	else if (magic_le == 0x9feb)
		*be = 1;
	else
		return nyk_error_set(err, -EINVAL, "BTF: bad magic 0x%02x%02x (0xeb9f expected)", d[0], d[1]);
	if (d[2] != 1)
		return nyk_error_set(err, -EINVAL, "BTF: unsupported version %u (1 expected)", d[2]);
	if (d[3] != 0)
		return nyk_error_set(err, -EINVAL, "BTF: unsupported flags 0x%x", d[3]);
	h->hdr_len = rd32(d + 4, *be);
	if (h->hdr_len < BTF_HDR_MIN || h->hdr_len > len)
		return nyk_error_set(err, -EINVAL, "BTF: header length %" PRIu32 " is out of range (%d..%zu)",
				     h->hdr_len, BTF_HDR_MIN, len);
	/* A longer header than we know is fine if its unknown fields are zero, as the kernel says. */
	for (uint32_t i = BTF_HDR_MIN; i < h->hdr_len; i++)
		if (d[i])
			return nyk_error_set(err, -E2BIG, "BTF: header has unknown non-zero fields (byte %" PRIu32 ")",
					     i);
	h->type_off = rd32(d + 8, *be);
	h->type_len = rd32(d + 12, *be);
	h->str_off = rd32(d + 16, *be);
	h->str_len = rd32(d + 20, *be);
	return 0;
}

static int check_sections(const struct btf_header *h, size_t len, struct nyk_error *err)
{
	uint64_t body = len - h->hdr_len;
	uint64_t type_end = (uint64_t)h->type_off + h->type_len, str_end = (uint64_t)h->str_off + h->str_len;

	if (type_end > body)
		return nyk_error_set(err, -EINVAL,
				     "BTF: type section (offset %" PRIu32 ", length %" PRIu32
				     ") extends past the end (%" PRIu64 " bytes after the header)",
				     h->type_off, h->type_len, body);
	if (str_end > body)
		return nyk_error_set(err, -EINVAL,
				     "BTF: string section (offset %" PRIu32 ", length %" PRIu32
				     ") extends past the end (%" PRIu64 " bytes after the header)",
				     h->str_off, h->str_len, body);
	if (h->type_off % 4 || h->type_len % 4)
		return nyk_error_set(err, -EINVAL, "BTF: type section offset %" PRIu32 " or length %" PRIu32
				     " is not a multiple of 4", h->type_off, h->type_len);
	if (h->type_len && h->str_len && h->type_off < str_end && h->str_off < type_end)
		return nyk_error_set(err, -EINVAL, "BTF: type and string sections overlap");
	if (h->str_len == 0)
		return nyk_error_set(err, -EINVAL, "BTF: empty string section (it must hold at least \"\")");
	return 0;
}

/* ---- parsing: types ---------------------------------------------------- */

/* Words of kind-specific data after the 3-word header, or -1 for an unknown kind. */
static int64_t extra_words(unsigned kind, unsigned vlen)
{
	switch (kind) {
	case NYK_BTF_INT: case NYK_BTF_VAR: case NYK_BTF_DECL_TAG: return 1;
	case NYK_BTF_PTR: case NYK_BTF_FWD: case NYK_BTF_TYPEDEF: case NYK_BTF_VOLATILE: case NYK_BTF_CONST:
	case NYK_BTF_RESTRICT: case NYK_BTF_FUNC: case NYK_BTF_FLOAT: case NYK_BTF_TYPE_TAG:
		return 0;
	case NYK_BTF_ARRAY: return 3;
	case NYK_BTF_STRUCT: case NYK_BTF_UNION: case NYK_BTF_ENUM64: case NYK_BTF_DATASEC: return 3 * (int64_t)vlen;
	case NYK_BTF_ENUM: case NYK_BTF_FUNC_PROTO: return 2 * (int64_t)vlen;
	default: return -1;
	}
}

/* Pass 1: where each type starts. */
static int locate_types(struct nyk_btf *btf, struct nyk_error *err)
{
	size_t max = btf->nwords / 3 + 1, w = 0;
	uint32_t n = 1;

	btf->offs = malloc(max * sizeof(*btf->offs));
	if (!btf->offs)
		return nyk_error_set(err, -ENOMEM, "BTF: out of memory for %zu types", max);
	btf->offs[0] = 0;
	while (w < btf->nwords) {
		const struct nyk_btf_type *t;
		int64_t extra;

		if (btf->nwords - w < 3)
			return nyk_error_set(err, -EINVAL, "BTF: type %" PRIu32 " at byte %zu of the type section is "
					     "truncated", n, w * 4);
		t = (const struct nyk_btf_type *)(btf->words + w);
		extra = extra_words(nyk_btf_kind(t), nyk_btf_vlen(t));
		if (extra < 0)
			return nyk_error_set(err, -EINVAL, "BTF: type %" PRIu32 " has unknown kind %u", n,
					     nyk_btf_kind(t));
		if ((uint64_t)extra > btf->nwords - w - 3)
			return nyk_error_set(err, -EINVAL,
					     "BTF: type %" PRIu32 " (%s, vlen %u) extends past the end of the type "
					     "section", n, nyk_btf_kind_name(nyk_btf_kind(t)), nyk_btf_vlen(t));
		if (n == UINT32_MAX)
			return nyk_error_set(err, -E2BIG, "BTF: too many types");
		btf->offs[n++] = (uint32_t)w;
		w += 3 + (size_t)extra;
	}
	btf->count = n;
	return 0;
}

struct checker {
	struct nyk_btf *btf;
	struct nyk_error *err;
	uint32_t id;
};

static int bad(struct checker *c, const char *what, uint64_t value)
{
	const struct nyk_btf_type *t = btf_type(c->btf, c->id);
	const char *name = btf_name(c->btf, t->name_off);
	return nyk_error_set(c->err, -EINVAL, "BTF: type %" PRIu32 " (%s '%.64s'): %s (%" PRIu64 ")", c->id,
			     nyk_btf_kind_name(nyk_btf_kind(t)), name && *name ? name : "(anon)", what, value);
}

static int check_str(struct checker *c, uint32_t off, const char *what)
{
	if (off >= c->btf->strs_len) {
		char msg[96];
		snprintf(msg, sizeof(msg), "%s: string offset out of range (string section is %" PRIu32 " bytes)",
			 what, c->btf->strs_len);
		return bad(c, msg, off);
	}
	return 0;
}

static int check_ref(struct checker *c, uint32_t ref, const char *what)
{
	if (ref >= c->btf->count) {
		char msg[96];
		snprintf(msg, sizeof(msg), "%s refers to a type id out of range (%" PRIu32 " types)", what,
			 c->btf->count - 1);
		return bad(c, msg, ref);
	}
	return 0;
}

static unsigned kind_of(const struct nyk_btf *btf, uint32_t id)
{
	return id ? nyk_btf_kind(btf_type(btf, id)) : NYK_BTF_UNKN;
}

static int check_int(struct checker *c, const struct nyk_btf_type *t)
{
	unsigned enc = nyk_btf_int_encoding(t), bits = nyk_btf_int_bits(t), off = nyk_btf_int_offset(t);

	if (t->size != 1 && t->size != 2 && t->size != 4 && t->size != 8 && t->size != 16)
		return bad(c, "integer size is not 1, 2, 4, 8 or 16", t->size);
	if (bits == 0 || bits > 128 || (uint64_t)off + bits > (uint64_t)t->size * 8)
		return bad(c, "integer bits do not fit its size", bits);
	/* The kernel wants one encoding bit at most; gcc marks char SIGNED|CHAR, libbpf accepts that. */
	if (nyk_btf_int_data(t) & 0xf0000000u || enc > (NYK_BTF_INT_SIGNED | NYK_BTF_INT_CHAR | NYK_BTF_INT_BOOL))
		return bad(c, "invalid integer encoding", enc);
	return 0;
}

static int check_members(struct checker *c, const struct nyk_btf_type *t)
{
	for (unsigned i = 0; i < nyk_btf_vlen(t); i++) {
		const struct nyk_btf_member *m = &nyk_btf_members(t)[i];
		int rc;
		if ((rc = check_str(c, m->name_off, "member name")) || (rc = check_ref(c, m->type, "a member")))
			return rc;
		if (nyk_btf_member_bitfield_size(t, i) > 128)
			return bad(c, "bitfield size larger than 128", nyk_btf_member_bitfield_size(t, i));
	}
	return 0;
}

static int check_enum(struct checker *c, const struct nyk_btf_type *t)
{
	unsigned k = nyk_btf_kind(t);

	if (t->size != 1 && t->size != 2 && t->size != 4 && t->size != 8)
		return bad(c, "enum size is not 1, 2, 4 or 8", t->size);
	for (unsigned i = 0; i < nyk_btf_vlen(t); i++) {
		uint32_t off = k == NYK_BTF_ENUM ? nyk_btf_enums(t)[i].name_off : nyk_btf_enums64(t)[i].name_off;
		int rc = check_str(c, off, "enumerator name");
		if (rc)
			return rc;
		if (!c->btf->strs[off])
			return bad(c, "enumerator without a name", i);
	}
	return 0;
}

static int check_func_proto(struct checker *c, const struct nyk_btf_type *t)
{
	int rc = check_ref(c, t->type, "the return type");

	for (unsigned i = 0; !rc && i < nyk_btf_vlen(t); i++) {
		const struct nyk_btf_param *p = &nyk_btf_params(t)[i];
		if ((rc = check_str(c, p->name_off, "parameter name")) || (rc = check_ref(c, p->type, "a parameter")))
			return rc;
		/* void is only allowed as the last parameter, meaning "..." */
		if (p->type == 0 && (i + 1 != nyk_btf_vlen(t) || p->name_off))
			return bad(c, "parameter of type void that is not a trailing '...'", i);
	}
	return rc;
}

static int check_datasec(struct checker *c, const struct nyk_btf_type *t)
{
	for (unsigned i = 0; i < nyk_btf_vlen(t); i++) {
		const struct nyk_btf_var_secinfo *v = &nyk_btf_secinfos(t)[i];
		unsigned k;
		int rc = check_ref(c, v->type, "a variable");
		if (rc)
			return rc;
		k = kind_of(c->btf, v->type);
		if (k != NYK_BTF_VAR && k != NYK_BTF_FUNC)
			return bad(c, "section entry is not a VAR or FUNC", v->type);
		if ((uint64_t)v->offset + v->size > UINT32_MAX)
			return bad(c, "section entry offset + size overflows", v->offset);
		if (t->size && (uint64_t)v->offset + v->size > t->size)
			return bad(c, "section entry extends past the section size", v->offset);
	}
	return 0;
}

static int check_decl_tag(struct checker *c, const struct nyk_btf_type *t)
{
	int32_t idx = nyk_btf_decl_tag_info(t)->component_idx;
	int rc = check_ref(c, t->type, "the tagged type");
	const struct nyk_btf_type *target;

	if (rc)
		return rc;
	if (idx < -1)
		return bad(c, "component index below -1", (uint64_t)(int64_t)idx);
	if (idx == -1)
		return 0;
	target = nyk_btf_type_by_id(c->btf, t->type);
	if (btf_is_composite(target) && (uint32_t)idx < nyk_btf_vlen(target))
		return 0;
	if (nyk_btf_kind(target) == NYK_BTF_FUNC && kind_of(c->btf, target->type) == NYK_BTF_FUNC_PROTO &&
	    (uint32_t)idx < nyk_btf_vlen(btf_type(c->btf, target->type)))
		return 0;
	return bad(c, "component index out of range of the tagged type", (uint64_t)idx);
}

/* Pass 2: one type's fields. */
static int check_type(struct checker *c)
{
	const struct nyk_btf_type *t = btf_type(c->btf, c->id);
	unsigned kind = nyk_btf_kind(t), vlen = nyk_btf_vlen(t);
	int named, rc;

	if ((rc = check_str(c, t->name_off, "name")))
		return rc;
	named = c->btf->strs[t->name_off] != 0;
	if (t->info & 0x60ff0000u)
		return bad(c, "reserved bits of info are set", t->info);
	switch (kind) {
	case NYK_BTF_INT: case NYK_BTF_PTR: case NYK_BTF_ARRAY: case NYK_BTF_TYPEDEF: case NYK_BTF_VOLATILE:
	case NYK_BTF_CONST: case NYK_BTF_RESTRICT: case NYK_BTF_FUNC: case NYK_BTF_VAR: case NYK_BTF_FLOAT:
	case NYK_BTF_TYPE_TAG: case NYK_BTF_DECL_TAG: case NYK_BTF_FWD:
		if (vlen && kind != NYK_BTF_FUNC)
			return bad(c, "vlen must be 0 for this kind", vlen);
		break;
	default:
		break;
	}
	/* kind_flag: bitfield offsets, union forwards, signed enums, tags that are attributes (kernel 6.13+). */
	if (nyk_btf_kflag(t) && kind != NYK_BTF_STRUCT && kind != NYK_BTF_UNION && kind != NYK_BTF_FWD &&
	    kind != NYK_BTF_ENUM && kind != NYK_BTF_ENUM64 && kind != NYK_BTF_TYPE_TAG && kind != NYK_BTF_DECL_TAG)
		return bad(c, "kind_flag set on a kind that has none", 1);
	switch (kind) {
	case NYK_BTF_INT:
		return check_int(c, t);
	case NYK_BTF_PTR: case NYK_BTF_VOLATILE: case NYK_BTF_CONST: case NYK_BTF_RESTRICT:
		return check_ref(c, t->type, "it");
	case NYK_BTF_TYPEDEF: case NYK_BTF_TYPE_TAG:
		if (!named)
			return bad(c, "has no name", 0);
		return check_ref(c, t->type, "it");
	case NYK_BTF_ARRAY: {
		const struct nyk_btf_array *a = nyk_btf_array_info(t);
		if (t->size)
			return bad(c, "array size field must be 0", t->size);
		if ((rc = check_ref(c, a->type, "the element type")))
			return rc;
		return check_ref(c, a->index_type, "the index type");
	}
	case NYK_BTF_STRUCT: case NYK_BTF_UNION:
		return check_members(c, t);
	case NYK_BTF_ENUM: case NYK_BTF_ENUM64:
		return check_enum(c, t);
	case NYK_BTF_FWD:
		return named ? 0 : bad(c, "has no name", 0);
	case NYK_BTF_FUNC:
		/* gcc 12 emits anonymous FUNCs (and VARs) that libbpf accepts: names are not required. */
		if (vlen > NYK_BTF_FUNC_EXTERN)
			return bad(c, "unknown linkage", vlen);
		if ((rc = check_ref(c, t->type, "it")))
			return rc;
		return kind_of(c->btf, t->type) == NYK_BTF_FUNC_PROTO ? 0 : bad(c, "type is not a FUNC_PROTO", t->type);
	case NYK_BTF_FUNC_PROTO:
		return check_func_proto(c, t);
	case NYK_BTF_VAR:
		if (nyk_btf_var_info(t)->linkage > NYK_BTF_VAR_EXTERN)
			return bad(c, "unknown linkage", nyk_btf_var_info(t)->linkage);
		return check_ref(c, t->type, "it");
	case NYK_BTF_DATASEC:
		if (!named)
			return bad(c, "has no name", 0);
		return check_datasec(c, t);
	case NYK_BTF_FLOAT:
		if (t->size != 2 && t->size != 4 && t->size != 8 && t->size != 12 && t->size != 16)
			return bad(c, "float size is not 2, 4, 8, 12 or 16", t->size);
		return 0;
	case NYK_BTF_DECL_TAG:
		if (!named)
			return bad(c, "has no name", 0);
		return check_decl_tag(c, t);
	default:
		return bad(c, "unknown kind", kind);
	}
}

static int is_chain_kind(unsigned k)
{
	return k == NYK_BTF_PTR || k == NYK_BTF_ARRAY || k == NYK_BTF_TYPEDEF || btf_is_modifier(k);
}

static uint32_t chain_next(const struct nyk_btf_type *t)
{
	return nyk_btf_kind(t) == NYK_BTF_ARRAY ? nyk_btf_array_info(t)->type : t->type;
}

/* Pass 3: every chain of pointers/arrays/typedefs/modifiers ends, within BTF_MAX_CHAIN steps. */
static int check_chains(struct nyk_btf *btf, struct checker *c)
{
	enum { UNSEEN = 0, BUSY = 0xff };
	uint8_t *depth = calloc(btf->count, 1);
	uint32_t path[BTF_MAX_CHAIN + 2];
	int rc = 0;

	if (!depth)
		return nyk_error_set(c->err, -ENOMEM, "BTF: out of memory");
	for (uint32_t id = 1; id < btf->count && !rc; id++) {
		size_t n = 0;
		uint32_t cur = id;
		unsigned base;

		while (cur && depth[cur] == UNSEEN && is_chain_kind(kind_of(btf, cur))) {
			if (n == BTF_MAX_CHAIN + 1)
				break;
			depth[cur] = BUSY;
			path[n++] = cur;
			cur = chain_next(btf_type(btf, cur));
		}
		if (n == 0)
			continue;
		c->id = path[0];
		if (cur && depth[cur] == BUSY && n <= BTF_MAX_CHAIN) {
			c->id = cur;
			rc = bad(c, "loop of pointers, arrays, typedefs or modifiers through this type", cur);
			break;
		}
		base = cur && is_chain_kind(kind_of(btf, cur)) ? depth[cur] : 0;
		if (base == BUSY || base + n > BTF_MAX_CHAIN) {
			rc = bad(c, "chain of pointers, arrays, typedefs or modifiers deeper than 32 (or a loop)",
				 base == BUSY ? n : base + n);
			break;
		}
		for (size_t i = n; i-- > 0;)
			depth[path[i]] = (uint8_t)(base + (n - i));
	}
	free(depth);
	return rc;
}

/* Pass 4: members lie inside their struct or union. */
static int check_member_bounds(struct nyk_btf *btf, struct checker *c)
{
	for (uint32_t id = 1; id < btf->count; id++) {
		const struct nyk_btf_type *t = btf_type(btf, id);
		if (!btf_is_composite(t))
			continue;
		c->id = id;
		for (unsigned i = 0; i < nyk_btf_vlen(t); i++) {
			uint64_t bits = nyk_btf_member_bitfield_size(t, i);
			uint64_t end;
			if (!bits) {
				uint32_t mid = nyk_btf_members(t)[i].type;
				const struct nyk_btf_type *mt = btf_skip_mods_typedefs(btf, mid, NULL);
				int64_t size = nyk_btf_size(btf, mid);
				if (mt && nyk_btf_kind(mt) == NYK_BTF_INT)   /* old-style bitfields: bits of the INT */
					bits = nyk_btf_int_offset(mt) + nyk_btf_int_bits(mt);
				else if (size >= 0)
					bits = (uint64_t)size * 8;
				else
					continue;   /* unsized members (functions, forward declarations) are left to users */
			}
			end = nyk_btf_member_bit_offset(t, i) + bits;
			if (end > (uint64_t)t->size * 8) {
				char msg[160];
				const char *mn = btf_name(btf, nyk_btf_members(t)[i].name_off);
				snprintf(msg, sizeof(msg), "member %u ('%.64s') ends past the %s size %" PRIu32
					 " at bit", i, *mn ? mn : "(anon)", nyk_btf_kind(t) == NYK_BTF_UNION ? "union" :
					 "struct", t->size);
				return bad(c, msg, end);
			}
		}
	}
	return 0;
}

/* Hash of a name's essential part. */
static uint32_t essential_hash(const char *name)
{
	size_t len = strstr(name, "___") ? btf_essential_len(name) : strlen(name);
	return name_hash(name, len);
}

/* Pass 5: the essential-name index, sorted by hash (LSD radix sort: stable, so ids stay ascending). */
static int build_index(struct nyk_btf *btf, struct nyk_error *err)
{
	uint32_t n = 0, *tmp_h, *tmp_id;
	enum { BITS = 11, RADIX = 1 << BITS };

	btf->index_hash = malloc((btf->count + 1) * sizeof(uint32_t));
	btf->index_id = malloc((btf->count + 1) * sizeof(uint32_t));
	tmp_h = malloc((btf->count + 1) * sizeof(uint32_t));
	tmp_id = malloc((btf->count + 1) * sizeof(uint32_t));
	if (!btf->index_hash || !btf->index_id || !tmp_h || !tmp_id) {
		free(tmp_h);
		free(tmp_id);
		return nyk_error_set(err, -ENOMEM, "BTF: out of memory");
	}
	for (uint32_t id = 1; id < btf->count; id++) {
		const char *name = btf->strs + btf_type(btf, id)->name_off;
		if (!*name)
			continue;
		btf->index_hash[n] = essential_hash(name);
		btf->index_id[n++] = id;
	}
	for (unsigned shift = 0; shift < 32; shift += BITS) {
		uint32_t counts[RADIX] = { 0 }, sum = 0;
		uint32_t *sh = btf->index_hash, *si = btf->index_id;
		for (uint32_t i = 0; i < n; i++)
			counts[(sh[i] >> shift) & (RADIX - 1)]++;
		for (uint32_t b = 0; b < RADIX; b++) {
			uint32_t c = counts[b];
			counts[b] = sum;
			sum += c;
		}
		for (uint32_t i = 0; i < n; i++) {
			uint32_t at = counts[(sh[i] >> shift) & (RADIX - 1)]++;
			tmp_h[at] = sh[i];
			tmp_id[at] = si[i];
		}
		btf->index_hash = tmp_h;
		btf->index_id = tmp_id;
		tmp_h = sh;
		tmp_id = si;
	}
	free(tmp_h);
	free(tmp_id);
	btf->nindex = n;
	return 0;
}

void nyk_btf_free(struct nyk_btf *btf)
{
	if (!btf)
		return;
	if (btf->owned) {
		free(btf->owned);
	} else {
		free(btf->words);
		free(btf->strs);
	}
	free(btf->offs);
	free(btf->index_hash);
	free(btf->index_id);
	free(btf);
}

/*
 * Parse `len` bytes at `d`. With `owned` (a malloc'ed buffer holding d, which
 * this function then owns) the sections are used in place when they are in
 * host byte order and aligned, saving a copy of a large file.
 */
static int parse(const uint8_t *d, size_t len, uint8_t *owned, struct nyk_btf **out, struct nyk_error *err)
{
	struct btf_header h = { 0 };
	struct nyk_btf *btf;
	struct checker c;
	const uint8_t *types;
	int be = 0, rc;

	*out = NULL;
	if (!d)
		len = 0;
	if ((rc = read_header(d, len, &h, &be, err)) || (rc = check_sections(&h, len, err))) {
		free(owned);
		return rc;
	}
	btf = calloc(1, sizeof(*btf));
	if (!btf) {
		free(owned);
		return nyk_error_set(err, -ENOMEM, "BTF: out of memory");
	}
	btf->big_endian = be;
	btf->nwords = h.type_len / 4;
	btf->strs_len = h.str_len;
	types = d + h.hdr_len + h.type_off;
	if (owned && be == host_big_endian() && (uintptr_t)types % 4 == 0) {
		btf->owned = owned;
		btf->words = (uint32_t *)(uintptr_t)types;
		btf->strs = (char *)(uintptr_t)(d + h.hdr_len + h.str_off);
	} else {
		btf->words = malloc(h.type_len ? h.type_len : 1);
		btf->strs = malloc(h.str_len);
		if (!btf->words || !btf->strs) {
			free(owned);
			nyk_btf_free(btf);
			return nyk_error_set(err, -ENOMEM, "BTF: out of memory for %" PRIu32 " bytes",
					     h.type_len + h.str_len);
		}
		if (be == host_big_endian())
			memcpy(btf->words, types, h.type_len);
		else
			for (size_t i = 0; i < btf->nwords; i++)
				btf->words[i] = rd32(types + 4 * i, be);
		memcpy(btf->strs, d + h.hdr_len + h.str_off, h.str_len);
		free(owned);
	}
	if (btf->strs[0] || btf->strs[h.str_len - 1]) {
		nyk_btf_free(btf);
		return nyk_error_set(err, -EINVAL, "BTF: the string section must start and end with a NUL byte");
	}

	c.btf = btf;
	c.err = err;
	if ((rc = locate_types(btf, err)))
		goto fail;
	for (c.id = 1; c.id < btf->count; c.id++)
		if ((rc = check_type(&c)))
			goto fail;
	if ((rc = check_chains(btf, &c)) || (rc = check_member_bounds(btf, &c)) || (rc = build_index(btf, err)))
		goto fail;
	*out = btf;
	return 0;
fail:
	nyk_btf_free(btf);
	return rc;
}

int nyk_btf_parse(const void *data, size_t len, struct nyk_btf **out, struct nyk_error *err)
{
	return parse(data, len, NULL, out, err);
}

/* ---- fix-ups ----------------------------------------------------------- */

static int cmp_secinfo(const void *a, const void *b)
{
	const struct nyk_btf_var_secinfo *x = a, *y = b;
	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

int nyk_btf_datasec_fixup(struct nyk_btf *btf, uint32_t id, uint32_t size, const uint32_t *offsets,
			  struct nyk_error *err)
{
	struct nyk_btf_type *t;
	struct nyk_btf_var_secinfo *v;
	unsigned vlen;

	if (id == 0 || id >= btf->count || nyk_btf_kind(btf_type(btf, id)) != NYK_BTF_DATASEC)
		return nyk_error_set(err, -EINVAL, "BTF: type %" PRIu32 " is not a DATASEC", id);
	t = (struct nyk_btf_type *)(btf->words + btf->offs[id]);
	v = (struct nyk_btf_var_secinfo *)(t + 1);
	vlen = nyk_btf_vlen(t);
	for (unsigned i = 0; i < vlen; i++) {
		uint64_t off = offsets ? offsets[i] : v[i].offset;
		if (off + v[i].size > size)
			return nyk_error_set(err, -EINVAL,
					     "BTF: DATASEC '%s': variable '%s' (offset %" PRIu64 ", size %" PRIu32
					     ") does not fit in the section's %" PRIu32 " bytes",
					     btf->strs + t->name_off, nyk_btf_type_name(btf, v[i].type), off, v[i].size,
					     size);
	}
	t->size = size;
	if (offsets)
		for (unsigned i = 0; i < vlen; i++)
			v[i].offset = offsets[i];
	qsort(v, vlen, sizeof(*v), cmp_secinfo);
	return 0;
}

/* ---- files ------------------------------------------------------------- */

/* The .BTF of an ELF object, or raw BTF; with `owned` as in parse(). */
static int load(const uint8_t *data, size_t len, uint8_t *owned, struct nyk_btf **btf, struct nyk_error *err)
{
	struct elf_file ef;
	const uint8_t *sec;
	uint64_t size;
	size_t idx;
	int rc;

	*btf = NULL;
	if (!nyk_elf_is_elf(data, len))
		return parse(data, len, owned, btf, err);
	if ((rc = elf_open(&ef, data, len, err))) {
		free(owned);
		return rc;
	}
	idx = elf_find_section(&ef, ".BTF");
	if (!idx) {
		elf_close(&ef);
		free(owned);
		return nyk_error_set(err, -ENOENT, "the object has no .BTF section (compile with clang -g or gcc -gbtf)");
	}
	sec = elf_section_data(&ef, idx, &size);
	elf_close(&ef);
	return parse(sec, (size_t)size, owned, btf, err);
}

int nyk_btf_load_mem(const void *data, size_t len, struct nyk_btf **btf, struct nyk_error *err)
{
	return load(data, len, NULL, btf, err);
}

int nyk_btf_load_file(const char *path, struct nyk_btf **btf, struct nyk_error *err)
{
	FILE *f;
	uint8_t *buf = NULL;
	size_t len = 0, cap = 1 << 20;
	long hint;

	*btf = NULL;
	nyk_error_set_file(err, path);
	f = fopen(path, "rb");
	if (!f)
		return nyk_error_set(err, -errno, "cannot open: %s", strerror(errno));
	/* The size, when the file tells it (sysfs does), saves growing the buffer; read to the end regardless. */
	if (fseek(f, 0, SEEK_END) == 0 && (hint = ftell(f)) > 0 && (unsigned long)hint < SIZE_MAX / 2)
		cap = (size_t)hint + 1;
	rewind(f);
	for (;;) {
		size_t n;
		if (!buf || len == cap) {
			uint8_t *nb;
			if (buf)
				cap *= 2;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				fclose(f);
				return nyk_error_set(err, -ENOMEM, "out of memory reading the file");
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		return nyk_error_set(err, -EIO, "read error");
	}
	fclose(f);
	return load(buf, len, buf, btf, err);
}
