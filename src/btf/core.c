/*
 * core.c - CO-RE ("compile once, run everywhere") relocations, with
 * libbpf's semantics (its relo_core.c and the kernel's BTF documentation).
 *
 * A relocation names a local type (in the object's BTF), an access string
 * ("0:1:2": array index into the root, then member or element indices) and
 * a kind. The access is parsed into a spec: the accessors that matter
 * (named members and array indices, skipping anonymous structs) and the
 * bit offset they reach. Candidates in the target BTF are the types of
 * the same kind whose name, without a ___flavor suffix, equals the local
 * one's; each is matched accessor by accessor (members by name, anywhere
 * in anonymous structs and unions, with compatible types; array indices
 * within bounds). The matching candidates give the new value, which must
 * agree among them; the instruction's old value is checked against the
 * local spec and replaced. What cannot be found poisons the instruction
 * (a call to helper 0xbad2310), which only matters if it is reached.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf/btf_internal.h"

enum { SPEC_MAX = 64, COMPAT_LEVELS = 32 };

struct accessor {
	uint32_t type_id;   /* the struct/union holding the member, or the array element type */
	uint32_t idx;       /* member index or array index */
	const char *name;   /* member name, NULL for array accesses */
};

struct spec {
	const struct nyk_btf *btf;
	uint32_t root_type_id;
	unsigned kind;
	struct accessor acc[SPEC_MAX];  /* high level: named members and array indices */
	int len;
	uint32_t raw[SPEC_MAX];         /* low level: every index of the access string */
	int raw_len;
	uint64_t bit_offset;
};

/* Why the deepest attempt to match a field access failed (for the message). */
enum miss_reason { MISS_NONE, MISS_FIELD, MISS_FIELD_TYPE, MISS_ARRAY, MISS_NOT_ARRAY };
struct miss {
	int acc;            /* local accessor that failed, -1 for none */
	enum miss_reason reason;
	uint32_t nelems;    /* for MISS_ARRAY */
};

struct relo_result {
	uint64_t orig_val, new_val;
	int poison;
	int validate;
	int fail_memsz_adjust;
	uint32_t orig_sz, new_sz;
	uint32_t orig_type_id, new_type_id;
};

static const char *const relo_kind_names[] = {
	"byte_off", "byte_sz", "field_exists", "signed", "lshift_u64", "rshift_u64", "local_type_id",
	"target_type_id", "type_exists", "type_size", "enumval_exists", "enumval_value", "type_matches",
};

const char *nyk_core_relo_kind_name(unsigned kind)
{
	return kind <= NYK_CORE_TYPE_MATCHES ? relo_kind_names[kind] : "unknown";
}

static int is_field_kind(unsigned k) { return k <= NYK_CORE_FIELD_RSHIFT_U64; }
static int is_type_kind(unsigned k)
{
	return k == NYK_CORE_TYPE_ID_LOCAL || k == NYK_CORE_TYPE_ID_TARGET || k == NYK_CORE_TYPE_EXISTS ||
	       k == NYK_CORE_TYPE_SIZE || k == NYK_CORE_TYPE_MATCHES;
}
static int is_enumval_kind(unsigned k) { return k == NYK_CORE_ENUMVAL_EXISTS || k == NYK_CORE_ENUMVAL_VALUE; }

static const char *str_or_empty(const struct nyk_btf *btf, uint32_t off)
{
	const char *s = btf_name(btf, off);
	return s ? s : "";
}

/* Same kind, or both enums of either width. */
static int kinds_compatible(const struct nyk_btf_type *a, const struct nyk_btf_type *b)
{
	return nyk_btf_kind(a) == nyk_btf_kind(b) || (btf_is_any_enum(a) && btf_is_any_enum(b));
}

/* Names equal once their ___flavor suffixes are dropped; an anonymous target only matches anonymous. */
static int names_match(const char *local, const char *targ)
{
	size_t ll, tl;

	if (!*targ)
		return !*local;
	ll = btf_essential_len(local);
	tl = btf_essential_len(targ);
	return ll == tl && strncmp(local, targ, ll) == 0;
}

static uint32_t enum_name_off(const struct nyk_btf_type *t, unsigned i)
{
	return nyk_btf_kind(t) == NYK_BTF_ENUM ? nyk_btf_enums(t)[i].name_off : nyk_btf_enums64(t)[i].name_off;
}

/* ---- access strings ---------------------------------------------------- */

/* An array that is the last member of a struct and has no elements: any index goes. */
static int is_flex_array(const struct nyk_btf *btf, const struct accessor *prev, const struct nyk_btf_array *a)
{
	if (!prev->name || a->nelems > 0)
		return 0;
	return prev->idx + 1 == nyk_btf_vlen(nyk_btf_type_by_id(btf, prev->type_id));
}

static int parse_access_string(const char *s, struct spec *spec, char *why, size_t wsize)
{
	if (!*s || *s == ':') {
		snprintf(why, wsize, "empty or malformed access string '%s'", s);
		return -EINVAL;
	}
	while (*s) {
		uint64_t v = 0;
		if (*s == ':')
			s++;
		if (*s < '0' || *s > '9') {
			snprintf(why, wsize, "malformed access string (expected a number at '%.32s')", s);
			return -EINVAL;
		}
		while (*s >= '0' && *s <= '9') {
			v = v * 10 + (uint64_t)(*s++ - '0');
			if (v > INT32_MAX) {
				snprintf(why, wsize, "access string index too large");
				return -EINVAL;
			}
		}
		if (*s && *s != ':') {
			snprintf(why, wsize, "malformed access string (unexpected '%c')", *s);
			return -EINVAL;
		}
		if (spec->raw_len == SPEC_MAX) {
			snprintf(why, wsize, "access string longer than %d indices", SPEC_MAX);
			return -E2BIG;
		}
		spec->raw[spec->raw_len++] = (uint32_t)v;
	}
	return 0;
}

/* The local spec of a relocation, checked against the local BTF. */
static int parse_spec(const struct nyk_btf *btf, const struct nyk_btf_core_relo *relo, struct spec *spec, char *why,
		      size_t wsize)
{
	const char *s = btf_name(btf, relo->access_str_off);
	const struct nyk_btf_type *t;
	uint32_t id;
	int64_t sz;
	int rc;

	memset(spec, 0, sizeof(*spec));
	spec->btf = btf;
	spec->root_type_id = relo->type_id;
	spec->kind = relo->kind;
	if (!s) {
		snprintf(why, wsize, "access string offset %" PRIu32 " is out of range", relo->access_str_off);
		return -EINVAL;
	}
	if (is_type_kind(relo->kind)) {
		if (strcmp(s, "0") != 0) {
			snprintf(why, wsize, "type relocations take the access string \"0\", not '%s'", s);
			return -EINVAL;
		}
		return 0;
	}
	if ((rc = parse_access_string(s, spec, why, wsize)))
		return rc;
	t = btf_skip_mods_typedefs(btf, relo->type_id, &id);
	if (!t) {
		snprintf(why, wsize, "type id %" PRIu32 " is out of range", relo->type_id);
		return -EINVAL;
	}
	spec->acc[0] = (struct accessor){ id, spec->raw[0], NULL };
	spec->len = 1;

	if (is_enumval_kind(relo->kind)) {
		if (!btf_is_any_enum(t) || spec->raw_len > 1 || spec->raw[0] >= nyk_btf_vlen(t)) {
			snprintf(why, wsize, "enum relocation with access '%s' on a %s of %u values", s,
				 nyk_btf_kind_name(nyk_btf_kind(t)), btf_is_any_enum(t) ? nyk_btf_vlen(t) : 0);
			return -EINVAL;
		}
		spec->acc[0].name = str_or_empty(btf, enum_name_off(t, spec->raw[0]));
		return 0;
	}
	if (!is_field_kind(relo->kind)) {
		snprintf(why, wsize, "unknown relocation kind %" PRIu32, relo->kind);
		return -EINVAL;
	}
	sz = nyk_btf_size(btf, id);
	if (sz < 0) {
		snprintf(why, wsize, "the root type has no size");
		return (int)sz;
	}
	spec->bit_offset = (uint64_t)spec->raw[0] * (uint64_t)sz * 8;

	for (int i = 1; i < spec->raw_len; i++) {
		uint32_t idx = spec->raw[i];
		t = btf_skip_mods_typedefs(btf, id, &id);
		if (!t)
			return -EINVAL;
		if (btf_is_composite(t)) {
			const struct nyk_btf_member *m;
			if (idx >= nyk_btf_vlen(t)) {
				snprintf(why, wsize, "access '%s': member index %" PRIu32 " of a %s with %u members", s, idx,
					 nyk_btf_kind_name(nyk_btf_kind(t)), nyk_btf_vlen(t));
				return -EINVAL;
			}
			m = &nyk_btf_members(t)[idx];
			spec->bit_offset += nyk_btf_member_bit_offset(t, idx);
			if (m->name_off)
				spec->acc[spec->len++] = (struct accessor){ id, idx, str_or_empty(btf, m->name_off) };
			id = m->type;
		} else if (nyk_btf_kind(t) == NYK_BTF_ARRAY) {
			const struct nyk_btf_array *a = nyk_btf_array_info(t);
			if (!btf_skip_mods_typedefs(btf, a->type, &id))
				return -EINVAL;
			if (!is_flex_array(btf, &spec->acc[spec->len - 1], a) && idx >= a->nelems) {
				snprintf(why, wsize, "access '%s': index %" PRIu32 " of an array of %" PRIu32, s, idx,
					 a->nelems);
				return -EINVAL;
			}
			spec->acc[spec->len++] = (struct accessor){ id, idx, NULL };
			sz = nyk_btf_size(btf, id);
			if (sz < 0) {
				snprintf(why, wsize, "access '%s': array element without a size", s);
				return (int)sz;
			}
			spec->bit_offset += (uint64_t)idx * (uint64_t)sz * 8;
		} else {
			snprintf(why, wsize, "access '%s': index %d goes into a %s, not a struct, union or array", s, i,
				 nyk_btf_kind_name(nyk_btf_kind(t)));
			return -EINVAL;
		}
	}
	if (spec->bit_offset > UINT32_MAX) {
		snprintf(why, wsize, "access '%s' reaches past 4 GiB", s);
		return -E2BIG;
	}
	return 0;
}

/* "struct task.x[2].name" - the access in C terms, for messages. */
static void format_access(const struct spec *spec, const struct nyk_btf *root_btf, char *buf, size_t size)
{
	const struct nyk_btf_type *t = nyk_btf_type_by_id(root_btf, spec->root_type_id);
	const char *name = t ? str_or_empty(root_btf, t->name_off) : "";
	const char *kw = "";
	size_t n;

	if (t) {
		unsigned k = nyk_btf_kind(t);
		kw = k == NYK_BTF_STRUCT ? "struct " : k == NYK_BTF_UNION ? "union " : btf_is_any_enum(t) ? "enum " : "";
	}
	snprintf(buf, size, "%s%s", kw, *name ? name : "(anon)");
	if (is_type_kind(spec->kind))
		return;
	if (is_enumval_kind(spec->kind)) {
		n = strlen(buf);
		snprintf(buf + n, size - n, "::%s", spec->acc[0].name ? spec->acc[0].name : "?");
		return;
	}
	for (int i = 0; i < spec->len; i++) {
		n = strlen(buf);
		if (n + 1 >= size)
			break;
		if (spec->acc[i].name)
			snprintf(buf + n, size - n, ".%s", spec->acc[i].name);
		else if (i > 0 || spec->acc[i].idx > 0)
			snprintf(buf + n, size - n, "[%" PRIu32 "]", spec->acc[i].idx);
	}
}

/* ---- compatibility ----------------------------------------------------- */

/* For TYPE_ID_TARGET, TYPE_EXISTS, TYPE_SIZE: structural compatibility. */
static int types_are_compat(const struct nyk_btf *lb, uint32_t lid, const struct nyk_btf *tb, uint32_t tid, int level)
{
	const struct nyk_btf_type *lt = nyk_btf_type_by_id(lb, lid), *tt = nyk_btf_type_by_id(tb, tid);

	if (!lt || !tt)
		return -EINVAL;
	if (!kinds_compatible(lt, tt))
		return 0;
	for (int depth = 0; depth < COMPAT_LEVELS; depth++) {
		lt = btf_skip_mods_typedefs(lb, lid, &lid);
		tt = btf_skip_mods_typedefs(tb, tid, &tid);
		if (!lt || !tt)
			return -EINVAL;
		if (!kinds_compatible(lt, tt))
			return 0;
		switch (nyk_btf_kind(lt)) {
		case NYK_BTF_UNKN: case NYK_BTF_STRUCT: case NYK_BTF_UNION: case NYK_BTF_ENUM: case NYK_BTF_FWD:
		case NYK_BTF_ENUM64:
			return 1;
		case NYK_BTF_INT:
			return nyk_btf_int_offset(lt) == 0 && nyk_btf_int_offset(tt) == 0;
		case NYK_BTF_PTR:
			lid = lt->type;
			tid = tt->type;
			continue;
		case NYK_BTF_ARRAY:
			lid = nyk_btf_array_info(lt)->type;
			tid = nyk_btf_array_info(tt)->type;
			continue;
		case NYK_BTF_FUNC_PROTO:
			if (nyk_btf_vlen(lt) != nyk_btf_vlen(tt))
				return 0;
			for (unsigned i = 0; i < nyk_btf_vlen(lt); i++) {
				uint32_t lp, tp;
				int rc;
				if (level <= 0)
					return -EINVAL;
				btf_skip_mods_typedefs(lb, nyk_btf_params(lt)[i].type, &lp);
				btf_skip_mods_typedefs(tb, nyk_btf_params(tt)[i].type, &tp);
				rc = types_are_compat(lb, lp, tb, tp, level - 1);
				if (rc <= 0)
					return rc;
			}
			lid = lt->type;
			tid = tt->type;
			continue;
		default:
			return 0;
		}
	}
	return -EINVAL;
}

/* For field accesses: may a local member be read as the target member? */
static int fields_are_compat(const struct nyk_btf *lb, uint32_t lid, const struct nyk_btf *tb, uint32_t tid)
{
	for (int depth = 0; depth < COMPAT_LEVELS; depth++) {
		const struct nyk_btf_type *lt = btf_skip_mods_typedefs(lb, lid, &lid);
		const struct nyk_btf_type *tt = btf_skip_mods_typedefs(tb, tid, &tid);
		if (!lt || !tt)
			return -EINVAL;
		if (btf_is_composite(lt) && btf_is_composite(tt))
			return 1;
		if (!kinds_compatible(lt, tt))
			return 0;
		switch (nyk_btf_kind(lt)) {
		case NYK_BTF_PTR: case NYK_BTF_FLOAT:
			return 1;
		case NYK_BTF_FWD: case NYK_BTF_ENUM: case NYK_BTF_ENUM64: {
			const char *ln = str_or_empty(lb, lt->name_off), *tn = str_or_empty(tb, tt->name_off);
			size_t ll = btf_essential_len(ln), tl = btf_essential_len(tn);
			return ll == 0 || tl == 0 || (ll == tl && strncmp(ln, tn, ll) == 0);
		}
		case NYK_BTF_INT:
			return nyk_btf_int_offset(lt) == 0 && nyk_btf_int_offset(tt) == 0;
		case NYK_BTF_ARRAY:
			lid = nyk_btf_array_info(lt)->type;
			tid = nyk_btf_array_info(tt)->type;
			continue;
		default:
			return 0;
		}
	}
	return -EINVAL;
}

static int types_match(const struct nyk_btf *lb, uint32_t lid, const struct nyk_btf *tb, uint32_t tid, int behind_ptr,
		       int level);

static int enums_match(const struct nyk_btf *lb, const struct nyk_btf_type *lt, const struct nyk_btf *tb,
		       const struct nyk_btf_type *tt)
{
	if (lt->size != tt->size || nyk_btf_vlen(lt) > nyk_btf_vlen(tt))
		return 0;
	for (unsigned i = 0; i < nyk_btf_vlen(lt); i++) {
		const char *ln = str_or_empty(lb, enum_name_off(lt, i));
		int found = 0;
		for (unsigned j = 0; j < nyk_btf_vlen(tt) && !found; j++)
			found = names_match(ln, str_or_empty(tb, enum_name_off(tt, j)));
		if (!found)
			return 0;
	}
	return 1;
}

static int composites_match(const struct nyk_btf *lb, const struct nyk_btf_type *lt, const struct nyk_btf *tb,
			    const struct nyk_btf_type *tt, int behind_ptr, int level)
{
	if (nyk_btf_vlen(lt) > nyk_btf_vlen(tt))
		return 0;
	for (unsigned i = 0; i < nyk_btf_vlen(lt); i++) {
		const struct nyk_btf_member *lm = &nyk_btf_members(lt)[i];
		int found = 0;
		for (unsigned j = 0; j < nyk_btf_vlen(tt) && !found; j++) {
			const struct nyk_btf_member *tm = &nyk_btf_members(tt)[j];
			int rc;
			if (!names_match(str_or_empty(lb, lm->name_off), str_or_empty(tb, tm->name_off)))
				continue;
			rc = types_match(lb, lm->type, tb, tm->type, behind_ptr, level - 1);
			if (rc < 0)
				return rc;
			found = rc > 0;
		}
		if (!found)
			return 0;
	}
	return 1;
}

/* For TYPE_MATCHES: the stricter relation libbpf documents for bpf_core_type_matches(). */
static int types_match(const struct nyk_btf *lb, uint32_t lid, const struct nyk_btf *tb, uint32_t tid, int behind_ptr,
		       int level)
{
	if (level <= 0)
		return -EINVAL;
	for (int depth = 0; depth < COMPAT_LEVELS; depth++) {
		const struct nyk_btf_type *lt = btf_skip_mods_typedefs(lb, lid, &lid);
		const struct nyk_btf_type *tt = btf_skip_mods_typedefs(tb, tid, &tid);
		unsigned lk, tk;

		if (!lt || !tt)
			return -EINVAL;
		if (!names_match(str_or_empty(lb, lt->name_off), str_or_empty(tb, tt->name_off)))
			return 0;
		lk = nyk_btf_kind(lt);
		tk = nyk_btf_kind(tt);
		switch (lk) {
		case NYK_BTF_UNKN:
			return lk == tk;
		case NYK_BTF_FWD:
			if (behind_ptr && lk != tk)
				return (tk == NYK_BTF_STRUCT && !nyk_btf_kflag(lt)) || (tk == NYK_BTF_UNION && nyk_btf_kflag(lt));
			return lk == tk && nyk_btf_kflag(lt) == nyk_btf_kflag(tt);
		case NYK_BTF_ENUM: case NYK_BTF_ENUM64:
			return btf_is_any_enum(tt) && enums_match(lb, lt, tb, tt);
		case NYK_BTF_STRUCT: case NYK_BTF_UNION:
			if (behind_ptr) {
				if (lk == tk)
					return 1;
				return tk == NYK_BTF_FWD && (lk == NYK_BTF_UNION) == (int)nyk_btf_kflag(tt);
			}
			return lk == tk && composites_match(lb, lt, tb, tt, behind_ptr, level);
		case NYK_BTF_INT:
			return lk == tk && lt->size == tt->size &&
			       (nyk_btf_int_encoding(lt) & NYK_BTF_INT_SIGNED) == (nyk_btf_int_encoding(tt) & NYK_BTF_INT_SIGNED);
		case NYK_BTF_PTR:
			if (lk != tk)
				return 0;
			behind_ptr = 1;
			lid = lt->type;
			tid = tt->type;
			continue;
		case NYK_BTF_ARRAY:
			if (lk != tk || nyk_btf_array_info(lt)->nelems != nyk_btf_array_info(tt)->nelems)
				return 0;
			lid = nyk_btf_array_info(lt)->type;
			tid = nyk_btf_array_info(tt)->type;
			continue;
		case NYK_BTF_FUNC_PROTO:
			if (lk != tk || nyk_btf_vlen(lt) != nyk_btf_vlen(tt))
				return 0;
			for (unsigned i = 0; i < nyk_btf_vlen(lt); i++) {
				int rc = types_match(lb, nyk_btf_params(lt)[i].type, tb, nyk_btf_params(tt)[i].type,
						     behind_ptr, level - 1);
				if (rc <= 0)
					return rc;
			}
			lid = lt->type;
			tid = tt->type;
			continue;
		default:
			return 0;
		}
	}
	return -EINVAL;
}

/* ---- matching a spec against a candidate ------------------------------- */

static void note_miss(struct miss *miss, int acc, enum miss_reason reason, uint32_t nelems)
{
	if (acc > miss->acc || (acc == miss->acc && reason > miss->reason)) {
		miss->acc = acc;
		miss->reason = reason;
		miss->nelems = nelems;
	}
}

/*
 * Find the member named like local accessor `la` in target type `tid`,
 * looking into anonymous members; extends the target spec. 1 found (and
 * compatible), 0 not, negative on error.
 */
static int match_member(const struct spec *ls, const struct accessor *la, const struct nyk_btf *tb, uint32_t tid,
			struct spec *ts, uint32_t *next_tid, int *incompatible)
{
	const struct nyk_btf_type *tt = btf_skip_mods_typedefs(tb, tid, &tid);
	const struct nyk_btf_type *lt = nyk_btf_type_by_id(ls->btf, la->type_id);
	const struct nyk_btf_member *lm = &nyk_btf_members(lt)[la->idx];

	if (!tt)
		return -EINVAL;
	if (!btf_is_composite(tt))
		return 0;
	for (unsigned i = 0; i < nyk_btf_vlen(tt); i++) {
		const struct nyk_btf_member *m = &nyk_btf_members(tt)[i];
		uint32_t bit = nyk_btf_member_bit_offset(tt, i);
		const char *tn = str_or_empty(tb, m->name_off);
		int found;

		if (ts->raw_len == SPEC_MAX)
			return -E2BIG;
		ts->bit_offset += bit;
		ts->raw[ts->raw_len++] = i;
		if (!*tn) {
			found = match_member(ls, la, tb, m->type, ts, next_tid, incompatible);
			if (found)
				return found;
		} else if (strcmp(la->name, tn) == 0) {
			ts->acc[ts->len++] = (struct accessor){ tid, i, tn };
			*next_tid = m->type;
			found = fields_are_compat(ls->btf, lm->type, tb, m->type);
			if (found == 0) {
				ts->len--;
				*incompatible = 1;
			}
			return found;
		}
		ts->bit_offset -= bit;
		ts->raw_len--;
	}
	return 0;
}

static int spec_match(const struct spec *ls, const struct nyk_btf *tb, uint32_t tid, struct spec *ts, struct miss *miss)
{
	memset(ts, 0, sizeof(*ts));
	ts->btf = tb;
	ts->root_type_id = tid;
	ts->kind = ls->kind;

	if (is_type_kind(ls->kind)) {
		if (ls->kind == NYK_CORE_TYPE_MATCHES)
			return types_match(ls->btf, ls->root_type_id, tb, tid, 0, COMPAT_LEVELS);
		return types_are_compat(ls->btf, ls->root_type_id, tb, tid, COMPAT_LEVELS);
	}
	if (is_enumval_kind(ls->kind)) {
		const struct nyk_btf_type *tt = btf_skip_mods_typedefs(tb, tid, &tid);
		const char *ln = ls->acc[0].name;
		size_t ll = btf_essential_len(ln);
		if (!tt || !btf_is_any_enum(tt))
			return 0;
		for (unsigned i = 0; i < nyk_btf_vlen(tt); i++) {
			const char *tn = str_or_empty(tb, enum_name_off(tt, i));
			if (btf_essential_len(tn) == ll && strncmp(ln, tn, ll) == 0) {
				ts->acc[0] = (struct accessor){ tid, i, tn };
				ts->len = 1;
				ts->raw[ts->raw_len++] = i;
				return 1;
			}
		}
		note_miss(miss, 0, MISS_FIELD, 0);
		return 0;
	}
	for (int i = 0; i < ls->len; i++) {
		const struct accessor *la = &ls->acc[i];
		const struct nyk_btf_type *tt = btf_skip_mods_typedefs(tb, tid, &tid);
		int64_t sz;

		if (!tt)
			return -EINVAL;
		if (la->name) {
			int incompatible = 0;
			int rc = match_member(ls, la, tb, tid, ts, &tid, &incompatible);
			if (rc <= 0) {
				if (rc == 0)
					note_miss(miss, i, incompatible ? MISS_FIELD_TYPE : MISS_FIELD, 0);
				return rc;
			}
			continue;
		}
		if (i > 0) {
			const struct nyk_btf_array *a;
			if (nyk_btf_kind(tt) != NYK_BTF_ARRAY) {
				note_miss(miss, i, MISS_NOT_ARRAY, 0);
				return 0;
			}
			a = nyk_btf_array_info(tt);
			if (!is_flex_array(tb, &ts->acc[ts->len - 1], a) && la->idx >= a->nelems) {
				note_miss(miss, i, MISS_ARRAY, a->nelems);
				return 0;
			}
			if (!btf_skip_mods_typedefs(tb, a->type, &tid))
				return -EINVAL;
		}
		if (ts->raw_len == SPEC_MAX)
			return -E2BIG;
		ts->acc[ts->len++] = (struct accessor){ tid, la->idx, NULL };
		ts->raw[ts->raw_len++] = la->idx;
		sz = nyk_btf_size(tb, tid);
		if (sz < 0)
			return (int)sz;
		ts->bit_offset += (uint64_t)la->idx * (uint64_t)sz * 8;
	}
	return 1;
}

/* ---- values ------------------------------------------------------------ */

/* -EUCLEAN asks for poisoning, as in libbpf. */
static int field_value(unsigned kind, const struct spec *spec, uint64_t *val, uint32_t *field_sz, uint32_t *type_id,
		       int *validate, char *why, size_t wsize)
{
	const struct accessor *acc;
	const struct nyk_btf_type *t, *mt;
	uint32_t field_type_id, bit_sz;
	uint64_t bit_off, byte_off, byte_sz;
	int64_t sz;
	int bitfield;

	*field_sz = 0;
	if (kind == NYK_CORE_FIELD_EXISTS) {
		*val = spec != NULL;
		return 0;
	}
	if (!spec)
		return -EUCLEAN;
	acc = &spec->acc[spec->len - 1];
	t = nyk_btf_type_by_id(spec->btf, acc->type_id);
	if (!acc->name) {
		sz = nyk_btf_size(spec->btf, acc->type_id);
		if (sz < 0)
			return -EINVAL;
		if (kind == NYK_CORE_FIELD_BYTE_OFFSET) {
			*val = spec->bit_offset / 8;
			*field_sz = (uint32_t)sz;
			*type_id = acc->type_id;
		} else if (kind == NYK_CORE_FIELD_BYTE_SIZE) {
			*val = (uint64_t)sz;
		} else {
			snprintf(why, wsize, "%s cannot be applied to an array element", nyk_core_relo_kind_name(kind));
			return -EINVAL;
		}
		if (validate)
			*validate = 1;
		return 0;
	}
	mt = btf_skip_mods_typedefs(spec->btf, nyk_btf_members(t)[acc->idx].type, &field_type_id);
	if (!mt)
		return -EINVAL;
	bit_off = spec->bit_offset;
	bit_sz = nyk_btf_member_bitfield_size(t, acc->idx);
	bitfield = bit_sz > 0;
	if (bitfield) {
		byte_sz = mt->size ? mt->size : 1;
		byte_off = bit_off / 8 / byte_sz * byte_sz;
		/* The smallest load that holds the whole bitfield. */
		while (bit_off + bit_sz - byte_off * 8 > byte_sz * 8) {
			if (byte_sz >= 8) {
				snprintf(why, wsize, "bitfield cannot be read with a 64-bit load");
				return -E2BIG;
			}
			byte_sz *= 2;
			byte_off = bit_off / 8 / byte_sz * byte_sz;
		}
	} else {
		sz = nyk_btf_size(spec->btf, field_type_id);
		if (sz < 0)
			return -EINVAL;
		byte_sz = (uint64_t)sz;
		byte_off = bit_off / 8;
		bit_sz = (uint32_t)(byte_sz * 8);
	}
	/* A bitfield's offset, size and shifts depend on how the compiler reads it: not checked. */
	if (validate)
		*validate = !bitfield;
	switch (kind) {
	case NYK_CORE_FIELD_BYTE_OFFSET:
		*val = byte_off;
		if (!bitfield) {
			*field_sz = (uint32_t)byte_sz;
			*type_id = field_type_id;
		}
		break;
	case NYK_CORE_FIELD_BYTE_SIZE:
		*val = byte_sz;
		break;
	case NYK_CORE_FIELD_SIGNED:
		*val = (btf_is_any_enum(mt) && nyk_btf_kflag(mt)) ||
		       (nyk_btf_kind(mt) == NYK_BTF_INT && (nyk_btf_int_encoding(mt) & NYK_BTF_INT_SIGNED));
		if (validate)
			*validate = 1;
		break;
	case NYK_CORE_FIELD_LSHIFT_U64:
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
		*val = (8 - byte_sz) * 8 + (bit_off - byte_off * 8);
#else
		*val = 64 - (bit_off + bit_sz - byte_off * 8);
#endif
		break;
	case NYK_CORE_FIELD_RSHIFT_U64:
		*val = 64 - bit_sz;
		if (validate)
			*validate = 1;
		break;
	default:
		return -EOPNOTSUPP;
	}
	return 0;
}

static int type_value(unsigned kind, const struct spec *spec, uint64_t *val, int *validate)
{
	int64_t sz;

	if (validate)
		*validate = 1;
	if (!spec) {
		*val = 0;   /* type relocations give 0 when the target lacks the type */
		return 0;
	}
	switch (kind) {
	case NYK_CORE_TYPE_ID_TARGET:
		*val = spec->root_type_id;
		if (validate)
			*validate = 0;   /* ids change when objects are linked */
		break;
	case NYK_CORE_TYPE_EXISTS: case NYK_CORE_TYPE_MATCHES:
		*val = 1;
		break;
	case NYK_CORE_TYPE_SIZE:
		sz = nyk_btf_size(spec->btf, spec->root_type_id);
		if (sz < 0)
			return -EINVAL;
		*val = (uint64_t)sz;
		break;
	default:
		return -EOPNOTSUPP;
	}
	return 0;
}

static int enumval_value(unsigned kind, const struct spec *spec, uint64_t *val)
{
	if (kind == NYK_CORE_ENUMVAL_EXISTS) {
		*val = spec != NULL;
		return 0;
	}
	if (kind != NYK_CORE_ENUMVAL_VALUE)
		return -EOPNOTSUPP;
	if (!spec)
		return -EUCLEAN;
	*val = nyk_btf_enum_value(nyk_btf_type_by_id(spec->btf, spec->acc[0].type_id), spec->acc[0].idx);
	return 0;
}

static int is_unsigned_int(const struct nyk_btf_type *t)
{
	return t && nyk_btf_kind(t) == NYK_BTF_INT && nyk_btf_int_encoding(t) != NYK_BTF_INT_SIGNED;
}

/* Old and new values for one candidate (ts NULL: none matched). */
static int calc_relo(unsigned kind, const struct spec *ls, const struct spec *ts, struct relo_result *res, char *why,
		     size_t wsize)
{
	int rc = -EOPNOTSUPP;

	memset(res, 0, sizeof(*res));
	res->validate = 1;
	if (is_field_kind(kind)) {
		rc = field_value(kind, ls, &res->orig_val, &res->orig_sz, &res->orig_type_id, &res->validate, why, wsize);
		if (!rc)
			rc = field_value(kind, ts, &res->new_val, &res->new_sz, &res->new_type_id, NULL, why, wsize);
		if (!rc && res->orig_sz != res->new_sz) {
			const struct nyk_btf_type *ot = nyk_btf_type_by_id(ls->btf, res->orig_type_id);
			const struct nyk_btf_type *nt = nyk_btf_type_by_id(ts->btf, res->new_type_id);
			/* Changing a load's size keeps the value only for pointers and unsigned integers. */
			if (!((ot && nt && nyk_btf_kind(ot) == NYK_BTF_PTR && nyk_btf_kind(nt) == NYK_BTF_PTR) ||
			      (is_unsigned_int(ot) && is_unsigned_int(nt))))
				res->fail_memsz_adjust = 1;
		}
	} else if (is_type_kind(kind)) {
		rc = type_value(kind, ls, &res->orig_val, &res->validate);
		if (!rc)
			rc = type_value(kind, ts, &res->new_val, NULL);
	} else if (is_enumval_kind(kind)) {
		rc = enumval_value(kind, ls, &res->orig_val);
		if (!rc)
			rc = enumval_value(kind, ts, &res->new_val);
	}
	if (rc == -EUCLEAN) {
		res->poison = 1;
		rc = 0;
	} else if (rc == -EOPNOTSUPP) {
		snprintf(why, wsize, "unsupported relocation kind %u", kind);
	}
	return rc;
}

/* ---- patching ---------------------------------------------------------- */

static void poison(struct nyk_insn *insn)
{
	insn->opcode = NYK_CLASS_JMP | NYK_JMP_CALL;
	insn->regs = 0;
	insn->off = 0;
	insn->imm = NYK_CORE_POISON_HELPER;
}

static int size_bytes(uint8_t opcode)
{
	switch (opcode & 0x18) {
	case NYK_SIZE_DW: return 8;
	case NYK_SIZE_W: return 4;
	case NYK_SIZE_H: return 2;
	default: return 1;
	}
}

static int size_code(uint32_t bytes)
{
	switch (bytes) {
	case 8: return NYK_SIZE_DW;
	case 4: return NYK_SIZE_W;
	case 2: return NYK_SIZE_H;
	case 1: return NYK_SIZE_B;
	default: return -1;
	}
}

struct apply_ctx {
	const struct nyk_btf_core_relo *relo;
	struct nyk_error *err;
	char access[160];
};

__attribute__((format(printf, 3, 4))) static int fail(struct apply_ctx *c, int code, const char *fmt, ...)
{
	char msg[NYK_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->err)
		c->err->insn = (long)c->relo->insn_off;
	return nyk_error_set(c->err, code, "CO-RE %s of %s: %s", nyk_core_relo_kind_name(c->relo->kind), c->access,
			     msg);
}

static int patch_insn(struct nyk_insn *insns, size_t count, struct apply_ctx *c, const struct relo_result *res)
{
	struct nyk_insn *insn = &insns[c->relo->insn_off];
	int is_lddw = insn->opcode == (NYK_CLASS_LD | NYK_MODE_IMM | NYK_SIZE_DW);
	uint64_t orig = res->orig_val, nv = res->new_val;

	if (res->poison) {
		if (is_lddw && c->relo->insn_off + 1 < count)
			poison(insn + 1);
		poison(insn);
		return 0;
	}
	switch (insn->opcode & 0x07) {
	case NYK_CLASS_ALU: case NYK_CLASS_ALU64:
		if ((insn->opcode & NYK_SRC_X) != NYK_SRC_K)
			return fail(c, -EINVAL, "instruction is an ALU operation with a register, not an immediate");
		if (res->validate && (uint64_t)(int64_t)insn->imm != orig)
			return fail(c, -EINVAL, "instruction holds %" PRId32 " where the object's BTF gives %" PRIu64,
				    insn->imm, orig);
		insn->imm = (int32_t)(uint32_t)nv;
		return 0;
	case NYK_CLASS_LDX: case NYK_CLASS_ST: case NYK_CLASS_STX:
		if (res->validate && (uint64_t)(int64_t)insn->off != orig)
			return fail(c, -EINVAL, "instruction offset is %d where the object's BTF gives %" PRIu64, insn->off,
				    orig);
		if (nv > INT16_MAX)
			return fail(c, -ERANGE, "offset %" PRIu64 " does not fit a load or store", nv);
		if (res->fail_memsz_adjust) {
			poison(insn);
			return 1;   /* poisoned: the caller reports it */
		}
		insn->off = (int16_t)nv;
		if (res->new_sz != res->orig_sz) {
			int code = size_code(res->new_sz);
			if (size_bytes(insn->opcode) != (int)res->orig_sz)
				return fail(c, -EINVAL, "access of %d bytes where the field has %" PRIu32,
					    size_bytes(insn->opcode), res->orig_sz);
			if (code < 0)
				return fail(c, -EINVAL, "the target field has %" PRIu32 " bytes, which no load can read",
					    res->new_sz);
			insn->opcode = (uint8_t)((insn->opcode & ~0x18) | code);
		}
		return 0;
	case NYK_CLASS_LD: {
		uint64_t imm;
		if (!is_lddw || c->relo->insn_off + 1 >= count || nyk_insn_src(insn) || insn->off || insn[1].opcode ||
		    insn[1].regs || insn[1].off)
			return fail(c, -EINVAL, "instruction is not a plain 64-bit immediate load");
		imm = (uint32_t)insn[0].imm | (uint64_t)(uint32_t)insn[1].imm << 32;
		if (res->validate && imm != orig)
			return fail(c, -EINVAL, "instruction holds %" PRIu64 " where the object's BTF gives %" PRIu64, imm,
				    orig);
		insn[0].imm = (int32_t)(uint32_t)nv;
		insn[1].imm = (int32_t)(uint32_t)(nv >> 32);
		return 0;
	}
	default:
		return fail(c, -EINVAL, "instruction (opcode 0x%02x) cannot be relocated", insn->opcode);
	}
}

/* ---- the whole --------------------------------------------------------- */

static void miss_message(const struct spec *ls, const struct miss *miss, int ncands, char *buf, size_t size)
{
	const struct nyk_btf *lb = ls->btf;
	const struct nyk_btf_type *root = nyk_btf_type_by_id(lb, ls->root_type_id);
	const char *rname = str_or_empty(lb, root->name_off);
	const char *rkind = nyk_btf_kind(root) == NYK_BTF_UNION ? "union" : btf_is_any_enum(root) ? "enum" :
			    nyk_btf_kind(root) == NYK_BTF_TYPEDEF ? "type" : "struct";
	const struct accessor *la;
	const struct nyk_btf_type *holder;
	const char *hname;

	if (ncands == 0 || miss->acc < 0) {
		snprintf(buf, size, "no %s '%s' in the target BTF", rkind, rname);
		return;
	}
	la = &ls->acc[miss->acc];
	if (is_enumval_kind(ls->kind)) {
		snprintf(buf, size, "enum %s has no value '%s' in the target BTF", rname, la->name);
		return;
	}
	holder = nyk_btf_type_by_id(lb, la->type_id);
	hname = str_or_empty(lb, holder->name_off);
	switch (miss->reason) {
	case MISS_FIELD_TYPE:
		snprintf(buf, size, "field '%s' of %s %s has an incompatible type in the target BTF", la->name,
			 nyk_btf_kind(holder) == NYK_BTF_UNION ? "union" : "struct", *hname ? hname : rname);
		break;
	case MISS_ARRAY:
		snprintf(buf, size, "index %" PRIu32 " is out of bounds of the target's array of %" PRIu32, la->idx,
			 miss->nelems);
		break;
	case MISS_NOT_ARRAY:
		snprintf(buf, size, "index %" PRIu32 " applies to something that is not an array in the target BTF",
			 la->idx);
		break;
	default:
		if (*hname)
			snprintf(buf, size, "%s %s has no field '%s' in the target BTF",
				 nyk_btf_kind(holder) == NYK_BTF_UNION ? "union" : "struct", hname, la->name);
		else
			snprintf(buf, size, "%s %s has no field '%s' (in an anonymous member) in the target BTF", rkind,
				 rname, la->name);
		break;
	}
}

int nyk_core_apply(struct nyk_insn *insns, size_t count, const struct nyk_btf_core_relo *relo,
		   const struct nyk_btf *local, const struct nyk_btf *target, struct nyk_error *err)
{
	struct apply_ctx c = { .relo = relo, .err = err };
	struct spec *ls = NULL, *cs = NULL, *ts = NULL;
	struct relo_result res, cres;
	struct miss miss = { -1, MISS_NONE, 0 };
	const struct nyk_btf_type *lt;
	const char *lname;
	char why[160] = "";
	int rc = 0, matched = 0, ncands = 0;

	snprintf(c.access, sizeof(c.access), "type %" PRIu32, relo->type_id);
	if (!insns || !local || !target)
		return fail(&c, -EINVAL, "missing instructions or BTF");
	if (relo->insn_off >= count)
		return fail(&c, -EINVAL, "instruction %" PRIu32 " is past the end of the code (%zu instructions)",
			    relo->insn_off, count);
	lt = nyk_btf_type_by_id(local, relo->type_id);
	if (!lt || relo->type_id == 0)
		return fail(&c, -EINVAL, "type id %" PRIu32 " is not in the object's BTF", relo->type_id);
	ls = malloc(3 * sizeof(*ls));
	if (!ls)
		return fail(&c, -ENOMEM, "out of memory");
	cs = ls + 1;
	ts = ls + 2;

	rc = parse_spec(local, relo, ls, why, sizeof(why));
	format_access(ls, local, c.access, sizeof(c.access));
	if (rc) {
		rc = fail(&c, rc, "%s", why[0] ? why : "invalid access");
		goto out;
	}
	lname = str_or_empty(local, lt->name_off);

	/* Against its own BTF a program keeps what its compiler computed (flavors would only be ambiguous). */
	if (target == local) {
		rc = 0;
		goto out;
	}
	if (relo->kind == NYK_CORE_TYPE_ID_LOCAL) {
		memset(&res, 0, sizeof(res));
		res.orig_val = res.new_val = relo->type_id;
		rc = patch_insn(insns, count, &c, &res);
		goto out;
	}
	if (!*lname) {
		rc = fail(&c, -EOPNOTSUPP, "relocations against anonymous types are not supported");
		goto out;
	}

	{
		size_t ll = btf_essential_len(lname);
		uint32_t pos, end;
		btf_index_range(target, lname, ll, &pos, &end);
		for (; pos < end; pos++) {
			uint32_t id = target->index_id[pos];
			const struct nyk_btf_type *t = nyk_btf_type_by_id(target, id);
			const char *tn = str_or_empty(target, t->name_off);
			if (!kinds_compatible(t, lt) || btf_essential_len(tn) != ll || strncmp(tn, lname, ll) != 0)
				continue;
			ncands++;
			rc = spec_match(ls, target, id, cs, &miss);
			if (rc < 0) {
				rc = fail(&c, rc, "error matching candidate type %" PRIu32 " of the target BTF", id);
				goto out;
			}
			if (rc == 0)
				continue;
			rc = calc_relo(relo->kind, ls, cs, &cres, why, sizeof(why));
			if (rc) {
				rc = fail(&c, rc, "%s", why[0] ? why : "cannot compute the relocation");
				goto out;
			}
			if (!matched) {
				res = cres;
				*ts = *cs;
			} else if (cs->bit_offset != ts->bit_offset) {
				rc = fail(&c, -EINVAL, "ambiguous: target candidates put the field at bit %" PRIu64
					  " and at bit %" PRIu64, ts->bit_offset, cs->bit_offset);
				goto out;
			} else if (cres.poison != res.poison || cres.new_val != res.new_val) {
				rc = fail(&c, -EINVAL, "ambiguous: target candidates give %" PRIu64 " and %" PRIu64,
					  res.new_val, cres.new_val);
				goto out;
			}
			matched++;
		}
	}
	rc = 0;
	if (!matched && (rc = calc_relo(relo->kind, ls, NULL, &res, why, sizeof(why)))) {
		rc = fail(&c, rc, "%s", why[0] ? why : "cannot compute the relocation");
		goto out;
	}
	rc = patch_insn(insns, count, &c, &res);
	if (rc == 1) {
		rc = fail(&c, -ESRCH, "the field's size changed from %" PRIu32 " to %" PRIu32 " bytes and it is not a "
			  "pointer or an unsigned integer; instruction poisoned", res.orig_sz, res.new_sz);
	} else if (rc == 0 && res.poison) {
		miss_message(ls, &miss, ncands, why, sizeof(why));
		rc = fail(&c, -ESRCH, "%s", why);
	}
out:
	free(ls);
	return rc;
}
