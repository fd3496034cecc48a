/*
 * maps_elf.c - the maps an object declares, read at open and created at
 * load (nyk_map_create), in libbpf's order:
 *
 *   1. legacy definitions in section `maps`: one per symbol, of the
 *      symbol's size (or the section's size divided by the number of
 *      symbols): struct bpf_map_def (20 bytes: type, key_size, value_size,
 *      max_entries, map_flags), iproute2's struct bpf_elf_map (28 bytes: +
 *      id, pinning; 36 bytes: + inner_id, inner_idx - the map whose `id` is
 *      an outer map's `inner_id` is its inner map and goes into slot
 *      `inner_idx`). Larger definitions must be zero past 36 bytes. A
 *      struct ____btf_map_<name> in BTF (BPF_ANNOTATE_KV_PAIR) gives the
 *      value's type, for its bpf_spin_lock.
 *   2. BTF-defined maps in `.maps`: each VAR of DATASEC .maps is a struct
 *      whose members say type, key_size, value_size, max_entries,
 *      map_flags, numa_node, pinning, map_extra as `int (*name)[N]`, key and
 *      value as pointers to their types, and `values` as an array of
 *      pointers to the inner map's struct (map-in-map) or to a function
 *      prototype (prog_array). Relocations in .maps at the `values` slots
 *      give initial values: programs for a prog_array, maps otherwise.
 *      A struct bpf_spin_lock in the value type sets has_spin_lock and
 *      spin_lock_off (hash and array), where the kernel would find it.
 *   3. global data: .data, .rodata, .bss and their .* variants, one
 *      single-entry array per section named after it, holding the
 *      section's bytes (.bss zero); .rodata* are NYK_F_RDONLY_PROG.
 *   4. .kconfig: the kconfig externs, laid out by alignment (kconfig.c
 *      fills the values at load).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader/object_internal.h"

/* Beyond this a data section is refused: the kernel's own limit is lower (KMALLOC_MAX_SIZE). */
#define OBJ_DATA_MAX (64u << 20)

static struct obj_map *new_map(struct nyk_object *obj, const char *name, enum obj_map_kind kind, size_t shndx,
			       const char *section, struct nyk_error *err)
{
	struct obj_map *m, *nm = realloc(obj->maps, (obj->nmaps + 1) * sizeof(*nm));

	if (!nm) {
		nyk_error_set(err, -ENOMEM, "out of memory for maps");
		return NULL;
	}
	obj->maps = nm;
	m = &obj->maps[obj->nmaps];
	memset(m, 0, sizeof(*m));
	m->name = strdup(name);
	if (!m->name) {
		nyk_error_set(err, -ENOMEM, "out of memory for maps");
		return NULL;
	}
	obj->nmaps++;
	m->kind = kind;
	m->shndx = shndx;
	m->section = section;
	return m;
}

/* def.name and def.inner point into the map; set them once the array stops moving. */
static void fix_pointers(struct nyk_object *obj)
{
	for (size_t i = 0; i < obj->nmaps; i++) {
		struct obj_map *m = &obj->maps[i];
		m->def.name = m->name;
		m->def.inner = m->has_inner ? &m->inner : NULL;
		m->inner.name = m->inner_name;
	}
}

static int add_init(struct obj_map *m, uint32_t slot, uint32_t target, struct nyk_error *err)
{
	struct obj_map_init *ni;

	for (size_t i = 0; i < m->ninits; i++)
		if (m->inits[i].slot == slot) {
			m->inits[i].target = target;
			return 0;
		}
	ni = realloc(m->inits, (m->ninits + 1) * sizeof(*ni));
	if (!ni)
		return nyk_error_set(err, -ENOMEM, "out of memory for initial values");
	m->inits = ni;
	m->inits[m->ninits].slot = slot;
	m->inits[m->ninits++].target = target;
	return 0;
}

long obj_map_at(const struct nyk_object *obj, size_t shndx, uint64_t off)
{
	for (size_t i = 0; i < obj->nmaps; i++) {
		const struct obj_map *m = &obj->maps[i];
		if ((m->kind == OBJ_MAP_LEGACY || m->kind == OBJ_MAP_BTF) && m->shndx == shndx && m->sec_off == off)
			return (long)i;
	}
	return -1;
}

static int is_map_in_map(uint32_t type)
{
	return type == NYK_MAP_ARRAY_OF_MAPS || type == NYK_MAP_HASH_OF_MAPS;
}

/* ---- legacy `maps` ----------------------------------------------------------------- */

static int is_map_symbol(const struct elf_symbol *sym, size_t shndx)
{
	return sym->shndx == shndx && sym->name[0] && (sym->type == ELF_STT_OBJECT || sym->type == ELF_STT_NOTYPE);
}

static int read_legacy_def(struct nyk_object *obj, const struct elf_symbol *sym, const uint8_t *d, uint64_t size,
			   uint64_t def_size, size_t shndx, struct nyk_error *err)
{
	/* type, key_size, value_size, max_entries, map_flags, id, pinning, inner_id, inner_idx */
	uint32_t v[9] = { 0 };
	struct obj_map *m;
	uint64_t off = sym->value;

	if (off > size || def_size > size - off)
		return obj_error(obj, err, -EINVAL, NULL, "maps", -1, NULL,
				 "map '%s' (offset 0x%" PRIx64 ", %" PRIu64 " bytes) extends past the section (0x%" PRIx64
				 " bytes)", sym->name, off, def_size, size);
	if (def_size < 16)
		return obj_error(obj, err, -EINVAL, NULL, "maps", -1, NULL,
				 "map '%s': a definition of %" PRIu64 " bytes is too small (type, key_size, value_size and "
				 "max_entries take 16)", sym->name, def_size);
	for (uint64_t k = 36; k < def_size; k++)
		if (d[off + k])
			return obj_error(obj, err, -EINVAL, NULL, "maps", -1, NULL,
					 "map '%s': the %" PRIu64 "-byte definition has non-zero bytes past the 36 of "
					 "iproute2's struct bpf_elf_map, which nyuki does not know", sym->name, def_size);
	for (unsigned k = 0; k < 9 && 4 * (k + 1) <= def_size; k++)
		v[k] = elf_u32(&obj->ef, d + off + 4 * k);
	if (!(m = new_map(obj, sym->name, OBJ_MAP_LEGACY, shndx, "maps", err)))
		return -ENOMEM;
	m->sec_off = off;
	m->sec_size = def_size;
	m->def.type = v[0];
	m->def.key_size = v[1];
	m->def.value_size = v[2];
	m->def.max_entries = v[3];
	m->def.map_flags = v[4];
	m->legacy_id = v[5];
	m->def.pinning = v[6];
	m->legacy_inner_id = v[7];
	m->legacy_inner_idx = v[8];
	return 0;
}

/* iproute2: the inner map of an outer map is the map whose id is the outer's inner_id. */
static int link_legacy_inner_maps(struct nyk_object *obj, size_t first, struct nyk_error *err)
{
	for (size_t i = first; i < obj->nmaps; i++) {
		struct obj_map *outer = &obj->maps[i];
		int found = 0;

		if (!outer->legacy_inner_id)
			continue;
		for (size_t k = first; k < obj->nmaps; k++) {
			struct obj_map *in = &obj->maps[k];
			int rc;
			if (k == i || in->legacy_id != outer->legacy_inner_id)
				continue;
			if (!found) {
				outer->inner = in->def;
				outer->inner_name = strdup(in->name);
				if (!outer->inner_name)
					return nyk_error_set(err, -ENOMEM, "out of memory for maps");
				outer->has_inner = 1;
				found = 1;
			}
			if (in->legacy_inner_idx >= outer->def.max_entries)
				return obj_error(obj, err, -EINVAL, NULL, "maps", -1, NULL,
						 "map '%s': inner_idx %" PRIu32 " is outside map '%s' (max_entries %" PRIu32 ")",
						 in->name, in->legacy_inner_idx, outer->name, outer->def.max_entries);
			if ((rc = add_init(outer, in->legacy_inner_idx, (uint32_t)k, err)))
				return rc;
		}
		if (!found)
			return obj_error(obj, err, -EINVAL, NULL, "maps", -1, NULL,
					 "map '%s': inner_id %" PRIu32 " is the id of no map", outer->name,
					 outer->legacy_inner_id);
	}
	return 0;
}

static int set_legacy_spin_locks(struct nyk_object *obj, size_t first, struct nyk_error *err);

static int cmp_value(const void *a, const void *b)
{
	const struct elf_symbol *x = *(const struct elf_symbol *const *)a, *y = *(const struct elf_symbol *const *)b;
	return x->value < y->value ? -1 : x->value > y->value;
}

static int read_legacy_maps(struct nyk_object *obj, struct nyk_error *err)
{
	size_t shndx = elf_find_section(&obj->ef, "maps"), n = 0, first = obj->nmaps;
	const struct elf_symbol **syms;
	const uint8_t *d;
	uint64_t size;
	int rc = 0;

	if (!shndx)
		return 0;
	obj->legacy_maps_shndx = shndx;
	d = elf_section_data(&obj->ef, shndx, &size);
	if (!d && obj->ef.sections[shndx].size)
		return obj_error(obj, err, -EINVAL, NULL, "maps", -1, NULL, "the section has no bytes in the file (NOBITS)");
	for (size_t i = 0; i < obj->nsyms; i++)
		n += is_map_symbol(&obj->syms[i], shndx);
	if (n == 0) {
		if (size)
			return obj_error(obj, err, -EINVAL, NULL, "maps", -1, NULL,
					 "%" PRIu64 " bytes of map definitions but no symbol names them", size);
		return 0;
	}
	syms = malloc(n * sizeof(*syms));
	if (!syms)
		return nyk_error_set(err, -ENOMEM, "out of memory for maps");
	n = 0;
	for (size_t i = 0; i < obj->nsyms; i++)
		if (is_map_symbol(&obj->syms[i], shndx))
			syms[n++] = &obj->syms[i];
	qsort(syms, n, sizeof(*syms), cmp_value);
	for (size_t i = 0; i < n && !rc; i++) {
		/* Each definition's size: its symbol's, else the section's share (libbpf). */
		uint64_t def_size = syms[i]->size ? syms[i]->size : size / n;
		if (i && syms[i]->value == syms[i - 1]->value)
			rc = obj_error(obj, err, -EINVAL, NULL, "maps", -1, NULL, "maps '%s' and '%s' share offset 0x%" PRIx64,
				       syms[i - 1]->name, syms[i]->name, syms[i]->value);
		else
			rc = read_legacy_def(obj, syms[i], d, size, def_size, shndx, err);
	}
	free(syms);
	if (rc || (rc = set_legacy_spin_locks(obj, first, err)))
		return rc;
	return link_legacy_inner_maps(obj, first, err);
}

/* ---- BTF-defined `.maps` --------------------------------------------------------------- */

struct btf_map_parse {
	struct nyk_object *obj;
	const char *name;       /* for messages */
	struct nyk_error *err;
	const char *section;    /* for messages: NULL for .maps */
};

static int map_err(const struct btf_map_parse *p, int code, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

static int map_err(const struct btf_map_parse *p, int code, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return obj_error(p->obj, p->err, code, NULL, p->section ? p->section : ".maps", -1, NULL, "map '%s': %s", p->name,
			 msg);
}

/* `int (*name)[N]`: N. */
static int uint_attr(const struct btf_map_parse *p, const char *attr, uint32_t type, uint32_t *out)
{
	const struct nyk_btf *btf = p->obj->btf;
	const struct nyk_btf_type *t = nyk_btf_type_by_id(btf, nyk_btf_resolve(btf, type));

	if (!t || nyk_btf_kind(t) != NYK_BTF_PTR)
		return map_err(p, -EINVAL, "attribute '%s' is not declared as __uint (int (*%s)[N])", attr, attr);
	t = nyk_btf_type_by_id(btf, nyk_btf_resolve(btf, t->type));
	if (!t || nyk_btf_kind(t) != NYK_BTF_ARRAY)
		return map_err(p, -EINVAL, "attribute '%s' is not declared as __uint (int (*%s)[N])", attr, attr);
	*out = nyk_btf_array_info(t)->nelems;
	return 0;
}

/* `T *name`: sizeof(T). */
static int type_attr(const struct btf_map_parse *p, const char *attr, uint32_t type, uint32_t *size)
{
	const struct nyk_btf *btf = p->obj->btf;
	const struct nyk_btf_type *t = nyk_btf_type_by_id(btf, nyk_btf_resolve(btf, type));
	int64_t sz;

	if (!t || nyk_btf_kind(t) != NYK_BTF_PTR)
		return map_err(p, -EINVAL, "attribute '%s' is not declared as __type (T *%s)", attr, attr);
	sz = nyk_btf_size(btf, t->type);
	if (sz <= 0 || sz > UINT32_MAX)
		return map_err(p, -EINVAL, "the type of '%s' has no usable size", attr);
	*size = (uint32_t)sz;
	return 0;
}

static int set_size(const struct btf_map_parse *p, const char *attr, uint32_t *field, uint32_t v)
{
	if (*field && *field != v)
		return map_err(p, -EINVAL, "conflicting %s sizes %" PRIu32 " and %" PRIu32, attr, *field, v);
	*field = v;
	return 0;
}

static int parse_btf_map(const struct btf_map_parse *p, uint32_t struct_id, struct nyk_map_def *def, int is_inner,
			 uint32_t *values_off, uint32_t *inner_struct, int *values_are_progs);

/* `values`: an array of pointers to the inner map's struct or to a function prototype. */
static int values_attr(const struct btf_map_parse *p, uint32_t type, uint32_t *inner_struct, int *progs)
{
	const struct nyk_btf *btf = p->obj->btf;
	const struct nyk_btf_type *t = nyk_btf_type_by_id(btf, nyk_btf_resolve(btf, type));

	if (!t || nyk_btf_kind(t) != NYK_BTF_ARRAY)
		return map_err(p, -EINVAL, "'values' is not an array (__array(values, ...))");
	t = nyk_btf_type_by_id(btf, nyk_btf_resolve(btf, nyk_btf_array_info(t)->type));
	if (!t || nyk_btf_kind(t) != NYK_BTF_PTR)
		return map_err(p, -EINVAL, "'values' is not an array of pointers");
	uint32_t target = nyk_btf_resolve(btf, t->type);
	t = nyk_btf_type_by_id(btf, target);
	if (t && nyk_btf_kind(t) == NYK_BTF_STRUCT) {
		*inner_struct = target;
		return 0;
	}
	if (t && nyk_btf_kind(t) == NYK_BTF_FUNC_PROTO) {
		*progs = 1;
		return 0;
	}
	return map_err(p, -EINVAL, "'values' must point to an inner map definition or a function prototype");
}

static int parse_btf_map(const struct btf_map_parse *p, uint32_t struct_id, struct nyk_map_def *def, int is_inner,
			 uint32_t *values_off, uint32_t *inner_struct, int *values_are_progs)
{
	const struct nyk_btf *btf = p->obj->btf;
	const struct nyk_btf_type *st = nyk_btf_type_by_id(btf, struct_id);
	const struct nyk_btf_member *mem;
	uint32_t key_size = 0, value_size = 0, extra = 0;
	int has_values = 0, rc;

	if (!st || nyk_btf_kind(st) != NYK_BTF_STRUCT)
		return map_err(p, -EINVAL, "the definition is not a struct");
	mem = nyk_btf_members(st);
	for (unsigned k = 0; k < nyk_btf_vlen(st); k++) {
		const char *name = nyk_btf_str(btf, mem[k].name_off);
		uint32_t v = 0;

		if (!name || !name[0])
			return map_err(p, -EINVAL, "member %u has no name", k);
		if (strcmp(name, "type") == 0)
			rc = uint_attr(p, name, mem[k].type, &def->type);
		else if (strcmp(name, "max_entries") == 0)
			rc = uint_attr(p, name, mem[k].type, &def->max_entries);
		else if (strcmp(name, "map_flags") == 0)
			rc = uint_attr(p, name, mem[k].type, &def->map_flags);
		else if (strcmp(name, "numa_node") == 0)
			rc = uint_attr(p, name, mem[k].type, &def->numa_node);
		else if (strcmp(name, "pinning") == 0)
			rc = uint_attr(p, name, mem[k].type, &def->pinning);
		else if (strcmp(name, "map_extra") == 0)
			rc = uint_attr(p, name, mem[k].type, &extra);
		else if (strcmp(name, "key_size") == 0)
			rc = uint_attr(p, name, mem[k].type, &v) ? -EINVAL : set_size(p, "key", &key_size, v);
		else if (strcmp(name, "value_size") == 0)
			rc = uint_attr(p, name, mem[k].type, &v) ? -EINVAL : set_size(p, "value", &value_size, v);
		else if (strcmp(name, "key") == 0)
			rc = type_attr(p, name, mem[k].type, &v) ? -EINVAL : set_size(p, "key", &key_size, v);
		else if (strcmp(name, "value") == 0)
			rc = type_attr(p, name, mem[k].type, &v) ? -EINVAL : set_size(p, "value", &value_size, v);
		else if (strcmp(name, "values") == 0) {
			if (is_inner)
				return map_err(p, -EINVAL, "an inner map cannot have 'values' (maps nest one level)");
			rc = values_attr(p, mem[k].type, inner_struct, values_are_progs);
			*values_off = nyk_btf_member_bit_offset(st, k) / 8;
			has_values = 1;
		} else
			return map_err(p, -ENOTSUP, "unknown attribute '%s'", name);
		if (rc)
			return rc;
	}
	if (has_values) {
		/* A map of maps or programs holds 4-byte ids; libbpf fills in the sizes. */
		if (!key_size)
			key_size = 4;
		if (value_size && value_size != 4)
			return map_err(p, -EINVAL, "'values' needs value_size 4");
		value_size = 4;
	}
	def->key_size = key_size;
	def->value_size = value_size;
	return 0;
}

/*
 * ---- a struct bpf_spin_lock in the value ----
 *
 * As the kernel (6.18, tried on this machine) finds it in a map's value
 * type: the value (after typedefs and qualifiers) must be a struct; a member
 * whose type is directly `struct bpf_spin_lock` is the lock, and members
 * whose type is directly a struct (named or anonymous) are looked into, at
 * any depth (kernels before 6.10 looked at the top level only). Members
 * behind a typedef or a qualifier, unions and arrays are not looked into,
 * and a `const struct bpf_spin_lock` is no lock - the kernel does the same.
 * One lock per value: two in one struct make the kernel refuse the BTF
 * (-E2BIG); one at the top and one nested, it takes with a WARN, so
 * nyuki refuses both. A lock must be a 4-byte struct at a 4-byte
 * multiple, or the kernel refuses the BTF.
 */
struct lock_search {
	const struct btf_map_parse *p;
	int found;
	uint32_t off;
	unsigned budget;      /* members left to visit: nested structs can multiply paths */
};

enum { LOCK_SEARCH_DEPTH = 32, LOCK_SEARCH_MEMBERS = 1 << 20 };

static int lock_search_struct(struct lock_search *s, uint32_t struct_id, uint64_t base, unsigned depth)
{
	const struct nyk_btf *btf = s->p->obj->btf;
	const struct nyk_btf_type *st = nyk_btf_type_by_id(btf, struct_id);

	if (depth > LOCK_SEARCH_DEPTH)
		return map_err(s->p, -E2BIG, "its value type nests structs more than %d deep", LOCK_SEARCH_DEPTH);
	for (unsigned k = 0; k < nyk_btf_vlen(st); k++) {
		const struct nyk_btf_member *mb = &nyk_btf_members(st)[k];
		const struct nyk_btf_type *mt = nyk_btf_type_by_id(btf, mb->type);
		uint32_t bits = nyk_btf_member_bit_offset(st, k);
		const char *name;
		uint64_t off;
		int rc;

		if (!s->budget--)
			return map_err(s->p, -E2BIG, "its value type has more than %d nested members to search for a "
				       "bpf_spin_lock", LOCK_SEARCH_MEMBERS);
		if (!mt || nyk_btf_kind(mt) != NYK_BTF_STRUCT)
			continue;
		if (bits % 8)
			return map_err(s->p, -EINVAL, "its value type has a struct member at bit offset %" PRIu64
				       ", not on a byte", base * 8 + bits);
		off = base + bits / 8;
		name = nyk_btf_str(btf, mt->name_off);
		if (!name || strcmp(name, "bpf_spin_lock") != 0) {
			if ((rc = lock_search_struct(s, mb->type, off, depth + 1)))
				return rc;
			continue;
		}
		if (mt->size != 4 || off % 4)
			return map_err(s->p, -EINVAL, "the struct bpf_spin_lock at offset %" PRIu64 " of its value is "
				       "%" PRIu32 " bytes; the kernel wants 4 bytes at a multiple of 4", off, mt->size);
		if (s->found)
			return map_err(s->p, -E2BIG, "its value holds more than one struct bpf_spin_lock (at offsets %"
				       PRIu32 " and %" PRIu64 "); the kernel allows one", s->off, off);
		s->found = 1;
		s->off = (uint32_t)off;
	}
	return 0;
}

/*
 * Set def->has_spin_lock and spin_lock_off from the value type `value_id`
 * (0: none, e.g. a value given by value_size). The kernel allows a lock in
 * hash, array and cgroup/socket/task/inode storage maps - of those nyuki
 * has hash and array. For other types the kernel refuses to create the map
 * with BTF and libbpf creates it again without: the lock is then plain
 * bytes, and so it is here.
 */
static int set_spin_lock(const struct btf_map_parse *p, uint32_t value_id, struct nyk_map_def *def)
{
	const struct nyk_btf *btf = p->obj->btf;
	struct lock_search s = { p, 0, 0, LOCK_SEARCH_MEMBERS };
	uint32_t id = value_id ? nyk_btf_resolve(btf, value_id) : 0;
	const struct nyk_btf_type *t = id ? nyk_btf_type_by_id(btf, id) : NULL;
	int rc;

	if (!t || nyk_btf_kind(t) != NYK_BTF_STRUCT)
		return 0;
	if ((rc = lock_search_struct(&s, id, 0, 0)))
		return rc;
	if (s.found && (def->type == NYK_MAP_HASH || def->type == NYK_MAP_ARRAY)) {
		def->has_spin_lock = 1;
		def->spin_lock_off = s.off;
	}
	return 0;
}

/* Type of member `name` of struct `struct_id`, 0 when it has none. */
static uint32_t member_type(const struct nyk_btf *btf, uint32_t struct_id, const char *name)
{
	const struct nyk_btf_type *st = nyk_btf_type_by_id(btf, struct_id);

	if (!st || (nyk_btf_kind(st) != NYK_BTF_STRUCT && nyk_btf_kind(st) != NYK_BTF_UNION))
		return 0;
	for (unsigned k = 0; k < nyk_btf_vlen(st); k++) {
		const char *n = nyk_btf_str(btf, nyk_btf_members(st)[k].name_off);
		if (n && strcmp(n, name) == 0)
			return nyk_btf_members(st)[k].type;
	}
	return 0;
}

/* A BTF-defined map's value type: what its `value` member (`T *value`) points to, or 0. */
static uint32_t btf_map_value_type(const struct nyk_btf *btf, uint32_t struct_id)
{
	uint32_t ptr = member_type(btf, struct_id, "value");
	const struct nyk_btf_type *t = ptr ? nyk_btf_type_by_id(btf, nyk_btf_resolve(btf, ptr)) : NULL;

	return t && nyk_btf_kind(t) == NYK_BTF_PTR ? t->type : 0;
}

/*
 * Legacy maps have BTF for their key and value when the program says so
 * with BPF_ANNOTATE_KV_PAIR (iproute2, libbpf before 1.0): a struct
 * ____btf_map_<name> with members `key` and `value` of the map's types.
 * libbpf took them when their sizes match the definition's, and so the
 * value's bpf_spin_lock.
 */
static int set_legacy_spin_locks(struct nyk_object *obj, size_t first, struct nyk_error *err)
{
	if (!obj->btf)
		return 0;
	for (size_t i = first; i < obj->nmaps; i++) {
		struct obj_map *m = &obj->maps[i];
		struct btf_map_parse p = { obj, m->name, err, "maps" };
		char name[NYK_MAP_NAME_MAX + 32];
		uint32_t key, value;
		int64_t id;
		int rc;

		if (snprintf(name, sizeof(name), "____btf_map_%s", m->name) >= (int)sizeof(name) ||
		    (id = nyk_btf_find(obj->btf, name, NYK_BTF_STRUCT)) < 0)
			continue;
		key = member_type(obj->btf, (uint32_t)id, "key");
		value = member_type(obj->btf, (uint32_t)id, "value");
		if (!key || !value || nyk_btf_size(obj->btf, key) != m->def.key_size ||
		    nyk_btf_size(obj->btf, value) != m->def.value_size)
			continue;
		if ((rc = set_spin_lock(&p, value, &m->def)))
			return rc;
	}
	return 0;
}

/* The symbol that names a .maps variable. */
static const struct elf_symbol *map_symbol(const struct nyk_object *obj, size_t shndx, const char *name)
{
	for (size_t i = 0; i < obj->nsyms; i++)
		if (obj->syms[i].shndx == shndx && strcmp(obj->syms[i].name, name) == 0 &&
		    obj->syms[i].type != ELF_STT_SECTION)
			return &obj->syms[i];
	return NULL;
}

static int read_btf_maps(struct nyk_object *obj, struct nyk_error *err)
{
	size_t shndx = elf_find_section(&obj->ef, ".maps");
	const struct nyk_btf_type *ds;
	const struct nyk_btf_var_secinfo *vs;
	int64_t ds_id;
	uint64_t size = obj->ef.sections[shndx].size;

	if (!shndx)
		return 0;
	obj->btf_maps_shndx = shndx;
	if (!obj->btf && obj->btf_error[0])
		return obj_error(obj, err, -EINVAL, NULL, ".maps", -1, NULL, "maps defined in .maps need BTF, but %s",
				 obj->btf_error);
	if (!obj->btf)
		return obj_error(obj, err, -EINVAL, NULL, ".maps", -1, NULL,
				 "maps defined in .maps need BTF to describe them: compile with -g (clang) or -gbtf (gcc)");
	ds_id = nyk_btf_find(obj->btf, ".maps", NYK_BTF_DATASEC);
	if (ds_id < 0) {
		if (size == 0)
			return 0;
		return obj_error(obj, err, -EINVAL, NULL, ".maps", -1, NULL, "BTF has no DATASEC '.maps' describing the maps");
	}
	ds = nyk_btf_type_by_id(obj->btf, (uint32_t)ds_id);
	vs = nyk_btf_secinfos(ds);
	for (unsigned k = 0; k < nyk_btf_vlen(ds); k++) {
		const struct nyk_btf_type *var = nyk_btf_type_by_id(obj->btf, vs[k].type);
		const char *name = var ? nyk_btf_str(obj->btf, var->name_off) : NULL;
		const struct elf_symbol *sym;
		struct btf_map_parse p = { obj, name, err, ".maps" };
		struct obj_map *m;
		uint32_t inner_struct = 0;
		int progs = 0, rc;

		if (!var || nyk_btf_kind(var) != NYK_BTF_VAR || !name || !name[0])
			return obj_error(obj, err, -EINVAL, NULL, ".maps", -1, NULL,
					 "entry %u of DATASEC '.maps' is not a named variable", k);
		sym = map_symbol(obj, shndx, name);
		if (!sym)
			return map_err(&p, -EINVAL, "no symbol in .maps names it");
		if (sym->value > size || sym->size > size - sym->value)
			return map_err(&p, -EINVAL, "its symbol lies outside the section");
		if (!(m = new_map(obj, name, OBJ_MAP_BTF, shndx, ".maps", err)))
			return -ENOMEM;
		m->sec_off = sym->value;
		m->sec_size = sym->size ? sym->size : vs[k].size;
		if ((rc = parse_btf_map(&p, nyk_btf_resolve(obj->btf, var->type), &m->def, 0, &m->values_off,
					&inner_struct, &progs)) ||
		    (rc = set_spin_lock(&p, btf_map_value_type(obj->btf, nyk_btf_resolve(obj->btf, var->type)), &m->def)))
			return rc;
		if (progs && m->def.type != NYK_MAP_PROG_ARRAY)
			return map_err(&p, -EINVAL, "'values' of functions needs a prog_array");
		if (inner_struct) {
			uint32_t vo = 0, is = 0;
			int ip = 0;
			char inner_name[160];
			if (!is_map_in_map(m->def.type))
				return map_err(&p, -EINVAL, "'values' of maps needs an array_of_maps or hash_of_maps");
			snprintf(inner_name, sizeof(inner_name), "%s.inner", name);
			m->inner_name = strdup(inner_name);
			if (!m->inner_name)
				return nyk_error_set(err, -ENOMEM, "out of memory for maps");
			m->has_inner = 1;
			p.name = inner_name;
			if ((rc = parse_btf_map(&p, inner_struct, &m->inner, 1, &vo, &is, &ip)) ||
			    (rc = set_spin_lock(&p, btf_map_value_type(obj->btf, inner_struct), &m->inner)))
				return rc;
		} else if (is_map_in_map(m->def.type)) {
			return map_err(&p, -EINVAL, "a map of maps needs its inner map: __array(values, struct ...)");
		}
	}
	return 0;
}

/* Relocations in .maps: initial `values`, programs of a prog_array or maps of a map-in-map. */
static int read_map_values(struct nyk_object *obj, struct nyk_error *err)
{
	const struct elf_file *ef = &obj->ef;
	size_t shndx = obj->btf_maps_shndx;
	const uint8_t *d;
	uint64_t size;

	if (!shndx)
		return 0;
	d = elf_section_data(ef, shndx, &size);
	for (size_t rs = 1; rs < ef->shnum; rs++) {
		const struct elf_section *s = &ef->sections[rs];
		size_t n;
		int rc;

		if ((s->type != ELF_SHT_REL && s->type != ELF_SHT_RELA) || s->info != shndx)
			continue;
		if ((rc = elf_relocs_check(ef, rs, &n, err)))
			return rc;
		for (size_t k = 0; k < n; k++) {
			struct elf_reloc r;
			struct obj_map *m = NULL;
			const struct elf_symbol *sym;
			uint64_t slot_off, target, addend = 0;
			uint32_t slot;

			elf_reloc(ef, rs, k, &r);
			for (size_t i = 0; i < obj->nmaps; i++) {
				struct obj_map *c = &obj->maps[i];
				if (c->kind == OBJ_MAP_BTF && r.offset >= c->sec_off && r.offset - c->sec_off < c->sec_size)
					m = c;
			}
			if (!m || !(m->has_inner || m->def.type == NYK_MAP_PROG_ARRAY) ||
			    r.offset < m->sec_off + m->values_off)
				return obj_error(obj, err, -EINVAL, NULL, ".maps", -1, NULL,
						 "relocation at offset 0x%" PRIx64 " is not in the 'values' of a map-in-map or "
						 "prog_array", r.offset);
			slot_off = r.offset - m->sec_off - m->values_off;
			if (slot_off % 8)
				return obj_error(obj, err, -EINVAL, NULL, ".maps", -1, NULL,
						 "map '%s': relocation at offset 0x%" PRIx64 " is not at a slot of 'values'",
						 m->name, r.offset);
			slot = (uint32_t)(slot_off / 8);
			if (slot >= m->def.max_entries)
				return obj_error(obj, err, -EINVAL, NULL, ".maps", -1, NULL,
						 "map '%s': initial value %" PRIu32 " is past max_entries %" PRIu32, m->name,
						 slot, m->def.max_entries);
			if (r.sym == 0 || r.sym >= obj->nsyms || s->link != obj->symtab)
				return obj_error(obj, err, -EINVAL, NULL, ".maps", -1, NULL,
						 "map '%s': relocation names symbol %" PRIu32 ", which does not exist",
						 m->name, r.sym);
			sym = &obj->syms[r.sym];
			/* The implicit addend is what the slot holds. */
			if (s->type == ELF_SHT_RELA)
				addend = (uint64_t)r.addend;
			else if (d && r.offset <= size && size - r.offset >= 8 && r.type == R_BPF_64_ABS64)
				addend = elf_u64(ef, d + r.offset);
			else if (d && r.offset <= size && size - r.offset >= 8 && r.type == R_BPF_GCC_DATA_64)
				addend = elf_u64(ef, d + r.offset) - sym->value;
			else if (d && r.offset <= size && size - r.offset >= 4)
				addend = elf_u32(ef, d + r.offset);
			target = sym->value + addend;
			if (m->def.type == NYK_MAP_PROG_ARRAY) {
				long ci = sym->shndx < ELF_SHN_LORESERVE ? obj_code_of_section(obj, sym->shndx) : -1;
				const struct obj_func *f = ci >= 0 && target % 8 == 0 ?
					obj_func_at(obj, &obj->codes[ci], (size_t)(target / 8)) : NULL;
				if (!f || f->start != target / 8 || !f->prog)
					return obj_error(obj, err, -EINVAL, NULL, ".maps", -1, NULL,
							 "map '%s': initial value %" PRIu32 " ('%s') is not a program", m->name,
							 slot, obj_sym_name(obj, sym));
				rc = add_init(m, slot, (uint32_t)(f->prog - 1), err);
			} else {
				long t = sym->shndx == shndx ? obj_map_at(obj, shndx, target) : -1;
				if (t < 0)
					return obj_error(obj, err, -EINVAL, NULL, ".maps", -1, NULL,
							 "map '%s': initial value %" PRIu32 " ('%s') is not a map", m->name, slot,
							 obj_sym_name(obj, sym));
				rc = add_init(m, slot, (uint32_t)t, err);
			}
			if (rc)
				return rc;
		}
	}
	return 0;
}

/* ---- global data -------------------------------------------------------------------- */

static int read_data_sections(struct nyk_object *obj, struct nyk_error *err)
{
	const struct elf_file *ef = &obj->ef;

	obj->map_of_sec = calloc(ef->shnum, sizeof(*obj->map_of_sec));
	if (!obj->map_of_sec)
		return nyk_error_set(err, -ENOMEM, "out of memory for sections");
	for (size_t i = 1; i < ef->shnum; i++) {
		const struct elf_section *s = &ef->sections[i];
		struct obj_map *m;
		const uint8_t *d;
		uint64_t size;

		if (!obj_is_data_section(s) || s->size == 0)
			continue;
		if (s->size > OBJ_DATA_MAX)
			return obj_error(obj, err, -E2BIG, NULL, s->name, -1, NULL,
					 "global data of %" PRIu64 " bytes is more than nyuki maps hold (%u MiB)", s->size,
					 OBJ_DATA_MAX >> 20);
		if (!(m = new_map(obj, s->name, OBJ_MAP_DATA, i, s->name, err)))
			return -ENOMEM;
		m->def.type = NYK_MAP_ARRAY;
		m->def.key_size = 4;
		m->def.value_size = (uint32_t)s->size;
		m->def.max_entries = 1;
		m->read_only = obj_is_rodata_section(s->name);
		if (m->read_only)
			m->def.map_flags = NYK_F_RDONLY_PROG;
		m->image = calloc(1, (size_t)s->size);
		if (!m->image)
			return nyk_error_set(err, -ENOMEM, "out of memory for section '%s' (%" PRIu64 " bytes)", s->name,
					     s->size);
		if ((d = elf_section_data(ef, i, &size)))
			memcpy(m->image, d, (size_t)size);
		obj->map_of_sec[i] = obj->nmaps;
	}
	return 0;
}

/* ---- externs ------------------------------------------------------------------------ */

const struct obj_extern *obj_extern_of(const struct nyk_object *obj, size_t sym)
{
	if (!obj->externs || sym >= obj->nsyms || obj->externs[sym].kind == OBJ_EXT_NONE)
		return NULL;
	return &obj->externs[sym];
}

/* Find `name` among the variables/functions of DATASEC `sec`; its type id or 0. */
static uint32_t datasec_member(const struct nyk_btf *btf, int64_t ds_id, const char *name)
{
	const struct nyk_btf_type *ds;
	const struct nyk_btf_var_secinfo *vs;

	if (ds_id < 0 || !(ds = nyk_btf_type_by_id(btf, (uint32_t)ds_id)))
		return 0;
	vs = nyk_btf_secinfos(ds);
	for (unsigned k = 0; k < nyk_btf_vlen(ds); k++) {
		const char *n = nyk_btf_type_name(btf, vs[k].type);
		if (n && strcmp(n, name) == 0)
			return vs[k].type;
	}
	return 0;
}

static int read_externs(struct nyk_object *obj, struct nyk_error *err)
{
	int64_t kcfg = obj->btf ? nyk_btf_find(obj->btf, ".kconfig", NYK_BTF_DATASEC) : -1;
	int64_t ksyms = obj->btf ? nyk_btf_find(obj->btf, ".ksyms", NYK_BTF_DATASEC) : -1;
	uint32_t off = 0;
	struct obj_map *m;

	for (size_t i = 1; i < obj->nsyms; i++) {
		const struct elf_symbol *sym = &obj->syms[i];
		struct obj_extern *e;
		uint32_t id;

		if (sym->shndx != ELF_SHN_UNDEF || !sym->name[0] || sym->bind == ELF_STB_LOCAL)
			continue;
		if (!obj->externs && !(obj->externs = calloc(obj->nsyms, sizeof(*obj->externs))))
			return nyk_error_set(err, -ENOMEM, "out of memory for externs");
		e = &obj->externs[i];
		e->name = sym->name;
		e->weak = sym->bind == ELF_STB_WEAK;
		if ((id = datasec_member(obj->btf, kcfg, sym->name))) {
			const struct nyk_btf_type *var = nyk_btf_type_by_id(obj->btf, id);
			int64_t size, align;
			if (nyk_btf_kind(var) != NYK_BTF_VAR)
				return obj_error(obj, err, -EINVAL, NULL, ".kconfig", -1, NULL,
						 "extern '%s' is not a variable", sym->name);
			size = nyk_btf_size(obj->btf, var->type);
			align = nyk_btf_align(obj->btf, var->type);
			if (size <= 0 || size > 4096 || align <= 0 || align > 8)
				return obj_error(obj, err, -EINVAL, NULL, ".kconfig", -1, NULL,
						 "extern '%s' has a type nyuki cannot fill (size %" PRId64 ")", sym->name, size);
			e->kind = OBJ_EXT_KCONFIG;
			e->btf_type = var->type;
			e->size = (uint32_t)size;
			off = (off + (uint32_t)align - 1) & ~((uint32_t)align - 1);
			e->offset = off;
			off += e->size;
		} else if ((id = datasec_member(obj->btf, ksyms, sym->name))) {
			e->kind = OBJ_EXT_KSYM;
			e->btf_type = id;
			e->is_func = nyk_btf_kind(nyk_btf_type_by_id(obj->btf, id)) == NYK_BTF_FUNC;
		} else if (!obj->btf && (strncmp(sym->name, "CONFIG_", 7) == 0 || strncmp(sym->name, "LINUX_", 6) == 0)) {
			return obj_error(obj, err, -EINVAL, NULL, ".kconfig", -1, NULL,
					 "extern '%s' needs BTF to know its type: %s", sym->name,
					 obj->btf_error[0] ? obj->btf_error : "compile with -g");
		}
	}
	if (!off)
		return 0;
	if (!(m = new_map(obj, ".kconfig", OBJ_MAP_KCONFIG, 0, ".kconfig", err)))
		return -ENOMEM;
	m->def.type = NYK_MAP_ARRAY;
	m->def.key_size = 4;
	m->def.value_size = off;
	m->def.max_entries = 1;
	m->def.map_flags = NYK_F_RDONLY_PROG;
	m->read_only = 1;
	m->image = calloc(1, off);
	if (!m->image)
		return nyk_error_set(err, -ENOMEM, "out of memory for .kconfig");
	obj->kconfig_map = obj->nmaps;
	obj->kconfig_size = off;
	return 0;
}

/*
 * iproute2's tail calls: a program in section "ID/IDX" goes into slot IDX of
 * the legacy prog_array whose id is ID.
 */
static int read_iproute2_tail_calls(struct nyk_object *obj, struct nyk_error *err)
{
	for (size_t i = 0; i < obj->nprogs; i++) {
		unsigned long id, idx;
		char *end;
		const char *s = obj->progs[i].section;

		if (s[0] < '0' || s[0] > '9')
			continue;
		id = strtoul(s, &end, 10);
		if (*end != '/' || end[1] < '0' || end[1] > '9')
			continue;
		idx = strtoul(end + 1, &end, 10);
		if (*end || id > UINT32_MAX)
			continue;
		for (size_t k = 0; k < obj->nmaps; k++) {
			struct obj_map *m = &obj->maps[k];
			int rc;
			if (m->kind != OBJ_MAP_LEGACY || m->def.type != NYK_MAP_PROG_ARRAY || !m->legacy_id ||
			    m->legacy_id != id)
				continue;
			if (idx >= m->def.max_entries)
				return obj_error(obj, err, -EINVAL, NULL, s, -1, NULL,
						 "slot %lu is outside prog_array '%s' (max_entries %" PRIu32 ")", idx, m->name,
						 m->def.max_entries);
			if ((rc = add_init(m, (uint32_t)idx, (uint32_t)i, err)))
				return rc;
		}
	}
	return 0;
}

int obj_read_maps(struct nyk_object *obj, struct nyk_error *err)
{
	int rc;

	if ((rc = read_legacy_maps(obj, err)) || (rc = read_btf_maps(obj, err)) || (rc = read_data_sections(obj, err)) ||
	    (rc = read_externs(obj, err)))
		return rc;
	fix_pointers(obj);
	if ((rc = read_iproute2_tail_calls(obj, err)))
		return rc;
	return read_map_values(obj, err);
}

/* ---- load ------------------------------------------------------------------------- */

int obj_create_maps(struct nyk_object *obj, struct nyk_error *err)
{
	fix_pointers(obj);
	for (size_t i = 0; i < obj->nmaps; i++) {
		struct obj_map *m = &obj->maps[i];
		struct nyk_map_opts mo = { .size = sizeof(mo), .nr_cpus = obj->opts.nr_cpus };
		struct nyk_error e;
		char *path = NULL;
		int rc;

		if (obj->shm_dir) {
			size_t n = strlen(obj->shm_dir) + strlen(m->name) + 2;
			if (!(path = malloc(n)))
				return nyk_error_set(err, -ENOMEM, "out of memory");
			snprintf(path, n, "%s/%s", obj->shm_dir, m->name);
			mo.path = path;
		}
		nyk_error_clear(&e);
		rc = nyk_map_create(&m->def, &mo, &m->map, &e);
		free(path);
		if (rc) {
			m->map = NULL;
			return obj_error(obj, err, rc, NULL, m->section, -1, NULL, "map '%s': %s", m->name, e.message);
		}
		if (m->image) {
			uint32_t zero = 0;
			if ((rc = nyk_map_update(m->map, &zero, m->image, NYK_ANY)))
				return obj_error(obj, err, rc, NULL, m->section, -1, NULL,
						 "map '%s': cannot write the initial data (%d)", m->name, rc);
		}
		/* .rodata and .kconfig are frozen once written, as libbpf does. */
		if (m->read_only && (rc = nyk_map_freeze(m->map)))
			return obj_error(obj, err, rc, NULL, m->section, -1, NULL, "map '%s': cannot freeze it (%d)",
					 m->name, rc);
	}
	return 0;
}

int obj_init_map_values(struct nyk_object *obj, struct nyk_error *err)
{
	for (size_t i = 0; i < obj->nmaps; i++) {
		struct obj_map *m = &obj->maps[i];

		if (m->ninits && m->def.key_size != 4)
			return obj_error(obj, err, -EINVAL, NULL, m->section, -1, NULL,
					 "map '%s': initial values need a 4-byte key, not %" PRIu32, m->name, m->def.key_size);
		for (size_t k = 0; k < m->ninits; k++) {
			/* prog_array: the program's index; map-in-map: the inner map's id (map.h). */
			uint32_t key = m->inits[k].slot, value = m->inits[k].target;
			int rc;
			if (m->def.type != NYK_MAP_PROG_ARRAY)
				value = nyk_map_id(obj->maps[value].map);
			rc = nyk_map_update(m->map, &key, &value, NYK_ANY);
			if (rc)
				return obj_error(obj, err, rc, NULL, m->section, -1, NULL,
						 "map '%s': cannot set initial value %" PRIu32 " to %s '%s' (%d)", m->name, key,
						 m->def.type == NYK_MAP_PROG_ARRAY ? "program" : "map",
						 m->def.type == NYK_MAP_PROG_ARRAY ? obj->progs[m->inits[k].target].name :
						 obj->maps[m->inits[k].target].name,
						 rc);
		}
	}
	return 0;
}

void obj_destroy_maps(struct nyk_object *obj)
{
	for (size_t i = 0; i < obj->nmaps; i++) {
		if (obj->maps[i].map)
			nyk_map_destroy(obj->maps[i].map);
		obj->maps[i].map = NULL;
	}
}

void obj_free_maps(struct nyk_object *obj)
{
	obj_destroy_maps(obj);
	for (size_t i = 0; i < obj->nmaps; i++) {
		free(obj->maps[i].name);
		free(obj->maps[i].inner_name);
		free(obj->maps[i].image);
		free(obj->maps[i].inits);
	}
	free(obj->maps);
	free(obj->map_of_sec);
	obj->maps = NULL;
	obj->nmaps = 0;
}
