/*
 * link.c - nyk_object_load: create the maps, apply CO-RE relocations, link
 * every program and validate it.
 *
 * CO-RE relocations are applied once per code section, on a copy of its
 * instructions, before linking; a relocation the target cannot satisfy
 * poisons its instruction (nyk_core_apply) and is remembered, and each
 * program that ends up containing the instruction lists it.
 *
 * Linking a program copies its function, then walks the copy: each call
 * and each function address places the target function (once per
 * program, appended at the end) and points the instruction at it; map and
 * data references become map-index lddw (reloc.c). The walk covers the
 * appended functions as well, so subprograms calling subprograms are
 * placed too. Line records follow their instructions.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader/object_internal.h"
#include "nyuki/progtype.h"

#define VMLINUX_BTF "/sys/kernel/btf/vmlinux"
/* A linked program may have as many instructions as the kernel allows (BPF_COMPLEXITY_LIMIT_INSNS). */
#define OBJ_MAX_PROG_INSNS 1000000u
/* All linked programs of an object together: bounds what a hostile object can make us allocate. */
#define OBJ_MAX_TOTAL_INSNS (16u << 20)

/* ---- CO-RE ----------------------------------------------------------------------- */

static size_t core_relo_count(const struct nyk_object *obj)
{
	size_t n = 0;

	for (size_t i = 0; obj->ext && i < obj->ncodes; i++) {
		const struct nyk_btf_core_relo *r;
		n += nyk_btf_ext_core_relos(obj->ext, obj->codes[i].name, &r);
	}
	return n;
}

/* The target BTF: the option's file, else the running kernel's, else the object's own. */
static int load_target_btf(struct nyk_object *obj, struct nyk_btf **target, struct nyk_error *err)
{
	struct nyk_error e;
	int rc;

	*target = NULL;
	nyk_error_clear(&e);
	if (obj->target_btf_path && !obj->target_btf_path[0])
		return 0;   /* "": the object's own */
	if (obj->target_btf_path) {
		if ((rc = nyk_btf_load_file(obj->target_btf_path, target, &e)))
			return obj_error(obj, err, rc, NULL, NULL, -1, NULL, "CO-RE target BTF '%s': %s",
					 obj->target_btf_path, e.message);
		return 0;
	}
	rc = nyk_btf_load_file(VMLINUX_BTF, target, &e);
	if (rc == -ENOENT || rc == -EACCES || rc == -EPERM) {
		*target = NULL;   /* no kernel BTF here: the object's own types */
		return 0;
	}
	if (rc)
		return obj_error(obj, err, rc, NULL, NULL, -1, NULL, "CO-RE target BTF '%s': %s", VMLINUX_BTF, e.message);
	return 0;
}

static int cmp_fail(const void *a, const void *b)
{
	const struct obj_core_fail *x = a, *y = b;
	return x->insn < y->insn ? -1 : x->insn > y->insn;
}

static int record_core_failure(struct obj_code *c, size_t k, const struct nyk_btf_core_relo *r,
			       const struct nyk_object *obj, const char *why)
{
	struct obj_core_fail *nf = realloc(c->fails, (c->nfails + 1) * sizeof(*nf));
	const char *type = nyk_btf_type_name(obj->btf, r->type_id);
	const char *access = nyk_btf_str(obj->btf, r->access_str_off);
	char msg[NYK_ERROR_MSG_MAX + 128];

	if (!nf)
		return -ENOMEM;
	c->fails = nf;
	if (strstr(why, "CO-RE"))   /* nyk_core_apply's message names the relocation */
		snprintf(msg, sizeof(msg), "CO-RE relocation #%zu failed: %s", k, why);
	else
		snprintf(msg, sizeof(msg), "CO-RE relocation #%zu (%s of '%s', access %s) failed: %s", k,
			 nyk_core_relo_kind_name(r->kind), type && type[0] ? type : "(anon)", access ? access : "?", why);
	c->fails[c->nfails].insn = r->insn_off;
	c->fails[c->nfails].message = strdup(msg);
	if (!c->fails[c->nfails].message)
		return -ENOMEM;
	c->nfails++;
	return 0;
}

static int apply_core_section(struct nyk_object *obj, struct obj_code *c, const struct nyk_btf *target,
			      struct nyk_error *err)
{
	const struct nyk_btf_core_relo *r;
	size_t n = nyk_btf_ext_core_relos(obj->ext, c->name, &r);

	if (!n)
		return 0;
	c->core_insns = malloc(c->count * sizeof(*c->core_insns));
	if (!c->core_insns)
		return nyk_error_set(err, -ENOMEM, "out of memory for CO-RE");
	memcpy(c->core_insns, c->insns, c->count * sizeof(*c->core_insns));
	for (size_t k = 0; k < n; k++) {
		struct nyk_error e;
		int rc;

		nyk_error_clear(&e);
		rc = nyk_core_apply(c->core_insns, c->count, &r[k], obj->btf, target, &e);
		if (rc == 0)
			continue;
		if (rc == -ESRCH) {
			if (record_core_failure(c, k, &r[k], obj, e.message))
				return nyk_error_set(err, -ENOMEM, "out of memory for CO-RE");
			continue;
		}
		{
			const struct obj_func *f = r[k].insn_off < c->count ? obj_func_at(obj, c, r[k].insn_off) : NULL;
			const struct nyk_program *p = f && f->prog ? &obj->progs[f->prog - 1] : NULL;
			long insn = r[k].insn_off < c->count ? (long)(r[k].insn_off - (p ? f->start : 0)) : -1;
			const char *type = nyk_btf_type_name(obj->btf, r[k].type_id);
			return obj_error(obj, err, rc, p, p ? NULL : c->name, insn, obj_code_line(c, r[k].insn_off),
					 "CO-RE relocation #%zu (%s of '%s'): %s", k, nyk_core_relo_kind_name(r[k].kind),
					 type && type[0] ? type : "(anon)", e.message);
		}
	}
	if (c->nfails > 1)
		qsort(c->fails, c->nfails, sizeof(*c->fails), cmp_fail);
	return 0;
}

static int apply_core(struct nyk_object *obj, struct nyk_error *err)
{
	struct nyk_btf *loaded = NULL;
	int rc = 0;

	if (!obj->btf || core_relo_count(obj) == 0)
		return 0;
	if ((rc = load_target_btf(obj, &loaded, err)))
		return rc;
	for (size_t i = 0; i < obj->ncodes && !rc; i++)
		rc = apply_core_section(obj, &obj->codes[i], loaded ? loaded : obj->btf, err);
	nyk_btf_free(loaded);
	return rc;
}

/* ---- linking ------------------------------------------------------------------------ */

long obj_link_place(struct obj_link *lk, struct obj_func *f, struct nyk_error *err)
{
	const struct obj_code *c = &lk->obj->codes[f->code];

	if (f->stamp == lk->obj->stamp)
		return (long)f->pos;
	if (lk->n + f->count > OBJ_MAX_PROG_INSNS)
		return obj_error(lk->obj, err, -E2BIG, lk->prog, NULL, -1, NULL,
				 "more than %u instructions once its subprograms are appended", OBJ_MAX_PROG_INSNS);
	if (lk->obj->linked_insns + lk->n + f->count > OBJ_MAX_TOTAL_INSNS)
		return obj_error(lk->obj, err, -E2BIG, lk->prog, NULL, -1, NULL,
				 "the object's programs have more than %u instructions once linked", OBJ_MAX_TOTAL_INSNS);
	if (lk->n + f->count > lk->cap) {
		size_t ncap = lk->cap ? lk->cap : 64;
		struct nyk_insn *nb;
		while (ncap < lk->n + f->count)
			ncap *= 2;
		if (!(nb = realloc(lk->buf, ncap * sizeof(*nb))))
			return nyk_error_set(err, -ENOMEM, "out of memory linking program '%s'", lk->prog->name);
		lk->buf = nb;
		lk->cap = ncap;
	}
	if (lk->nplaced == lk->capplaced) {
		size_t ncap = lk->capplaced ? lk->capplaced * 2 : 8;
		struct obj_placed *np = realloc(lk->placed, ncap * sizeof(*np));
		if (!np)
			return nyk_error_set(err, -ENOMEM, "out of memory linking program '%s'", lk->prog->name);
		lk->placed = np;
		lk->capplaced = ncap;
	}
	memcpy(lk->buf + lk->n, (c->core_insns ? c->core_insns : c->insns) + f->start, f->count * sizeof(*lk->buf));
	f->stamp = lk->obj->stamp;
	f->pos = lk->n;
	lk->placed[lk->nplaced].func = (size_t)(f - lk->obj->funcs);
	lk->placed[lk->nplaced++].pos = lk->n;
	lk->n += f->count;
	return (long)f->pos;
}

int obj_link_poison(struct obj_link *lk, size_t pos, const char *fmt, ...)
{
	struct obj_core_fail *nf;
	char msg[NYK_ERROR_MSG_MAX];
	va_list ap;

	if (lk->nfails == lk->capfails) {
		size_t ncap = lk->capfails ? lk->capfails * 2 : 4;
		if (!(nf = realloc(lk->fails, ncap * sizeof(*nf))))
			return -ENOMEM;
		lk->fails = nf;
		lk->capfails = ncap;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	lk->fails[lk->nfails].insn = (uint32_t)pos;
	if (!(lk->fails[lk->nfails].message = strdup(msg)))
		return -ENOMEM;
	lk->nfails++;
	return 0;
}

/* Walk every placed function (the list grows as calls place more). */
static int resolve_program(struct obj_link *lk, struct nyk_error *err)
{
	for (size_t k = 0; k < lk->nplaced; k++) {
		const struct obj_func *f = &lk->obj->funcs[lk->placed[k].func];
		const struct obj_code *c = &lk->obj->codes[f->code];
		const struct nyk_insn *src = c->core_insns ? c->core_insns : c->insns;
		size_t pos0 = lk->placed[k].pos;

		for (size_t j = 0; j < f->count; j++) {
			size_t sec_insn = f->start + j;
			const struct nyk_insn *i = &src[sec_insn];
			int rc;

			if (obj_insn_needs_reloc(c, sec_insn, i) &&
			    (rc = obj_relocate_insn(lk, c, sec_insn, pos0 + j, err)))
				return rc;
			if (i->opcode == OBJ_OP_LDDW)
				j++;
		}
	}
	return 0;
}

static int cmp_core_failure(const void *a, const void *b)
{
	const struct nyk_core_failure *x = a, *y = b;
	return x->insn < y->insn ? -1 : x->insn > y->insn;
}

/* Functions placed (which lead to the line records) and CO-RE failures of the linked program. */
static int collect_program_info(struct obj_link *lk, struct nyk_error *err)
{
	struct nyk_program *p = lk->prog;
	size_t nfails = lk->nfails;

	for (size_t k = 0; k < lk->nplaced; k++) {
		const struct obj_func *f = &lk->obj->funcs[lk->placed[k].func];
		const struct obj_code *c = &lk->obj->codes[f->code];
		for (size_t i = 0; i < c->nfails; i++)
			nfails += c->fails[i].insn >= f->start && c->fails[i].insn < f->start + f->count;
	}
	p->fnames = calloc(lk->nplaced ? lk->nplaced : 1, sizeof(*p->fnames));
	p->fails = calloc(nfails ? nfails : 1, sizeof(*p->fails));
	if (!p->fnames || !p->fails)
		return nyk_error_set(err, -ENOMEM, "out of memory linking program '%s'", p->name);
	for (size_t k = 0; k < lk->nplaced; k++) {
		const struct obj_func *f = &lk->obj->funcs[lk->placed[k].func];
		const struct obj_code *c = &lk->obj->codes[f->code];
		size_t pos = lk->placed[k].pos;

		p->fnames[p->nfnames].insn = pos;
		p->fnames[p->nfnames].func = lk->placed[k].func;
		p->fnames[p->nfnames++].name = f->name;
		for (size_t i = 0; i < c->nfails; i++)
			if (c->fails[i].insn >= f->start && c->fails[i].insn < f->start + f->count) {
				p->fails[p->nfails].insn = pos + c->fails[i].insn - f->start;
				p->fails[p->nfails++].message = c->fails[i].message;
			}
	}
	/* Failures found while linking (weak kfuncs) belong to the program: it frees them. */
	for (size_t i = 0; i < lk->nfails; i++) {
		p->fails[p->nfails].insn = lk->fails[i].insn;
		p->fails[p->nfails++].message = lk->fails[i].message;
		lk->fails[i].message = NULL;
	}
	qsort(p->fails, p->nfails, sizeof(*p->fails), cmp_core_failure);
	return 0;
}

/* Calls of helper ids that no kernel knows are refused here; executors check what they implement. */
static int check_helpers(const struct nyk_object *obj, const struct nyk_program *p, struct nyk_error *err)
{
	for (size_t i = 0; i < p->count; i++) {
		const struct nyk_insn *in = &p->insns[i];
		uint32_t id = (uint32_t)in->imm;

		if (in->opcode == OBJ_OP_LDDW) {
			i++;
			continue;
		}
		if (in->opcode != OBJ_OP_CALL || nyk_insn_src(in) != NYK_CALL_HELPER || id == NYK_CORE_POISON_HELPER)
			continue;
		if (!nyk_helper_name(id))
			return obj_error(obj, err, -EINVAL, p, NULL, (long)i, obj_prog_line(p, i),
					 "calls unknown helper %" PRIu32 " (no kernel has a helper with this id)", id);
	}
	return 0;
}

static int link_program(struct nyk_object *obj, struct nyk_program *p, struct nyk_error *err)
{
	struct obj_link lk = { .obj = obj, .prog = p };
	struct nyk_error e;
	int rc;

	obj->stamp++;
	if ((rc = (int)obj_link_place(&lk, &obj->funcs[p->func], err)) < 0 || (rc = resolve_program(&lk, err)) ||
	    (rc = collect_program_info(&lk, err)))
		goto out;
	p->insns = lk.buf;
	p->count = lk.n;
	obj->linked_insns += lk.n;
	lk.buf = NULL;
	nyk_error_clear(&e);
	if ((rc = nyk_validate(p->insns, p->count, &e))) {
		rc = obj_error(obj, err, rc, p, NULL, e.insn, e.insn >= 0 ? obj_prog_line(p, (size_t)e.insn) : NULL,
			       "%s", e.message);
		goto out;
	}
	rc = check_helpers(obj, p, err);
out:
	for (size_t i = 0; i < lk.nfails; i++)
		free(lk.fails[i].message);
	free(lk.fails);
	free(lk.buf);
	free(lk.placed);
	return rc;
}

/* ---- load and unload ------------------------------------------------------------------ */

static void free_program_link(struct nyk_object *obj, struct nyk_program *p)
{
	/* Failures from CO-RE belong to their section; those from linking to the program. */
	for (size_t i = 0; i < p->nfails; i++) {
		int shared = 0;
		for (size_t ci = 0; ci < obj->ncodes && !shared; ci++)
			for (size_t k = 0; k < obj->codes[ci].nfails && !shared; k++)
				shared = obj->codes[ci].fails[k].message == p->fails[i].message;
		if (!shared)
			free((char *)p->fails[i].message);
	}
	free(p->fails);
	free(p->insns);
	free(p->fnames);
	p->fails = NULL;
	p->insns = NULL;
	p->fnames = NULL;
	p->nfails = p->count = p->nfnames = 0;
}

void obj_unload(struct nyk_object *obj)
{
	for (size_t i = 0; i < obj->nprogs; i++)
		free_program_link(obj, &obj->progs[i]);
	for (size_t i = 0; i < obj->ncodes; i++) {
		struct obj_code *c = &obj->codes[i];
		for (size_t k = 0; k < c->nfails; k++)
			free(c->fails[k].message);
		free(c->fails);
		free(c->core_insns);
		c->fails = NULL;
		c->nfails = 0;
		c->core_insns = NULL;
	}
	obj_destroy_maps(obj);
	obj->loaded = 0;
	obj->linked_insns = 0;
}

int nyk_object_load(struct nyk_object *obj, struct nyk_error *err)
{
	int rc;

	if (!obj)
		return nyk_error_set(err, -EINVAL, "no object");
	if (obj->loaded)
		return obj_error(obj, err, -EALREADY, NULL, NULL, -1, NULL, "the object is already loaded");
	if ((rc = obj_resolve_kconfig(obj, err)) || (rc = obj_create_maps(obj, err)) || (rc = apply_core(obj, err)))
		goto fail;
	for (size_t i = 0; i < obj->nprogs; i++)
		if ((rc = link_program(obj, &obj->progs[i], err)))
			goto fail;
	if ((rc = obj_init_map_values(obj, err)))
		goto fail;
	obj->loaded = 1;
	return 0;
fail:
	obj_unload(obj);
	return rc;
}
