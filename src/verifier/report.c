/*
 * report.c - what the verifier says: the rejection (first one wins), the
 * explanation of the registers involved (value and the instruction that
 * made it), the invariants log, the Graphviz CFG, and nyk_program_verify,
 * which adds the object's names and source lines.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nyuki/asm.h"
#include "verifier/eng.h"

int vfy_reject(struct vfy_env *env, size_t pc, const char *fmt, ...)
{
	va_list ap;

	if (env->reason[0])
		return -EACCES;
	env->reject_pc = (long)pc;
	va_start(ap, fmt);
	vsnprintf(env->reason, sizeof(env->reason), fmt, ap);
	va_end(ap);
	if (!env->reason[0])
		snprintf(env->reason, sizeof(env->reason), "refused");
	return -EACCES;
}

void vfy_blame(struct vfy_env *env, int regno)
{
	if (regno < 0 || regno >= NYK_REG_COUNT)
		return;
	for (int i = 0; i < 3; i++) {
		if (env->blame[i] == regno)
			return;
		if (env->blame[i] < 0) {
			env->blame[i] = regno;
			return;
		}
	}
}

int eng_insn_text(const struct eng *E, size_t pc, char *buf, size_t size)
{
	if (pc >= E->env.count) {
		snprintf(buf, size, "?");
		return -1;
	}
	return nyk_disasm_insn(E->env.insns, E->env.count, pc, NYK_SYNTAX_C, buf, size);
}

/* Append printf-style text to buf[size] at *len, truncating quietly. */
static void append(char *buf, size_t size, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void append(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*len + 1 >= size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *len, size - *len, fmt, ap);
	va_end(ap);
	if (n > 0)
		*len = *len + (size_t)n < size ? *len + (size_t)n : size - 1;
}

/* "f (call at 7 <- 3)": the function and call chain of a callee context; "" for main. */
static void ctx_label(struct eng *E, uint32_t ci, char *buf, size_t size)
{
	const struct nyk_verify_opts *o = E->env.opts;
	const struct eng_ctx *c = &E->ctxs[ci];
	const char *name = NULL;
	size_t len = 0;

	buf[0] = 0;
	if (c->parent == ENG_NONE)
		return;
	if (o->func_name)
		name = o->func_name(o->user, E->cfg.funcs[c->func].start);
	if (name)
		append(buf, size, &len, "%s, ", name);
	append(buf, size, &len, "%s at ", c->callback ? "callback" : "call");
	for (uint32_t a = ci; a != ENG_NONE && E->ctxs[a].parent != ENG_NONE; a = E->ctxs[a].parent)
		append(buf, size, &len, "%s%u", a == ci ? "" : "<-", E->ctxs[a].callsite);
}

/*
 * The explanation: the instruction, its source line, then each blamed
 * register with its value and where it came from, then the state.
 */
void eng_explain(struct eng *E)
{
	struct nyk_verify_result *res = E->env.res;
	const struct nyk_verify_opts *o = E->env.opts;
	char *buf = res->explanation, text[128], val[160];
	size_t size = sizeof(res->explanation), len = 0;
	long pc = E->env.reject_pc;
	struct nyk_line_info li;

	buf[0] = 0;
	if (pc < 0 || (size_t)pc >= E->env.count)
		return;
	eng_insn_text(E, (size_t)pc, text, sizeof(text));
	append(buf, size, &len, "%ld: %s\n", pc, text);
	memset(&li, 0, sizeof(li));
	if (o->line_info && o->line_info(o->user, (size_t)pc, &li) == 0 && li.file)
		append(buf, size, &len, "%s:%u: %s\n", li.file, li.line, li.line_text ? li.line_text : "");
	if (!E->err_captured || !E->err_state)
		return;
	if (E->err_ctx < E->nctx && E->ctxs[E->err_ctx].parent != ENG_NONE) {
		char label[128];
		ctx_label(E, E->err_ctx, label, sizeof(label));
		append(buf, size, &len, "in %s\n", label);
	}
	for (int i = 0; i < 3; i++) {
		int r = E->env.blame[i];
		const struct vfy_reg *reg;

		if (r < 0)
			continue;
		reg = &E->err_state->regs[r];
		vfy_reg_print(reg, val, sizeof(val));
		if (reg->def_pc == VFY_NO_PC || reg->def_pc >= E->env.count) {
			append(buf, size, &len, "r%d = %s, from %s\n", r, val,
			       reg->kind == VFY_NOT_INIT ? "no instruction (never written)" : "the entry or several paths");
		} else {
			eng_insn_text(E, reg->def_pc, text, sizeof(text));
			append(buf, size, &len, "r%d = %s, from insn %u: %s\n", r, val, reg->def_pc, text);
		}
	}
	if (len + 16 < size) {
		char *st = malloc(4096);
		if (st) {
			vfy_state_print(E->err_state, st, 4096);
			append(buf, size, &len, "state: %s\n", st);
			free(st);
		}
	}
}

/* ---- log and dot ------------------------------------------------------------------ */

struct text {
	char *buf;
	size_t len, cap;
};

static void text_add(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void text_add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		if (t->cap - t->len > 1) {
			va_start(ap, fmt);
			n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
			va_end(ap);
			if (n < 0)
				return;
			if ((size_t)n < t->cap - t->len) {
				t->len += (size_t)n;
				return;
			}
		}
		{
			size_t cap = t->cap ? t->cap * 2 : 1024;
			char *b;
			while (cap - t->len <= 4096)
				cap *= 2;
			b = realloc(t->buf, cap);
			if (!b)
				return;
			t->buf = b;
			t->cap = cap;
		}
	}
}

static void emit(struct eng *E, int what, struct text *t)
{
	if (t->buf && t->len)
		E->env.opts->out(E->env.opts->out_user, what, t->buf);
	t->len = 0;
	if (t->buf)
		t->buf[0] = 0;
}

struct log_hook {
	struct text *t;
	char *sbuf;
	size_t ssize;
	const char *label;
};

static void log_insn(struct eng *E, uint32_t ci, uint32_t pc, const struct vfy_state *st, void *user)
{
	struct log_hook *h = user;
	char text[128];

	(void)ci;
	eng_insn_text(E, pc, text, sizeof(text));
	vfy_state_print(st, h->sbuf, h->ssize);
	text_add(h->t, "%u:%s%s%s %s\n    ; %s\n", pc, h->label[0] ? " (" : "", h->label, h->label[0] ? ")" : "",
		 text, h->sbuf);
	emit(E, NYK_VERIFY_OUT_LOG, h->t);
}

static void log_contexts(struct eng *E, struct text *t, char *sbuf, size_t ssize)
{
	int level = E->env.opts->log_level;

	for (uint32_t ci = 0; ci < E->nctx; ci++) {
		const struct eng_func *f = &E->cfg.funcs[E->ctxs[ci].func];
		char label[96];

		ctx_label(E, ci, label, sizeof(label));
		/* in pc order: blocks of a function are numbered in pc order */
		for (uint32_t b = E->cfg.block_of[f->start]; b < E->cfg.nblocks && E->cfg.blocks[b].func == E->ctxs[ci].func;
		     b++) {
			const void *in = E->ctxs[ci].entry[E->cfg.blocks[b].rpo];
			if (!in)
				continue;
			if (level >= 2) {
				struct log_hook h = { t, sbuf, ssize, label };
				struct eng_out o;
				eng_run_block(E, ci, b, in, &o, log_insn, &h, ENG_NONE);
				continue;
			}
			eng_unpack(in, E->ws[E->ctxs[ci].nframes - 1].tmp);
			vfy_state_print(E->ws[E->ctxs[ci].nframes - 1].tmp, sbuf, ssize);
			text_add(t, "%u:%s%s%s %s\n", E->cfg.blocks[b].start, label[0] ? " (" : "", label,
				 label[0] ? ")" : "", sbuf);
			emit(E, NYK_VERIFY_OUT_LOG, t);
		}
	}
}

static void dot_escaped(struct text *t, const char *s, size_t max)
{
	for (size_t i = 0; s[i] && i < max; i++) {
		if (s[i] == '"' || s[i] == '\\')
			text_add(t, "\\%c", s[i]);
		else if (s[i] == '\n')
			text_add(t, "\\l");
		else
			text_add(t, "%c", s[i]);
	}
}

static void dot_graph(struct eng *E, struct text *t, char *sbuf, size_t ssize)
{
	text_add(t, "digraph nyuki_verifier {\n\tnode [shape=box fontname=\"monospace\" fontsize=10];\n");
	for (uint32_t ci = 0; ci < E->nctx; ci++) {
		const struct eng_ctx *c = &E->ctxs[ci];
		const struct eng_func *f = &E->cfg.funcs[c->func];
		char label[96], text[128];

		ctx_label(E, ci, label, sizeof(label));
		for (uint32_t b = E->cfg.block_of[f->start]; b < E->cfg.nblocks && E->cfg.blocks[b].func == c->func; b++) {
			const struct eng_block *blk = &E->cfg.blocks[b];
			const void *in = c->entry[blk->rpo];

			text_add(t, "\tc%u_b%u [label=\"", ci, b);
			if (label[0]) {
				dot_escaped(t, label, 96);
				text_add(t, "\\l");
			}
			text_add(t, "%u..%u%s\\l", blk->start, blk->last, in ? "" : " (not reached)");
			for (uint32_t pc = blk->start; pc < blk->end; pc += nyk_insn_slots(&E->env.insns[pc])) {
				eng_insn_text(E, pc, text, sizeof(text));
				text_add(t, "%u: ", pc);
				dot_escaped(t, text, sizeof(text));
				text_add(t, "\\l");
			}
			if (in) {
				eng_unpack(in, E->ws[c->nframes - 1].tmp);
				vfy_state_print(E->ws[c->nframes - 1].tmp, sbuf, ssize);
				dot_escaped(t, sbuf, 2048);
				text_add(t, "\\l");
			}
			text_add(t, "\"%s];\n", in ? "" : " style=dashed");
			for (int k = 0; k < 2; k++)
				if (blk->succ[k] != ENG_NONE)
					text_add(t, "\tc%u_b%u -> c%u_b%u%s;\n", ci, b, ci, blk->succ[k],
						 k == 1 && blk->succ[0] != ENG_NONE ? " [label=\"taken\"]" : "");
		}
		if (c->parent != ENG_NONE)
			text_add(t, "\tc%u_b%u -> c%u_b%u [style=dashed label=\"%s %u\"];\n", c->parent,
				 E->cfg.block_of[c->callsite], ci, E->cfg.block_of[f->start],
				 c->callback ? "callback at" : "call at", c->callsite);
	}
	text_add(t, "}\n");
	emit(E, NYK_VERIFY_OUT_DOT, t);
}

void eng_output(struct eng *E)
{
	struct text t = { 0 };
	size_t ssize = 8192;
	char *sbuf = malloc(ssize);
	size_t processed = E->env.res->insns_processed;
	bool replay = E->replay;
	char reason[sizeof(E->env.reason)];
	long reject_pc = E->env.reject_pc;

	if (!sbuf)
		return;
	/* re-runs must not disturb the result: nothing is analysed again, rejections are kept */
	memcpy(reason, E->env.reason, sizeof(reason));
	if (!reason[0])
		snprintf(E->env.reason, sizeof(E->env.reason), "(log)");
	E->replay = true;
	if (E->env.opts->log_level > 0)
		log_contexts(E, &t, sbuf, ssize);
	if (E->env.opts->dot)
		dot_graph(E, &t, sbuf, ssize);
	E->replay = replay;
	memcpy(E->env.reason, reason, sizeof(reason));
	E->env.reject_pc = reject_pc;
	E->env.res->insns_processed = processed;
	free(t.buf);
	free(sbuf);
}

/* ---- nyk_program_verify ------------------------------------------------------------- */

static int prog_line_info(void *user, size_t insn, struct nyk_line_info *li)
{
	return nyk_program_line_info(user, insn, li);
}

static const char *prog_func_name(void *user, size_t insn)
{
	return nyk_program_func_name(user, insn);
}

int nyk_program_verify(struct nyk_program *prog, const struct nyk_verify_opts *opts,
		       struct nyk_verify_result *res, struct nyk_error *err)
{
	const char *name = nyk_program_name(prog);
	const struct nyk_progtype *type = nyk_program_type(prog);
	struct nyk_object *obj = nyk_program_object(prog);
	struct nyk_verify_result local = { .size = sizeof(local) };
	const struct nyk_map_def **defs = NULL;
	struct nyk_verify_opts o;
	const struct nyk_insn *insns;
	size_t count, nmaps;
	struct nyk_line_info li;
	int rc;

	nyk_error_clear(err);
	if (!name)
		name = "?";
	if (!type)
		return nyk_error_set(err, -EINVAL, "program '%s' has no known type; give one (type TYPE)", name);
	insns = nyk_program_insns(prog, &count);
	if (!insns || !count)
		return nyk_error_set(err, -EINVAL, "program '%s' has no instructions", name);
	memset(&o, 0, sizeof(o));
	if (opts)
		memcpy(&o, opts, opts->size && opts->size < sizeof(o) ? opts->size : sizeof(o));
	o.size = sizeof(o);
	nmaps = obj ? nyk_object_map_count(obj) : 0;
	if (nmaps) {
		defs = calloc(nmaps, sizeof(*defs));
		if (!defs)
			return nyk_error_set(err, -ENOMEM, "out of memory");
		for (size_t i = 0; i < nmaps; i++)
			defs[i] = nyk_object_map_def(obj, i);
	}
	o.type = type;
	o.maps = defs;
	o.nmaps = nmaps;
	o.line_info = prog_line_info;
	o.func_name = prog_func_name;
	o.user = prog;
	if (!res)
		res = &local;
	rc = nyk_verify(insns, count, &o, res, err);
	free(defs);
	if (rc == 0 || !err)
		return rc;
	if (res->insn >= 0 && res->reason[0]) {
		char reason[sizeof(res->reason)];

		snprintf(reason, sizeof(reason), "%s", res->reason);
		memset(&li, 0, sizeof(li));
		if (nyk_program_line_info(prog, (size_t)res->insn, &li) == 0 && li.file) {
			nyk_error_set_file(err, li.file);
			err->line = (int)li.line;
			err->column = 0;
			nyk_error_set(err, rc, "program '%s' insn %ld: %s", name, res->insn, reason);
		} else {
			if (obj && nyk_object_name(obj))
				nyk_error_set_file(err, nyk_object_name(obj));
			nyk_error_set(err, rc, "program '%s': %s", name, reason);
		}
		err->insn = res->insn;
	} else {
		char msg[NYK_ERROR_MSG_MAX];
		snprintf(msg, sizeof(msg), "%s", err->message);
		nyk_error_set(err, rc, "program '%s': %s", name, msg);
	}
	return rc;
}
