/*
 * reloc.c - relocations of code sections: read and checked at open,
 * applied to each program as it is linked (link.c).
 *
 * What a relocated instruction becomes, as libbpf does it:
 *   - lddw of a map definition (legacy `maps` or BTF `.maps`):
 *       src 5 (NYK_PSEUDO_MAP_IDX), imm = map index;
 *   - lddw of global data (a symbol or section symbol of .data, .rodata,
 *     .bss, ...): src 6 (NYK_PSEUDO_MAP_IDX_VALUE), imm = map index, next
 *     imm = offset in the section = symbol value + the addend the
 *     instruction holds (its imm);
 *   - lddw of a .kconfig extern: src 6 into the .kconfig map;
 *   - lddw of a function (callbacks for bpf_loop and friends): src 4
 *     (NYK_PSEUDO_FUNC), imm = relative offset of the function in the
 *     linked program;
 *   - call (src 1) of a function, with or without relocation: imm =
 *     relative offset of the function in the linked program.
 * Relocation type 0 (R_BPF_NONE), which old objects carry on map loads, is
 * treated like R_BPF_64_64: what matters is the instruction it sits on.
 *
 * Targets: R_BPF_64_32 calls give the target as (S + A) / 8 - 1 in the
 * instruction; for a function symbol clang leaves imm = -1 (A = 0), for a
 * section symbol imm = target/8 - 1. gcc 12 (binutils 2.40) writes S - 1
 * in bytes for function symbols and the full S + A in lddw of data; both
 * are recognised (the first by value, the second in objects whose .comment
 * says GCC).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "loader/object_internal.h"
#include "nyuki/progtype.h"

static int is_lddw(const struct nyk_insn *i) { return i->opcode == OBJ_OP_LDDW; }
static int is_local_call(const struct nyk_insn *i)
{
	return i->opcode == OBJ_OP_CALL && nyk_insn_src(i) == NYK_CALL_LOCAL;
}

static int cmp_reloc(const void *a, const void *b)
{
	const struct obj_reloc *x = a, *y = b;
	return x->insn < y->insn ? -1 : x->insn > y->insn;
}

static int add_relocs(struct nyk_object *obj, size_t relsec, struct obj_code *c, struct nyk_error *err)
{
	const struct elf_section *s = &obj->ef.sections[relsec];
	size_t n;
	struct obj_reloc *nr;
	int rc;

	if ((rc = elf_relocs_check(&obj->ef, relsec, &n, err)))
		return rc;
	if (n == 0)
		return 0;
	if (!obj->symtab || s->link != obj->symtab)
		return obj_error(obj, err, -EINVAL, NULL, s->name, -1, NULL,
				 "relocations use section %" PRIu32 " as symbol table, not the object's (%zu)", s->link,
				 obj->symtab);
	nr = realloc(c->relocs, (c->nrelocs + n) * sizeof(*nr));
	if (!nr)
		return nyk_error_set(err, -ENOMEM, "out of memory for %zu relocations", n);
	c->relocs = nr;
	for (size_t i = 0; i < n; i++) {
		struct elf_reloc r;
		struct obj_reloc *o = &c->relocs[c->nrelocs];

		elf_reloc(&obj->ef, relsec, i, &r);
		if (r.offset % 8 || r.offset / 8 >= c->count)
			return obj_error(obj, err, -EINVAL, NULL, c->name, -1, NULL,
					 "relocation %zu of %s is at offset 0x%" PRIx64
					 ", not at an instruction of the section (size 0x%zx)",
					 i, s->name, r.offset, c->count * 8);
		if (r.sym == 0 || r.sym >= obj->nsyms)
			return obj_error(obj, err, -EINVAL, NULL, c->name, (long)(r.offset / 8), obj_code_line(c, r.offset / 8),
					 "relocation %zu of %s names symbol %" PRIu32 ", which does not exist (%zu symbols)",
					 i, s->name, r.sym, obj->nsyms);
		o->insn = (uint32_t)(r.offset / 8);
		o->type = r.type;
		o->sym = r.sym;
		o->has_addend = s->type == ELF_SHT_RELA;
		o->addend = r.addend;
		c->nrelocs++;
	}
	return 0;
}

int obj_read_relocs(struct nyk_object *obj, struct nyk_error *err)
{
	const struct elf_file *ef = &obj->ef;
	int rc;

	for (size_t i = 1; i < ef->shnum; i++) {
		const struct elf_section *s = &ef->sections[i];
		long ci;

		if (s->type != ELF_SHT_REL && s->type != ELF_SHT_RELA)
			continue;
		if (s->info >= ef->shnum)
			return obj_error(obj, err, -EINVAL, NULL, s->name, -1, NULL,
					 "relocations apply to section %" PRIu32 ", which does not exist", s->info);
		ci = obj_code_of_section(obj, s->info);
		if (ci < 0)
			continue;   /* data, .maps (maps_elf.c), BTF, debug info */
		if ((rc = add_relocs(obj, i, &obj->codes[ci], err)))
			return rc;
	}
	for (size_t ci = 0; ci < obj->ncodes; ci++) {
		struct obj_code *c = &obj->codes[ci];

		if (!c->nrelocs)
			continue;
		qsort(c->relocs, c->nrelocs, sizeof(*c->relocs), cmp_reloc);
		c->reloc_at = calloc(c->count, sizeof(*c->reloc_at));
		if (!c->reloc_at)
			return nyk_error_set(err, -ENOMEM, "out of memory for relocations");
		for (size_t k = 0; k < c->nrelocs; k++) {
			uint32_t insn = c->relocs[k].insn;
			if (c->reloc_at[insn])
				return obj_error(obj, err, -EINVAL, NULL, c->name, insn, obj_code_line(c, insn),
						 "two relocations at the same instruction");
			c->reloc_at[insn] = (uint32_t)k + 1;
		}
	}
	return 0;
}

int obj_insn_needs_reloc(const struct obj_code *c, size_t insn, const struct nyk_insn *i)
{
	if (c->reloc_at && c->reloc_at[insn])
		return 1;
	return is_local_call(i) || (is_lddw(i) && nyk_insn_src(i) == NYK_PSEUDO_FUNC);
}

/* ---- applying ----------------------------------------------------------------------- */

/* An error about the instruction at linked position `pos`, with its source line. */
#define LINK_ERROR(lk, c, sec_insn, pos, code, ...)                                               \
	obj_error((lk)->obj, err, (code), (lk)->prog, NULL, (long)(pos), obj_code_line((c), (sec_insn)), \
		  __VA_ARGS__)

/* Place the function holding instruction `target` of code `tc`; give the linked position of `target`. */
static int place_target(struct obj_link *lk, const struct obj_code *c, size_t sec_insn, size_t pos, size_t tci,
			uint64_t target, const char *what, size_t *out, struct nyk_error *err)
{
	struct nyk_object *obj = lk->obj;
	const struct obj_code *tc = &obj->codes[tci];
	struct obj_func *f;
	long fpos;

	if (target >= tc->count)
		return LINK_ERROR(lk, c, sec_insn, pos, -EINVAL,
				  "%s target (insn %" PRIu64 " of section '%s') is outside the section (%zu instructions)",
				  what, target, tc->name, tc->count);
	f = obj_func_at(obj, tc, (size_t)target);
	if (!f)
		return LINK_ERROR(lk, c, sec_insn, pos, -EINVAL,
				  "%s target (insn %" PRIu64 " of section '%s') is in no function", what, target, tc->name);
	fpos = obj_link_place(lk, f, err);
	if (fpos < 0)
		return (int)fpos;
	*out = (size_t)fpos + (size_t)(target - f->start);
	return 0;
}

/* Set a relative imm (call or pseudo-func lddw) from linked position `pos` to `to`. */
static int set_relative(struct obj_link *lk, const struct obj_code *c, size_t sec_insn, size_t pos, size_t to,
			struct nyk_error *err)
{
	int64_t rel = (int64_t)to - (int64_t)pos - 1;

	if (rel < INT32_MIN || rel > INT32_MAX)
		return LINK_ERROR(lk, c, sec_insn, pos, -E2BIG, "the linked program is too large for a call offset");
	lk->buf[pos].imm = (int32_t)rel;
	return 0;
}

static const char *libc_hint(const char *name)
{
	static const char *const names[] = { "memcpy", "memset", "memmove", "memcmp", "strlen", "bcmp" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return name;
	return NULL;
}

static int undefined_call(struct obj_link *lk, const struct obj_code *c, size_t sec_insn, size_t pos,
			  const char *name, struct nyk_error *err)
{
	const char *libc = libc_hint(name);

	if (libc && (strcmp(libc, "memcpy") == 0 || strcmp(libc, "memset") == 0 || strcmp(libc, "memmove") == 0))
		return LINK_ERROR(lk, c, sec_insn, pos, -ENOENT,
				  "calls undefined function '%s' (insn %zu); BPF has no libc: use __builtin_%s with a "
				  "constant size", name, pos, libc);
	if (libc)
		return LINK_ERROR(lk, c, sec_insn, pos, -ENOENT,
				  "calls undefined function '%s' (insn %zu); BPF has no libc: write the loop out or use a "
				  "helper", name, pos);
	return LINK_ERROR(lk, c, sec_insn, pos, -ENOENT,
			  "calls undefined function '%s' (insn %zu); a BPF object must define every function it "
			  "calls (static, or in .text)", name, pos);
}

/* A call to an extern: a kfunc from .ksyms, or an undefined function. */
static int extern_call(struct obj_link *lk, const struct obj_code *c, size_t sec_insn, size_t pos,
		       const struct obj_reloc *r, struct nyk_error *err)
{
	const struct elf_symbol *sym = &lk->obj->syms[r->sym];
	const struct obj_extern *ext = obj_extern_of(lk->obj, r->sym);
	struct nyk_insn *i = &lk->buf[pos];

	if (!ext || ext->kind != OBJ_EXT_KSYM || !ext->is_func)
		return undefined_call(lk, c, sec_insn, pos, sym->name, err);
	if (!ext->weak)
		return LINK_ERROR(lk, c, sec_insn, pos, -ENOTSUP,
				  "calls kernel function '%s' (a .ksyms kfunc, insn %zu), which user space cannot "
				  "resolve", sym->name, pos);
	/* A weak kfunc that does not exist: poisoned like a failed CO-RE relocation. */
	i->regs = 0;
	i->off = 0;
	i->imm = NYK_CORE_POISON_HELPER;
	return obj_link_poison(lk, pos, "weak kfunc '%s' is not available in user space", sym->name);
}

static int relocate_call(struct obj_link *lk, const struct obj_code *c, size_t sec_insn, size_t pos,
			 const struct obj_reloc *r, struct nyk_error *err)
{
	struct nyk_object *obj = lk->obj;
	struct nyk_insn *i = &lk->buf[pos];
	size_t to;
	long tci;
	uint64_t byte;
	int rc;

	if (!is_local_call(i))
		return LINK_ERROR(lk, c, sec_insn, pos, -EINVAL,
				  "relocation against '%s' on a call of helper %" PRId32 " (a bpf-to-bpf call has src 1)",
				  r ? obj_sym_name(obj, &obj->syms[r->sym]) : "?", i->imm);
	if (!r) {
		int64_t t = (int64_t)sec_insn + i->imm + 1;
		if (t < 0)
			return LINK_ERROR(lk, c, sec_insn, pos, -EINVAL, "call target %" PRId64 " is before the section",
					  t);
		tci = c - obj->codes;
		byte = (uint64_t)t * 8;
	} else {
		const struct elf_symbol *sym = &obj->syms[r->sym];

		if (sym->shndx == ELF_SHN_UNDEF)
			return extern_call(lk, c, sec_insn, pos, r, err);
		tci = sym->shndx < ELF_SHN_LORESERVE ? obj_code_of_section(obj, sym->shndx) : -1;
		if (tci < 0)
			return LINK_ERROR(lk, c, sec_insn, pos, -EINVAL,
					  "calls '%s' in section '%s', which holds no code", obj_sym_name(obj, sym),
					  sym->shndx < ELF_SHN_LORESERVE ? elf_section_name(&obj->ef, sym->shndx) : "(special)");
		if (r->has_addend)
			byte = sym->value + (uint64_t)r->addend;
		else if (sym->type != ELF_STT_SECTION && sym->value && (int64_t)i->imm + 1 == (int64_t)sym->value)
			byte = sym->value;   /* gcc 12: S - 1, in bytes */
		else
			byte = sym->value + (uint64_t)(((int64_t)i->imm + 1) * 8);
		if (byte % 8)
			return LINK_ERROR(lk, c, sec_insn, pos, -EINVAL,
					  "call target '%s' + 0x%" PRIx64 " is not at an instruction",
					  obj_sym_name(obj, sym), byte - sym->value);
	}
	if ((rc = place_target(lk, c, sec_insn, pos, (size_t)tci, byte / 8, "call", &to, err)))
		return rc;
	return set_relative(lk, c, sec_insn, pos, to, err);
}

/* Offset into a section that an lddw relocation designates: S + A. */
static int lddw_offset(const struct nyk_object *obj, const struct elf_symbol *sym, const struct obj_reloc *r,
		       const struct nyk_insn *i, uint64_t *off)
{
	int64_t a;

	if (r->has_addend)
		a = r->addend;
	else if (obj->gcc && sym->type != ELF_STT_SECTION && (int64_t)(uint32_t)i->imm >= (int64_t)sym->value)
		a = (int64_t)(uint32_t)i->imm - (int64_t)sym->value;   /* gcc 12 wrote S + A */
	else
		a = i->imm;
	if (a < 0 && (uint64_t)-a > sym->value)
		return -ERANGE;
	*off = sym->value + (uint64_t)a;
	return 0;
}

static void set_pseudo(struct nyk_insn *i, unsigned src, int32_t imm, int32_t next_imm)
{
	i[0].regs = nyk_insn_regs(nyk_insn_dst(&i[0]), src);
	i[0].imm = imm;
	i[1].imm = next_imm;
}

static int extern_lddw(struct obj_link *lk, const struct obj_code *c, size_t sec_insn, size_t pos,
		       const struct obj_reloc *r, struct nyk_error *err)
{
	struct nyk_object *obj = lk->obj;
	const struct elf_symbol *sym = &obj->syms[r->sym];
	const struct obj_extern *ext = obj_extern_of(obj, r->sym);
	struct nyk_insn *i = &lk->buf[pos];

	if (!ext && obj->btf)
		return LINK_ERROR(lk, c, sec_insn, pos, -ENOENT, "refers to undefined symbol '%s'", sym->name);
	if (!ext)
		return LINK_ERROR(lk, c, sec_insn, pos, -ENOENT, "refers to undefined symbol '%s' (externs need BTF; %s)",
				  sym->name, obj->btf_error[0] ? obj->btf_error : "compile with -g");
	if (ext->kind == OBJ_EXT_KCONFIG) {
		uint64_t off = (uint64_t)ext->offset + (uint64_t)(int64_t)i->imm;
		if (!obj->kconfig_map || off > obj->kconfig_size)
			return LINK_ERROR(lk, c, sec_insn, pos, -EINVAL, "extern '%s' is outside the .kconfig map",
					  sym->name);
		set_pseudo(i, NYK_PSEUDO_MAP_IDX_VALUE, (int32_t)(obj->kconfig_map - 1), (int32_t)off);
		return 0;
	}
	if (!ext->weak)
		return LINK_ERROR(lk, c, sec_insn, pos, -ENOTSUP,
				  "extern '%s' in .ksyms (a kernel %s) cannot be resolved in user space", sym->name,
				  ext->is_func ? "function" : "variable");
	/* A weak kernel symbol that is not there: its address is 0, as libbpf makes it. */
	set_pseudo(i, NYK_PSEUDO_NONE, 0, 0);
	return 0;
}

static int relocate_lddw(struct obj_link *lk, const struct obj_code *c, size_t sec_insn, size_t pos,
			 const struct obj_reloc *r, struct nyk_error *err)
{
	struct nyk_object *obj = lk->obj;
	struct nyk_insn *i = &lk->buf[pos];
	const struct obj_func *f;
	const struct elf_symbol *sym;
	uint64_t off;
	long m;

	f = obj_func_at(obj, c, sec_insn);
	if (sec_insn + 1 >= c->count || !f || sec_insn + 1 >= f->start + f->count)
		return LINK_ERROR(lk, c, sec_insn, pos, -EINVAL, "lddw without its second slot");
	if (!r) {   /* a pseudo-func lddw without relocation: relative to itself */
		int64_t t = (int64_t)sec_insn + i->imm + 1;
		size_t to;
		int rc;
		if (t < 0)
			return LINK_ERROR(lk, c, sec_insn, pos, -EINVAL, "function address before the section");
		if ((rc = place_target(lk, c, sec_insn, pos, (size_t)(c - obj->codes), (uint64_t)t, "function address",
				       &to, err)))
			return rc;
		return set_relative(lk, c, sec_insn, pos, to, err);
	}
	if (nyk_insn_src(i) != NYK_PSEUDO_NONE)
		return LINK_ERROR(lk, c, sec_insn, pos, -EINVAL, "relocation on an lddw that already has source %u",
				  nyk_insn_src(i));
	sym = &obj->syms[r->sym];
	if (sym->shndx == ELF_SHN_UNDEF)
		return extern_lddw(lk, c, sec_insn, pos, r, err);
	if (sym->shndx == ELF_SHN_COMMON)
		return LINK_ERROR(lk, c, sec_insn, pos, -EINVAL,
				  "'%s' is a common symbol: initialize the global variable or compile with -fno-common",
				  sym->name);
	if (sym->shndx >= ELF_SHN_LORESERVE || sym->shndx >= obj->ef.shnum)
		return LINK_ERROR(lk, c, sec_insn, pos, -EINVAL, "refers to '%s' in special section 0x%x",
				  obj_sym_name(obj, sym), sym->shndx);
	if (lddw_offset(obj, sym, r, i, &off))
		return LINK_ERROR(lk, c, sec_insn, pos, -EINVAL, "refers to '%s' %+d, before its section",
				  obj_sym_name(obj, sym), i->imm);

	/* A map definition: libbpf ignores the addend there. */
	if (sym->shndx == obj->legacy_maps_shndx || sym->shndx == obj->btf_maps_shndx) {
		m = obj_map_at(obj, sym->shndx, sym->type == ELF_STT_SECTION ? off : sym->value);
		if (m < 0)
			return LINK_ERROR(lk, c, sec_insn, pos, -EINVAL,
					  "refers to '%s' in section '%s', which is not the start of a map definition",
					  obj_sym_name(obj, sym), elf_section_name(&obj->ef, sym->shndx));
		set_pseudo(i, NYK_PSEUDO_MAP_IDX, (int32_t)m, 0);
		return 0;
	}
	/* Global data. */
	if (obj->map_of_sec && obj->map_of_sec[sym->shndx]) {
		const struct obj_map *map = &obj->maps[obj->map_of_sec[sym->shndx] - 1];
		if (off > map->def.value_size)
			return LINK_ERROR(lk, c, sec_insn, pos, -EINVAL,
					  "refers to '%s' + %" PRIu64 ", past the end of section '%s' (%" PRIu32 " bytes)",
					  obj_sym_name(obj, sym), off - sym->value, map->name, map->def.value_size);
		set_pseudo(i, NYK_PSEUDO_MAP_IDX_VALUE, (int32_t)(obj->map_of_sec[sym->shndx] - 1), (int32_t)off);
		return 0;
	}
	/* A function's address (a callback). */
	long tci = obj_code_of_section(obj, sym->shndx);
	if (tci >= 0) {
		size_t to;
		int rc;
		if (off % 8)
			return LINK_ERROR(lk, c, sec_insn, pos, -EINVAL,
					  "function address '%s' + %" PRIu64 " is not at an instruction",
					  obj_sym_name(obj, sym), off - sym->value);
		if ((rc = place_target(lk, c, sec_insn, pos, (size_t)tci, off / 8, "function address", &to, err)))
			return rc;
		set_pseudo(&lk->buf[pos], NYK_PSEUDO_FUNC, 0, 0);   /* placing may have moved the buffer */
		return set_relative(lk, c, sec_insn, pos, to, err);
	}
	{
		const struct elf_section *ts = &obj->ef.sections[sym->shndx];
		if (obj_is_data_section(ts) && ts->size == 0)
			return LINK_ERROR(lk, c, sec_insn, pos, -EINVAL, "refers to '%s' in empty section '%s'",
					  obj_sym_name(obj, sym), ts->name);
		return LINK_ERROR(lk, c, sec_insn, pos, -EINVAL,
				  "refers to '%s' in section '%s', which is neither a map, global data nor code",
				  obj_sym_name(obj, sym), ts->name);
	}
}

int obj_relocate_insn(struct obj_link *lk, const struct obj_code *c, size_t sec_insn, size_t pos,
		      struct nyk_error *err)
{
	const struct obj_reloc *r = c->reloc_at && c->reloc_at[sec_insn] ? &c->relocs[c->reloc_at[sec_insn] - 1] : NULL;
	struct nyk_insn *i = &lk->buf[pos];

	if (r && r->type != R_BPF_NONE && r->type != R_BPF_64_64 && r->type != R_BPF_64_32)
		return LINK_ERROR(lk, c, sec_insn, pos, -EINVAL,
				  "relocation type %" PRIu32 " against '%s' is not one code carries (R_BPF_64_64, "
				  "R_BPF_64_32)", r->type, obj_sym_name(lk->obj, &lk->obj->syms[r->sym]));
	if (i->opcode == OBJ_OP_CALL)
		return relocate_call(lk, c, sec_insn, pos, r, err);
	if (is_lddw(i))
		return relocate_lddw(lk, c, sec_insn, pos, r, err);
	return LINK_ERROR(lk, c, sec_insn, pos, -EINVAL,
			  "relocation against '%s' on an instruction (opcode 0x%02x) that is neither lddw nor call",
			  r ? obj_sym_name(lk->obj, &lk->obj->syms[r->sym]) : "?", i->opcode);
}
