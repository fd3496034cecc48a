/*
 * object.c - opening an eBPF object (nyuki/object.h): sections, symbols,
 * functions and programs, BTF and line info; the accessors; closing.
 * Relocations (reloc.c), maps and data (maps_elf.c) and variables (vars.c)
 * are read here through their files; nyk_object_load is in link.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader/object_internal.h"
#include "loader/object_runtime.h"
#include "nyuki/progtype.h"

/* ---- errors ------------------------------------------------------------------- */

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

int obj_error(const struct nyk_object *obj, struct nyk_error *err, int code, const struct nyk_program *prog,
	      const char *sec, long insn, const struct obj_line *line, const char *fmt, ...)
{
	char msg[NYK_ERROR_MSG_MAX], where[160] = "", src[96] = "";
	va_list ap;

	if (!err)
		return code;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (prog)
		snprintf(where, sizeof(where), "program '%s' in section '%s': ", prog->name, prog->section);
	else if (sec)
		snprintf(where, sizeof(where), "section '%s': ", sec);
	if (line && line->file)
		snprintf(src, sizeof(src), "%s:%" PRIu32 ": ", base_name(line->file), line->line);
	nyk_error_set_file(err, obj ? obj->name : NULL);
	err->line = 0;
	err->column = 0;
	err->insn = insn;
	return nyk_error_set(err, code, "%s%s%s", where, src, msg);
}

/* ---- small lookups ---------------------------------------------------------------- */

const char *obj_sym_name(const struct nyk_object *obj, const struct elf_symbol *sym)
{
	if (sym->name[0])
		return sym->name;
	if (sym->type == ELF_STT_SECTION)
		return elf_section_name(&obj->ef, sym->shndx);
	return "(unnamed)";
}

static int has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* .rodata, .rodata.* (string and constant pools included). */
int obj_is_rodata_section(const char *name)
{
	return strcmp(name, ".rodata") == 0 || has_prefix(name, ".rodata.");
}

/* Sections that become global data maps, as libbpf classifies them. */
int obj_is_data_section(const struct elf_section *s)
{
	const char *n = s->name;

	if (s->type != ELF_SHT_PROGBITS && s->type != ELF_SHT_NOBITS)
		return 0;
	if (s->flags & ELF_SHF_EXECINSTR)
		return 0;
	return strcmp(n, ".data") == 0 || has_prefix(n, ".data.") || strcmp(n, ".bss") == 0 ||
	       has_prefix(n, ".bss.") || obj_is_rodata_section(n);
}

long obj_code_of_section(const struct nyk_object *obj, size_t shndx)
{
	for (size_t i = 0; i < obj->ncodes; i++)
		if (obj->codes[i].shndx == shndx)
			return (long)i;
	return -1;
}

struct obj_func *obj_func_at(struct nyk_object *obj, const struct obj_code *c, size_t insn)
{
	size_t lo = 0, hi = c->nfuncs;

	/* The last function starting at or before insn. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (obj->funcs[c->func0 + mid].start <= insn)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	struct obj_func *f = &obj->funcs[c->func0 + lo - 1];
	return insn < f->start + f->count ? f : NULL;
}

/* Index of the first line record with insn >= `insn`. */
static size_t lines_lower_bound(const struct obj_line *lines, size_t n, size_t insn)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (lines[mid].insn < insn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The last record at or before insn, not before `floor`. */
static const struct obj_line *line_at(const struct obj_line *lines, size_t n, size_t insn, size_t floor)
{
	size_t i = lines_lower_bound(lines, n, insn + 1);

	if (i == 0 || lines[i - 1].insn < floor)
		return NULL;
	return &lines[i - 1];
}

const struct obj_line *obj_code_line(const struct obj_code *c, size_t insn)
{
	return line_at(c->lines, c->nlines, insn, 0);
}

/*
 * The line record of a program's instruction: found through the function
 * it was copied from (a linked program refers to its sections' records
 * rather than copying them).
 */
const struct obj_line *obj_prog_line(const struct nyk_program *prog, size_t insn)
{
	const struct nyk_object *obj = prog->obj;
	const struct obj_func *f;
	size_t lo = 0, hi = prog->nfnames, start = 0;

	if (!prog->insns) {
		f = &obj->funcs[prog->func];
		if (insn >= f->count)
			return NULL;
	} else {
		while (lo < hi) {   /* the last function placed at or before insn */
			size_t mid = lo + (hi - lo) / 2;
			if (prog->fnames[mid].insn <= insn)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == 0 || insn >= prog->count)
			return NULL;
		f = &obj->funcs[prog->fnames[lo - 1].func];
		start = prog->fnames[lo - 1].insn;
	}
	const struct obj_code *c = &obj->codes[f->code];
	return line_at(c->lines, c->nlines, f->start + (insn - start), f->start);
}

/* ---- sections ----------------------------------------------------------------------- */

static int read_symbols(struct nyk_object *obj, struct nyk_error *err)
{
	int rc;

	obj->symtab = elf_find_section_type(&obj->ef, ELF_SHT_SYMTAB);
	if (!obj->symtab)
		return 0;
	if ((rc = elf_symtab_check(&obj->ef, obj->symtab, &obj->nsyms, err)))
		return rc;
	obj->syms = calloc(obj->nsyms ? obj->nsyms : 1, sizeof(*obj->syms));
	if (!obj->syms)
		return nyk_error_set(err, -ENOMEM, "out of memory for %zu symbols", obj->nsyms);
	for (size_t i = 0; i < obj->nsyms; i++)
		if ((rc = elf_symbol(&obj->ef, obj->symtab, i, &obj->syms[i], err)))
			return rc;
	return 0;
}

static int is_code_section(const struct elf_section *s)
{
	return s->type == ELF_SHT_PROGBITS && (s->flags & ELF_SHF_EXECINSTR);
}

static int read_code_sections(struct nyk_object *obj, struct nyk_error *err)
{
	const struct elf_file *ef = &obj->ef;
	size_t n = 0;

	for (size_t i = 1; i < ef->shnum; i++)
		n += is_code_section(&ef->sections[i]) && ef->sections[i].size > 0;
	obj->codes = calloc(n ? n : 1, sizeof(*obj->codes));
	if (!obj->codes)
		return nyk_error_set(err, -ENOMEM, "out of memory for %zu code sections", n);
	for (size_t i = 1; i < ef->shnum; i++) {
		const struct elf_section *s = &ef->sections[i];
		struct obj_code *c;
		uint64_t size;
		const uint8_t *bytes;

		if (!is_code_section(s) || s->size == 0)
			continue;
		if (s->size % 8)
			return obj_error(obj, err, -EINVAL, NULL, s->name, -1, NULL,
					 "size 0x%" PRIx64 " is not a multiple of 8 (the instruction size)", s->size);
		bytes = elf_section_data(ef, i, &size);
		c = &obj->codes[obj->ncodes++];
		c->shndx = i;
		c->name = s->name;
		c->count = (size_t)(size / 8);
		c->insns = malloc(c->count * sizeof(*c->insns));
		if (!c->insns)
			return nyk_error_set(err, -ENOMEM, "out of memory for %zu instructions", c->count);
		elf_read_insns(ef, bytes, c->count, c->insns);
	}
	return 0;
}

static void read_license_and_version(struct nyk_object *obj)
{
	uint64_t size;
	const uint8_t *d;
	size_t idx;

	if ((idx = elf_find_section(&obj->ef, "license")) && (d = elf_section_data(&obj->ef, idx, &size))) {
		size_t n = size < sizeof(obj->license) - 1 ? (size_t)size : sizeof(obj->license) - 1;
		memcpy(obj->license, d, n);
		obj->license[n] = '\0';
	}
	if ((idx = elf_find_section(&obj->ef, "version")) && (d = elf_section_data(&obj->ef, idx, &size)) && size >= 4)
		obj->kversion = elf_u32(&obj->ef, d);
	if ((idx = elf_find_section(&obj->ef, ".comment")) && (d = elf_section_data(&obj->ef, idx, &size))) {
		/* "\0GCC: (Debian 12.2.0-14) 12.2.0\0": look for GCC's mark anywhere in the section. */
		for (uint64_t i = 0; i + 5 <= size && !obj->gcc; i++)
			obj->gcc = memcmp(d + i, "GCC: ", 5) == 0;
	}
}

/*
 * .BTF and .BTF.ext are optional, as in libbpf: when they cannot be read
 * the object loads without them, and what needs them (.maps, externs)
 * says why they are missing.
 */
static void read_btf(struct nyk_object *obj)
{
	struct nyk_error e;
	size_t idx = elf_find_section(&obj->ef, ".BTF"), ext;
	uint64_t size;
	const uint8_t *d;

	if (!idx)
		return;
	nyk_error_clear(&e);
	d = elf_section_data(&obj->ef, idx, &size);
	if (nyk_btf_parse(d, (size_t)size, &obj->btf, &e)) {
		obj->btf = NULL;
		snprintf(obj->btf_error, sizeof(obj->btf_error), ".BTF could not be read: %s", e.message);
		return;
	}
	ext = elf_find_section(&obj->ef, ".BTF.ext");
	if (!ext)
		return;
	d = elf_section_data(&obj->ef, ext, &size);
	if (nyk_btf_ext_parse(d, (size_t)size, obj->btf, &obj->ext, &e)) {
		obj->ext = NULL;
		snprintf(obj->btf_error, sizeof(obj->btf_error), ".BTF.ext could not be read: %s", e.message);
	}
}

static int cmp_line(const void *a, const void *b)
{
	const struct obj_line *x = a, *y = b;
	return x->insn < y->insn ? -1 : x->insn > y->insn;
}

/* Line info of each code section from .BTF.ext. */
static int read_line_info(struct nyk_object *obj, struct nyk_error *err)
{
	if (!obj->ext)
		return 0;
	for (size_t i = 0; i < obj->ncodes; i++) {
		struct obj_code *c = &obj->codes[i];
		const struct nyk_btf_line_info *li;
		size_t n = nyk_btf_ext_line_info(obj->ext, c->name, &li), k = 0;
		int sorted = 1;

		if (!n)
			continue;
		c->lines = calloc(n, sizeof(*c->lines));
		if (!c->lines)
			return nyk_error_set(err, -ENOMEM, "out of memory for %zu line records", n);
		for (size_t j = 0; j < n; j++) {
			if (li[j].insn_off >= c->count)
				continue;   /* a record past the code: ignore it rather than point nowhere */
			c->lines[k].insn = li[j].insn_off;
			c->lines[k].line = li[j].line;
			c->lines[k].column = li[j].column;
			c->lines[k].file = nyk_btf_str(obj->btf, li[j].file_name_off);
			c->lines[k].text = nyk_btf_str(obj->btf, li[j].line_off);
			if (k && c->lines[k].insn < c->lines[k - 1].insn)
				sorted = 0;
			k++;
		}
		c->nlines = k;
		if (!sorted)
			qsort(c->lines, k, sizeof(*c->lines), cmp_line);
	}
	return 0;
}

/* ---- functions and programs ----------------------------------------------------------- */

static int is_function_symbol(const struct elf_symbol *sym, size_t shndx)
{
	return sym->type == ELF_STT_FUNC && sym->shndx == shndx && sym->name[0];
}

/* A function symbol to sort by address. */
struct sym_ref {
	uint64_t value;
	int local;
	size_t idx;
};

static int cmp_sym_ref(const void *a, const void *b)
{
	const struct sym_ref *x = a, *y = b;

	if (x->value != y->value)
		return x->value < y->value ? -1 : 1;
	/* Same address: globals first, then by index. */
	if (x->local != y->local)
		return x->local ? 1 : -1;
	return x->idx < y->idx ? -1 : 1;
}

/* The functions of code section `c`, appended to obj->funcs. */
static int read_functions_of(struct nyk_object *obj, size_t ci, struct sym_ref *refs, struct nyk_error *err)
{
	struct obj_code *c = &obj->codes[ci];
	size_t n = 0;

	for (size_t i = 0; i < obj->nsyms; i++)
		if (is_function_symbol(&obj->syms[i], c->shndx)) {
			refs[n].value = obj->syms[i].value;
			refs[n].local = obj->syms[i].bind == ELF_STB_LOCAL;
			refs[n++].idx = i;
		}
	c->func0 = obj->nfuncs;
	if (n == 0) {
		struct obj_func *f = &obj->funcs[obj->nfuncs++];
		f->name = c->name;
		f->code = ci;
		f->start = 0;
		f->count = c->count;
		c->nfuncs = 1;
		return 0;
	}
	qsort(refs, n, sizeof(*refs), cmp_sym_ref);
	for (size_t k = 0; k < n; k++) {
		const struct elf_symbol *sym = &obj->syms[refs[k].idx];
		struct obj_func *f, *prev = c->nfuncs ? &obj->funcs[obj->nfuncs - 1] : NULL;
		uint64_t end;

		if (sym->value % 8 || sym->size % 8)
			return obj_error(obj, err, -EINVAL, NULL, c->name, -1, NULL,
					 "function '%s' (offset 0x%" PRIx64 ", size 0x%" PRIx64
					 ") is not aligned to instructions", sym->name, sym->value, sym->size);
		if (sym->value / 8 >= c->count)
			return obj_error(obj, err, -EINVAL, NULL, c->name, -1, NULL,
					 "function '%s' starts at 0x%" PRIx64 ", past the end of the section (0x%zx)",
					 sym->name, sym->value, c->count * 8);
		if (prev && prev->start == sym->value / 8)
			continue;   /* an alias of the previous function */
		if (sym->size)
			end = sym->value / 8 + sym->size / 8;
		else {
			/* Size 0: up to the next function or the end of the section. */
			end = c->count;
			for (size_t j = k + 1; j < n; j++)
				if (refs[j].value > sym->value) {
					end = refs[j].value / 8;
					break;
				}
		}
		if (end > c->count)
			return obj_error(obj, err, -EINVAL, NULL, c->name, -1, NULL,
					 "function '%s' (offset 0x%" PRIx64 ", size 0x%" PRIx64
					 ") extends past the end of the section (0x%zx)",
					 sym->name, sym->value, sym->size, c->count * 8);
		if (prev && prev->start + prev->count > sym->value / 8)
			return obj_error(obj, err, -EINVAL, NULL, c->name, -1, NULL,
					 "functions '%s' and '%s' overlap", prev->name, sym->name);
		f = &obj->funcs[obj->nfuncs++];
		f->name = sym->name;
		f->code = ci;
		f->start = (size_t)(sym->value / 8);
		f->count = (size_t)(end - f->start);
		c->nfuncs++;
		if (f->count == 0) {
			obj->nfuncs--;
			c->nfuncs--;
		}
	}
	return 0;
}

static int read_functions(struct nyk_object *obj, struct nyk_error *err)
{
	size_t nsym_funcs = 0;
	struct sym_ref *refs;
	int rc = 0;

	for (size_t i = 0; i < obj->nsyms; i++)
		nsym_funcs += obj->syms[i].type == ELF_STT_FUNC;
	obj->funcs = calloc(nsym_funcs + obj->ncodes + 1, sizeof(*obj->funcs));
	refs = malloc((nsym_funcs + 1) * sizeof(*refs));
	if (!obj->funcs || !refs) {
		free(refs);
		return nyk_error_set(err, -ENOMEM, "out of memory for %zu functions", nsym_funcs);
	}
	for (size_t ci = 0; ci < obj->ncodes && !rc; ci++)
		rc = read_functions_of(obj, ci, refs, err);
	free(refs);
	return rc;
}

static int make_programs(struct nyk_object *obj, struct nyk_error *err)
{
	int other_code = 0;
	size_t n = 0;

	/* .text holds subprograms, unless it is the only code. */
	for (size_t i = 0; i < obj->ncodes; i++)
		other_code |= strcmp(obj->codes[i].name, ".text") != 0;
	for (size_t i = 0; i < obj->nfuncs; i++)
		n += !other_code || strcmp(obj->codes[obj->funcs[i].code].name, ".text") != 0;
	obj->progs = calloc(n ? n : 1, sizeof(*obj->progs));
	if (!obj->progs)
		return nyk_error_set(err, -ENOMEM, "out of memory for %zu programs", n);
	for (size_t i = 0; i < obj->nfuncs; i++) {
		struct obj_func *f = &obj->funcs[i];
		const struct obj_code *c = &obj->codes[f->code];
		struct nyk_program *p;

		if (other_code && strcmp(c->name, ".text") == 0)
			continue;
		p = &obj->progs[obj->nprogs];
		p->obj = obj;
		p->index = obj->nprogs++;
		p->func = i;
		p->name = f->name;
		p->section = c->name;
		f->prog = p->index + 1;
		p->type = nyk_progtype_for_section(c->name);
		if (!p->type && obj->default_type) {
			p->type = nyk_progtype_by_name(obj->default_type);
			if (!p->type)
				return nyk_error_set(err, -ENOENT, "unknown program type '%s' (default type)",
						     obj->default_type);
		}
	}
	return 0;
}

/* ---- open and close -------------------------------------------------------------------- */

static char *dup_or_null(const char *s, int *fail)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		*fail = 1;
	return d;
}

static int copy_opts(struct nyk_object *obj, const struct nyk_object_opts *opts, struct nyk_error *err)
{
	int fail = 0;

	if (opts) {
		size_t n = opts->size < sizeof(obj->opts) ? opts->size : sizeof(obj->opts);
		if (opts->size < offsetof(struct nyk_object_opts, target_btf_path))
			return nyk_error_set(err, -EINVAL, "object options: size %zu is too small (set it to "
					     "sizeof(struct nyk_object_opts))", opts->size);
		/* A newer caller's fields that we do not know must be zero. */
		for (size_t i = sizeof(obj->opts); i < opts->size; i++)
			if (((const uint8_t *)opts)[i])
				return nyk_error_set(err, -EINVAL, "object options: unknown non-zero field at byte %zu", i);
		memcpy(&obj->opts, opts, n);
	}
	obj->opts.size = sizeof(obj->opts);
	obj->target_btf_path = dup_or_null(obj->opts.target_btf_path, &fail);
	obj->default_type = dup_or_null(obj->opts.default_type, &fail);
	obj->shm_dir = dup_or_null(obj->opts.shm_dir, &fail);
	obj->kconfig = dup_or_null(obj->opts.kconfig, &fail);
	obj->opts.target_btf_path = obj->target_btf_path;
	obj->opts.default_type = obj->default_type;
	obj->opts.shm_dir = obj->shm_dir;
	obj->opts.kconfig = obj->kconfig;
	if (fail)
		return nyk_error_set(err, -ENOMEM, "out of memory for the options");
	return 0;
}

static int open_object(struct nyk_object *obj, struct nyk_error *err)
{
	int rc;

	if ((rc = elf_open(&obj->ef, obj->data, obj->len, err)))
		return rc;
	if (obj->ef.type != ELF_ET_REL)
		return nyk_error_set(err, -EINVAL, "not a relocatable object (ELF type %u; eBPF objects are ET_REL, 1)",
				     obj->ef.type);
	read_license_and_version(obj);
	read_btf(obj);
	if ((rc = read_symbols(obj, err)) || (rc = read_code_sections(obj, err)) || (rc = read_line_info(obj, err)) || (rc = read_functions(obj, err)) ||
	    (rc = make_programs(obj, err)) || (rc = obj_read_relocs(obj, err)) || (rc = obj_read_maps(obj, err)) ||
	    (rc = obj_read_vars(obj, err)))
		return rc;
	return 0;
}

int nyk_object_open_mem(const void *data, size_t len, const char *name, const struct nyk_object_opts *opts,
			struct nyk_object **out, struct nyk_error *err)
{
	struct nyk_object *obj;
	int rc;

	if (!out)
		return nyk_error_set(err, -EINVAL, "no place for the object");
	*out = NULL;
	obj = calloc(1, sizeof(*obj));
	if (!obj || !(obj->name = strdup(name ? name : "object")) || !(obj->data = malloc(len ? len : 1))) {
		nyk_object_close(obj);
		return nyk_error_set(err, -ENOMEM, "out of memory for a %zu-byte object", len);
	}
	if (len)
		memcpy(obj->data, data, len);
	obj->len = len;
	if ((rc = copy_opts(obj, opts, err)) || (rc = open_object(obj, err))) {
		if (err) {
			char file[NYK_ERROR_FILE_MAX];
			snprintf(file, sizeof(file), "%s", obj->name);
			if (!err->file[0])
				nyk_error_set_file(err, file);
		}
		nyk_object_close(obj);
		return rc;
	}
	*out = obj;
	return 0;
}

int nyk_object_open(const char *path, const struct nyk_object_opts *opts, struct nyk_object **obj,
		    struct nyk_error *err)
{
	FILE *f;
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0;
	int rc;

	if (obj)
		*obj = NULL;
	if (!path)
		return nyk_error_set(err, -EINVAL, "no file name");
	f = fopen(path, "rb");
	if (!f) {
		rc = -errno;
		nyk_error_set_file(err, path);
		return nyk_error_set(err, rc, "cannot open: %s", strerror(-rc));
	}
	for (;;) {
		size_t n;
		if (len == cap) {
			size_t ncap = cap ? cap * 2 : 65536;
			uint8_t *nb = realloc(buf, ncap);
			if (!nb) {
				free(buf);
				fclose(f);
				nyk_error_set_file(err, path);
				return nyk_error_set(err, -ENOMEM, "out of memory reading the file");
			}
			buf = nb;
			cap = ncap;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		nyk_error_set_file(err, path);
		return nyk_error_set(err, -EIO, "cannot read the file");
	}
	fclose(f);
	rc = nyk_object_open_mem(buf, len, path, opts, obj, err);
	free(buf);
	return rc;
}

void nyk_object_close(struct nyk_object *obj)
{
	if (!obj)
		return;
	for (size_t i = 0; i < obj->nprogs; i++)
		obj_program_set_runtime(&obj->progs[i], NULL, NULL);
	obj_unload(obj);
	free(obj->progs);
	for (size_t i = 0; i < obj->ncodes; i++) {
		free(obj->codes[i].insns);
		free(obj->codes[i].relocs);
		free(obj->codes[i].reloc_at);
		free(obj->codes[i].lines);
	}
	free(obj->codes);
	free(obj->funcs);
	obj_free_maps(obj);
	free(obj->vars);
	free(obj->externs);
	free(obj->syms);
	nyk_btf_ext_free(obj->ext);
	nyk_btf_free(obj->btf);
	elf_close(&obj->ef);
	free(obj->target_btf_path);
	free(obj->default_type);
	free(obj->shm_dir);
	free(obj->kconfig);
	free(obj->data);
	free(obj->name);
	free(obj);
}

/* ---- accessors ------------------------------------------------------------------------ */

const char *nyk_object_name(const struct nyk_object *obj) { return obj->name; }
const char *nyk_object_license(const struct nyk_object *obj) { return obj->license; }
uint32_t nyk_object_kversion(const struct nyk_object *obj) { return obj->kversion; }
const struct nyk_btf *nyk_object_btf(const struct nyk_object *obj) { return obj->btf; }
const char *nyk_object_btf_error(const struct nyk_object *obj) { return obj->btf_error[0] ? obj->btf_error : NULL; }
int nyk_object_loaded(const struct nyk_object *obj) { return obj->loaded; }

size_t nyk_object_program_count(const struct nyk_object *obj) { return obj->nprogs; }

struct nyk_program *nyk_object_program(struct nyk_object *obj, size_t i)
{
	return i < obj->nprogs ? &obj->progs[i] : NULL;
}

struct nyk_program *nyk_object_find_program(struct nyk_object *obj, const char *name)
{
	struct nyk_program *by_section = NULL;
	size_t in_section = 0;

	if (!name)
		return NULL;
	for (size_t i = 0; i < obj->nprogs; i++)
		if (strcmp(obj->progs[i].name, name) == 0)
			return &obj->progs[i];
	for (size_t i = 0; i < obj->nprogs; i++)
		if (strcmp(obj->progs[i].section, name) == 0) {
			by_section = &obj->progs[i];
			in_section++;
		}
	return in_section == 1 ? by_section : NULL;
}

size_t nyk_object_map_count(const struct nyk_object *obj) { return obj->nmaps; }

struct nyk_map *nyk_object_map(struct nyk_object *obj, size_t i)
{
	return i < obj->nmaps ? obj->maps[i].map : NULL;
}

const char *nyk_object_map_name(const struct nyk_object *obj, size_t i)
{
	return i < obj->nmaps ? obj->maps[i].name : NULL;
}

const struct nyk_map_def *nyk_object_map_def(const struct nyk_object *obj, size_t i)
{
	return i < obj->nmaps ? &obj->maps[i].def : NULL;
}

const char *nyk_object_map_section(const struct nyk_object *obj, size_t i)
{
	return i < obj->nmaps ? obj->maps[i].section : NULL;
}

long nyk_object_find_map_index(const struct nyk_object *obj, const char *name)
{
	for (size_t i = 0; name && i < obj->nmaps; i++)
		if (strcmp(obj->maps[i].name, name) == 0)
			return (long)i;
	return -ENOENT;
}

struct nyk_map *nyk_object_find_map(struct nyk_object *obj, const char *name)
{
	long i = nyk_object_find_map_index(obj, name);
	return i < 0 ? NULL : obj->maps[i].map;
}

struct nyk_object *nyk_program_object(const struct nyk_program *prog) { return prog->obj; }
const char *nyk_program_name(const struct nyk_program *prog) { return prog->name; }
const char *nyk_program_section(const struct nyk_program *prog) { return prog->section; }
const struct nyk_progtype *nyk_program_type(const struct nyk_program *prog) { return prog->type; }

int nyk_program_set_type(struct nyk_program *prog, const char *type_name, struct nyk_error *err)
{
	const struct nyk_progtype *t = type_name ? nyk_progtype_by_name(type_name) : NULL;

	if (!t)
		return obj_error(prog->obj, err, -ENOENT, prog, NULL, -1, NULL, "unknown program type '%s'",
				 type_name ? type_name : "(none)");
	prog->type = t;
	return 0;
}

const struct nyk_insn *nyk_program_insns(const struct nyk_program *prog, size_t *count)
{
	const struct obj_func *f;

	if (prog->insns) {
		if (count)
			*count = prog->count;
		return prog->insns;
	}
	f = &prog->obj->funcs[prog->func];
	if (count)
		*count = f->count;
	return prog->obj->codes[f->code].insns + f->start;
}

int nyk_program_runnable(const struct nyk_program *prog, struct nyk_error *err)
{
	if (!prog->obj->loaded)
		return obj_error(prog->obj, err, -EINVAL, prog, NULL, -1, NULL,
				 "the object is not loaded (nyk_object_load)");
	if (!prog->type)
		return obj_error(prog->obj, err, -ENOENT, NULL, NULL, -1, NULL,
				 "program '%s' in section '%s' has no known type; give one (type TYPE)", prog->name,
				 prog->section);
	return 0;
}

const char *nyk_program_func_name(const struct nyk_program *prog, size_t insn)
{
	if (!prog->insns)
		return insn == 0 ? prog->name : NULL;
	for (size_t lo = 0, hi = prog->nfnames; lo < hi;) {
		size_t mid = lo + (hi - lo) / 2;
		if (prog->fnames[mid].insn == insn)
			return prog->fnames[mid].name;
		if (prog->fnames[mid].insn < insn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void *obj_program_runtime(const struct nyk_program *prog) { return prog->runtime; }

void obj_program_set_runtime(struct nyk_program *prog, void *rt, void (*free_fn)(void *rt))
{
	if (prog->runtime && prog->runtime_free)
		prog->runtime_free(prog->runtime);
	prog->runtime = rt;
	prog->runtime_free = free_fn;
}

size_t nyk_program_core_failures(const struct nyk_program *prog, const struct nyk_core_failure **out)
{
	if (out)
		*out = prog->fails;
	return prog->nfails;
}

int nyk_program_line_info(const struct nyk_program *prog, size_t insn, struct nyk_line_info *li)
{
	const struct obj_line *l = obj_prog_line(prog, insn);

	if (!l)
		return -ENOENT;
	if (li) {
		li->file = l->file;
		li->line_text = l->text && l->text[0] ? l->text : NULL;
		li->line = l->line;
		li->column = l->column;
	}
	return 0;
}
