/*
 * vars.c - global variables by name, as a libbpf skeleton exposes them.
 *
 * The symbol table is authoritative for where a variable is: clang and gcc
 * leave the offsets of a DATASEC's variables 0 in BTF (libbpf fixes them
 * up from the symbols; so does obj_read_vars, through
 * nyk_btf_datasec_fixup). BTF adds the types, and the variables that have
 * no symbol.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader/object_internal.h"

static struct obj_var *find_var(const struct nyk_object *obj, const char *name)
{
	for (size_t i = 0; name && i < obj->nvars; i++)
		if (strcmp(obj->vars[i].name, name) == 0)
			return &obj->vars[i];
	return NULL;
}

static int add_var(struct nyk_object *obj, const char *name, size_t map, uint64_t off, uint64_t size,
		   uint32_t btf_type, size_t *cap)
{
	const struct obj_map *m = &obj->maps[map];

	if (off > m->def.value_size || size > m->def.value_size - off || size == 0)
		return 0;   /* not a variable we can point at; the object stays usable */
	if (obj->nvars == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		struct obj_var *nv = realloc(obj->vars, ncap * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		obj->vars = nv;
		*cap = ncap;
	}
	obj->vars[obj->nvars].name = name;
	obj->vars[obj->nvars].map = map;
	obj->vars[obj->nvars].offset = (uint32_t)off;
	obj->vars[obj->nvars].size = (uint32_t)size;
	obj->vars[obj->nvars].btf_type = btf_type;
	obj->nvars++;
	return 0;
}

/* The symbol of variable `name` in section `shndx`, or NULL. */
static const struct elf_symbol *var_symbol(const struct nyk_object *obj, size_t shndx, const char *name)
{
	for (size_t i = 0; i < obj->nsyms; i++)
		if (obj->syms[i].shndx == shndx && obj->syms[i].type == ELF_STT_OBJECT &&
		    strcmp(obj->syms[i].name, name) == 0)
			return &obj->syms[i];
	return NULL;
}

/* Set a DATASEC's size and offsets from the section and the symbols, when they all agree. */
static void fixup_datasec(struct nyk_object *obj, uint32_t ds_id, size_t shndx, uint32_t size)
{
	const struct nyk_btf_type *ds = nyk_btf_type_by_id(obj->btf, ds_id);
	const struct nyk_btf_var_secinfo *vs = nyk_btf_secinfos(ds);
	unsigned n = nyk_btf_vlen(ds);
	uint32_t *offsets = malloc((n ? n : 1) * sizeof(*offsets));

	if (!offsets)
		return;
	for (unsigned k = 0; k < n; k++) {
		const char *name = nyk_btf_type_name(obj->btf, vs[k].type);
		const struct elf_symbol *sym = name ? var_symbol(obj, shndx, name) : NULL;
		if (!sym || sym->value > size || vs[k].size > size - sym->value) {
			free(offsets);
			return;
		}
		offsets[k] = (uint32_t)sym->value;
	}
	nyk_btf_datasec_fixup(obj->btf, ds_id, size, offsets, NULL);
	free(offsets);
}

/* Variables that BTF knows: types for those found by symbol, and those without a symbol. */
static int read_btf_vars(struct nyk_object *obj, size_t *cap)
{
	uint32_t count = nyk_btf_type_count(obj->btf);

	for (uint32_t id = 1; id < count; id++) {
		const struct nyk_btf_type *ds = nyk_btf_type_by_id(obj->btf, id);
		const char *secname;
		size_t shndx, map;

		if (nyk_btf_kind(ds) != NYK_BTF_DATASEC || !(secname = nyk_btf_str(obj->btf, ds->name_off)))
			continue;
		shndx = elf_find_section(&obj->ef, secname);
		if (!shndx || !obj->map_of_sec[shndx])
			continue;
		map = obj->map_of_sec[shndx] - 1;
		fixup_datasec(obj, id, shndx, obj->maps[map].def.value_size);
		ds = nyk_btf_type_by_id(obj->btf, id);
		const struct nyk_btf_var_secinfo *vs = nyk_btf_secinfos(ds);
		for (unsigned k = 0; k < nyk_btf_vlen(ds); k++) {
			const struct nyk_btf_type *var = nyk_btf_type_by_id(obj->btf, vs[k].type);
			const char *name = nyk_btf_type_name(obj->btf, vs[k].type);
			struct obj_var *v;
			int rc;

			if (!var || nyk_btf_kind(var) != NYK_BTF_VAR || !name || !name[0])
				continue;
			if ((v = find_var(obj, name))) {
				if (!v->btf_type && v->map == map)
					v->btf_type = var->type;
				continue;
			}
			if (nyk_btf_var_info(var)->linkage == NYK_BTF_VAR_EXTERN)
				continue;
			if ((rc = add_var(obj, name, map, vs[k].offset, vs[k].size, var->type, cap)))
				return rc;
		}
	}
	return 0;
}

int obj_read_vars(struct nyk_object *obj, struct nyk_error *err)
{
	size_t cap = 0;

	for (size_t i = 0; i < obj->nsyms; i++) {
		const struct elf_symbol *sym = &obj->syms[i];
		if (sym->type != ELF_STT_OBJECT || !sym->name[0] || sym->shndx >= obj->ef.shnum ||
		    !obj->map_of_sec[sym->shndx] || find_var(obj, sym->name))
			continue;
		if (add_var(obj, sym->name, obj->map_of_sec[sym->shndx] - 1, sym->value, sym->size, 0, &cap))
			return nyk_error_set(err, -ENOMEM, "out of memory for variables");
	}
	if (obj->btf && read_btf_vars(obj, &cap))
		return nyk_error_set(err, -ENOMEM, "out of memory for variables");
	return 0;
}

/* ---- the API ---------------------------------------------------------------------- */

static void fill_info(const struct nyk_object *obj, const struct obj_var *v, struct nyk_var_info *info)
{
	const struct obj_map *m = &obj->maps[v->map];

	info->name = v->name;
	info->section = m->section;
	info->map = v->map;
	info->offset = v->offset;
	info->size = v->size;
	info->btf_type = v->btf_type;
	info->read_only = m->read_only;
}

size_t nyk_object_var_count(const struct nyk_object *obj) { return obj->nvars; }

int nyk_object_var(const struct nyk_object *obj, size_t i, struct nyk_var_info *info)
{
	if (i >= obj->nvars)
		return -ENOENT;
	fill_info(obj, &obj->vars[i], info);
	return 0;
}

int nyk_object_find_var(const struct nyk_object *obj, const char *name, struct nyk_var_info *info)
{
	const struct obj_var *v = find_var(obj, name);

	if (!v)
		return -ENOENT;
	if (info)
		fill_info(obj, v, info);
	return 0;
}

/* The bytes of a variable: the section's image before load, the map's value after. */
static int var_bytes(struct nyk_object *obj, const char *name, size_t size, int writing, uint8_t **out,
		     struct nyk_error *err)
{
	const struct obj_var *v = find_var(obj, name);
	struct obj_map *m;
	uint8_t *base;

	if (!v) {
		char list[160] = "";
		size_t n = 0;
		for (size_t i = 0; i < obj->nvars && n + 4 < sizeof(list); i++) {
			int w = snprintf(list + n, sizeof(list) - n, "%s%s", i ? ", " : "", obj->vars[i].name);
			if (w < 0 || (size_t)w >= sizeof(list) - n) {
				snprintf(list + n, sizeof(list) - n, "...");
				break;
			}
			n += (size_t)w;
		}
		return obj_error(obj, err, -ENOENT, NULL, NULL, -1, NULL, "no global variable '%s' (%s%s)",
				 name ? name : "(null)", obj->nvars ? "variables: " : "the object has none", list);
	}
	m = &obj->maps[v->map];
	if (size != v->size)
		return obj_error(obj, err, -EINVAL, NULL, m->section, -1, NULL, "variable '%s' is %" PRIu32 " bytes, not %zu",
				 name, v->size, size);
	if (!obj->loaded) {
		base = m->image;
	} else {
		uint32_t zero = 0;
		if (writing && m->read_only)
			return obj_error(obj, err, -EPERM, NULL, m->section, -1, NULL,
					 "variable '%s' is in %s, which is frozen after load: set it before nyk_object_load",
					 name, m->section);
		base = m->map ? nyk_map_lookup_elem_ptr(m->map, &zero, 0) : NULL;
		if (!base)
			return obj_error(obj, err, -EFAULT, NULL, m->section, -1, NULL, "map '%s' has no value", m->name);
	}
	*out = base + v->offset;
	return 0;
}

int nyk_object_set_var(struct nyk_object *obj, const char *name, const void *value, size_t size,
		       struct nyk_error *err)
{
	uint8_t *p;
	int rc = var_bytes(obj, name, size, 1, &p, err);

	if (rc)
		return rc;
	memcpy(p, value, size);
	return 0;
}

int nyk_object_get_var(struct nyk_object *obj, const char *name, void *value, size_t size, struct nyk_error *err)
{
	uint8_t *p;
	int rc = var_bytes(obj, name, size, 0, &p, err);

	if (rc)
		return rc;
	memcpy(value, p, size);
	return 0;
}
