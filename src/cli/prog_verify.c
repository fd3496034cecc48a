/*
 * prog_verify.c - `nyuki prog verify`: prove a program safe with nyuki's
 * verifier (or ask the kernel's), and the verification `prog run` does
 * before it runs a program.
 *
 *   nyuki prog verify FILE [PROG] [type TYPE] [--log-level N] [--dot FILE]
 *                          [--privileged] [--kernel-helpers] [--kernel]
 *
 * FILE is an ELF object (every program, or PROG) or, like `prog run`
 * takes them, assembly text, raw bytecode or a map-less ELF (`type TYPE`,
 * default: raw memory). One verdict per program:
 *   FILE: PROG: verified (N insns, M processed, stack S bytes, L loops, T ms)
 *   FILE: PROG: insn N: INSN (file.c:12 `source`): reason
 *     explanation lines
 * Exit 0 when every program is safe, 1 when one is not, 2 for a wrong
 * command line.
 *
 * --kernel asks the running kernel's verifier instead (BPF_PROG_LOAD with
 * the object's maps created as kernel maps, data sections filled, .rodata
 * frozen, and a minimal BTF of our own where the kernel insists on one:
 * callbacks, spin locks): "FILE: PROG: kernel: accepted"
 * or "kernel: refused: reason". Without --privileged the load is made
 * without CAP_PERFMON and CAP_SYS_ADMIN, which is how the kernel's own
 * unprivileged rules (no pointer leaks) are reached while CAP_BPF keeps
 * every program type loadable. Where bpf() is not permitted it prints
 * "SKIPPED: kernel bpf() not permitted ..." and exits 0.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/objcmd.h"
#include "nyuki/object.h"
#include "nyuki/progtype.h"
#include "nyuki/verifier.h"

#ifdef NYK_HAVE_KERNEL
#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "nyuki/btf.h"
#include "nyuki/kernel.h"
#endif

struct verify_args {
	const char *file;
	const char *prog;       /* program (object) or function (ELF .text) */
	const char *type;
	const char *btf;
	const char *dot;
	int log_level;
	bool privileged, kernel_helpers, kernel;
	size_t ctx_size;        /* --ctx-size: bytes of a bytes context (0: the type's default) */
};

/* One program's verdict, for text or JSON. */
struct verdict {
	const char *file;
	const char *prog;       /* NULL for assembly and raw bytecode */
	int rc;                 /* nyk_verify's */
	struct nyk_verify_result res;
	struct nyk_error err;
	double ms;
	char insn_text[192];    /* the refused instruction, C syntax */
	bool have_source;
	struct nyk_line_info li;
};

/* Where the library's text goes: the log to stdout (stderr under -j), the CFG to --dot. */
struct out_sink {
	FILE *dot;
};

static void verify_out(void *user, int what, const char *text)
{
	struct out_sink *sink = user;

	if (what == NYK_VERIFY_OUT_DOT) {
		if (sink->dot)
			fputs(text, sink->dot);
	} else if (what == NYK_VERIFY_OUT_LOG) {
		fputs(text, cli.json ? stderr : stdout);
	}
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static const char *base_name(const char *path)
{
	const char *s = path ? strrchr(path, '/') : NULL;
	return s ? s + 1 : path;
}

/* The instruction at `pc` in C syntax, helper calls by name ("call bpf_map_lookup_elem#1"). */
static void insn_text(const struct nyk_insn *insns, size_t count, long pc, char *buf, size_t size)
{
	const struct nyk_insn *in;

	buf[0] = '\0';
	if (!insns || pc < 0 || (size_t)pc >= count)
		return;
	in = &insns[pc];
	if (nyk_disasm_insn(insns, count, (size_t)pc, NYK_SYNTAX_C, buf, size) < 0 && !buf[0])
		snprintf(buf, size, "(opcode 0x%02x)", in->opcode);
	if (in->opcode == (NYK_CLASS_JMP | NYK_JMP_CALL) && nyk_insn_src(in) == NYK_CALL_HELPER) {
		const char *name = nyk_helper_name((uint32_t)in->imm);
		if (name)
			snprintf(buf, size, "call %s#%d", name, in->imm);
	}
}

/* A source line without its indentation and trailing blanks, into buf. */
static const char *trimmed(const char *text, char *buf, size_t size)
{
	size_t len;

	if (!text)
		text = "";
	while (*text == ' ' || *text == '\t')
		text++;
	len = strlen(text);
	while (len && (text[len - 1] == ' ' || text[len - 1] == '\t' || text[len - 1] == '\n' ||
		       text[len - 1] == '\r'))
		len--;
	if (len >= size)
		len = size - 1;
	memcpy(buf, text, len);
	buf[len] = '\0';
	return buf;
}

/* Whether the verifier's answer is a verdict about the program (rather than a failure to run). */
static bool is_verdict(int rc)
{
	return rc == 0 || rc == -EACCES || rc == -EINVAL || rc == -E2BIG;
}

/* Fill in what a refusal names: the reason (from err when the result has none), the instruction, its source. */
static void describe_refusal(struct verdict *v, const struct nyk_insn *insns, size_t count,
			     const struct nyk_program *prog)
{
	if (!v->res.reason[0]) {
		snprintf(v->res.reason, sizeof(v->res.reason), "%s", v->err.message);
		if (v->res.insn < 0 && v->err.insn >= 0)
			v->res.insn = v->err.insn;
	}
	insn_text(insns, count, v->res.insn, v->insn_text, sizeof(v->insn_text));
	v->have_source = prog && v->res.insn >= 0 &&
			 nyk_program_line_info(prog, (size_t)v->res.insn, &v->li) == 0 && v->li.file;
}

/* ---- printing ---------------------------------------------------------------- */

/*
 * Milliseconds with microsecond precision as a JSON number: json.c writes
 * integers only, so the whole part goes through it (separators stay
 * right) and the fraction follows.
 */
static void json_ms(double ms)
{
	uint64_t us = (uint64_t)(ms * 1000.0 + 0.5);

	json_u64(us / 1000);
	printf(".%03u", (unsigned)(us % 1000));
}

static void print_prefix(const struct verdict *v, FILE *f)
{
	fprintf(f, "%s: ", v->file);
	if (v->prog)
		fprintf(f, "%s: ", v->prog);
}

/* "insn N: INSN (file.c:12 `source`): reason" (without the FILE: PROG: prefix) into buf. */
static const char *refusal_head(const struct verdict *v, char *buf, size_t size)
{
	char src[160];
	size_t n = 0;

	buf[0] = '\0';
	if (v->res.insn >= 0) {
		n += (size_t)snprintf(buf + n, size - n, "insn %ld: ", v->res.insn);
		if (n < size && v->insn_text[0])
			n += (size_t)snprintf(buf + n, size - n, "%s ", v->insn_text);
		if (n < size && v->have_source)
			n += (size_t)snprintf(buf + n, size - n, "(%s:%u `%s`) ", base_name(v->li.file), v->li.line,
					      trimmed(v->li.line_text, src, sizeof(src)));
		if (n < size && n > 0 && buf[n - 1] == ' ')
			buf[--n] = '\0';
		if (n < size && (v->insn_text[0] || v->have_source))
			n += (size_t)snprintf(buf + n, size - n, ": ");
	}
	if (n < size)
		snprintf(buf + n, size - n, "%s", v->res.reason);
	return buf;
}

static void print_explanation(const struct verdict *v, FILE *f)
{
	for (const char *p = v->res.explanation; *p;) {
		const char *nl = strchr(p, '\n');
		int len = nl ? (int)(nl - p) : (int)strlen(p);
		if (len)
			fprintf(f, "  %.*s\n", len, p);
		p += len + (nl ? 1 : 0);
	}
}

static void print_refusal_text(const struct verdict *v, FILE *f)
{
	char head[1024];

	print_prefix(v, f);
	fprintf(f, "%s\n", refusal_head(v, head, sizeof(head)));
	print_explanation(v, f);
}

static void print_verdict_text(const struct verdict *v)
{
	if (v->rc == 0) {
		if (cli.quiet)
			return;
		print_prefix(v, stdout);
		printf("verified (%zu insns, %zu processed, stack %" PRIu32 " bytes, %" PRIu32 " loops, %.1f ms)\n",
		       v->res.insns, v->res.insns_processed, v->res.stack_depth, v->res.loops, v->ms);
		return;
	}
	print_refusal_text(v, stdout);
}

/* A verdict's JSON object, opened, with the file and the program (null for one without a name). */
static void json_verdict_begin(const char *file, const char *prog)
{
	json_begin_object();
	json_key("file");
	json_string(file);
	json_key("program");
	if (prog)
		json_string(prog);
	else
		json_null();
}

static void print_verdict_json(const struct verdict *v)
{
	json_verdict_begin(v->file, v->prog);
	json_key("verified");
	json_bool(v->rc == 0);
	json_key("insns");
	json_u64(v->res.insns);
	json_key("processed");
	json_u64(v->res.insns_processed);
	json_key("stack_depth");
	json_u64(v->res.stack_depth);
	json_key("loops");
	json_u64(v->res.loops);
	json_key("states");
	json_u64(v->res.states);
	json_key("peak_bytes");
	json_u64(v->res.peak_bytes);
	json_key("time_ms");
	json_ms(v->ms);
	if (v->rc != 0) {
		char src[160];

		json_key("insn");
		json_i64(v->res.insn);
		json_key("instruction");
		json_string(v->insn_text);
		if (v->have_source) {
			json_key("source");
			json_begin_object();
			json_key("file");
			json_string(v->li.file);
			json_key("line");
			json_u64(v->li.line);
			json_key("text");
			json_string(trimmed(v->li.line_text, src, sizeof(src)));
			json_end_object();
		}
		json_key("reason");
		json_string(v->res.reason);
		json_key("explanation");
		json_begin_array();
		for (const char *p = v->res.explanation; *p;) {
			const char *nl = strchr(p, '\n');
			size_t len = nl ? (size_t)(nl - p) : strlen(p);
			char line[sizeof(v->res.explanation)];
			if (len) {
				memcpy(line, p, len);
				line[len] = '\0';
				json_string(line);
			}
			p += len + (nl ? 1 : 0);
		}
		json_end_array();
	}
	json_end_object();
}

/* ---- verifying ---------------------------------------------------------------- */

static void base_opts(struct nyk_verify_opts *o, const struct verify_args *a, struct out_sink *sink)
{
	memset(o, 0, sizeof(*o));
	o->size = sizeof(*o);
	o->flags = (a->privileged ? NYK_VERIFY_PRIVILEGED : 0u) | (a->kernel_helpers ? NYK_VERIFY_KERNEL_HELPERS : 0u);
	o->log_level = a->log_level;
	o->ctx_size = a->ctx_size;
	o->dot = sink && sink->dot;
	o->out = verify_out;
	o->out_user = sink;
}

static void verdict_init(struct verdict *v, const char *file, const char *prog)
{
	memset(v, 0, sizeof(*v));
	v->file = file;
	v->prog = prog;
	v->res.size = sizeof(v->res);
	v->res.insn = -1;
	nyk_error_clear(&v->err);
}

/* Assembly, raw bytecode or a map-less ELF's function: the type given, or raw memory. */
static void verify_insns(struct verdict *v, const struct nyk_insn *insns, size_t count,
			 const struct nyk_progtype *type, const struct nyk_verify_opts *base)
{
	struct nyk_verify_opts o = *base;
	double t0;

	o.type = type;
	t0 = now_ms();
	v->rc = nyk_verify(insns, count, &o, &v->res, &v->err);
	v->ms = now_ms() - t0;
	if (v->rc && is_verdict(v->rc))
		describe_refusal(v, insns, count, NULL);
}

/* A loaded object's program: its type, maps, function names and line info come from the object. */
static void verify_program(struct verdict *v, struct nyk_program *prog, const struct nyk_verify_opts *o)
{
	size_t count = 0;
	const struct nyk_insn *insns = nyk_program_insns(prog, &count);
	double t0;

	if (!nyk_program_type(prog)) {
		/* No type from the section and none given: the loader's message says what to do. */
		if (nyk_program_runnable(prog, &v->err) == 0)
			nyk_error_set(&v->err, -EINVAL, "program '%s' has no type; give one (type TYPE)",
				      nyk_program_name(prog));
		v->rc = -EINVAL;
		describe_refusal(v, insns, count, prog);
		return;
	}
	t0 = now_ms();
	v->rc = nyk_program_verify(prog, o, &v->res, &v->err);
	v->ms = now_ms() - t0;
	if (v->rc && is_verdict(v->rc))
		describe_refusal(v, insns, count, prog);
}

/* ---- opening ------------------------------------------------------------------ */

/* Whether FILE goes to the object loader, exactly as `prog run FILE [PROG] [type TYPE]` decides. */
static bool wants_object(const struct verify_args *a)
{
	char *argv[5];
	int argc = 0;

	argv[argc++] = (char *)a->file;
	if (a->prog)
		argv[argc++] = (char *)a->prog;
	if (a->type) {
		argv[argc++] = (char *)"type";
		argv[argc++] = (char *)a->type;
	}
	argv[argc] = NULL;
	return prog_run_wants_object(argc, argv);
}

static void program_names(struct nyk_object *obj, char *names, size_t size)
{
	names[0] = '\0';
	for (size_t i = 0; i < nyk_object_program_count(obj); i++) {
		size_t n = strlen(names);
		snprintf(names + n, size - n, "%s%s", i ? ", " : "", nyk_program_name(nyk_object_program(obj, i)));
	}
}

/*
 * Open and load FILE as an object; with PROG, *only is that program (else
 * NULL: all). `type` is the default for unknown sections and, given with
 * PROG, that program's type. Prints errors; returns an exit code.
 */
static int open_object_for_verify(const struct verify_args *a, struct nyk_object **objp, struct nyk_program **only)
{
	struct nyk_object_opts opts = { .size = sizeof(opts) };
	struct nyk_object *obj;
	struct nyk_error err;

	*objp = NULL;
	*only = NULL;
	opts.target_btf_path = a->btf;
	opts.default_type = a->type;
	nyk_error_clear(&err);
	if (nyk_object_open(a->file, &opts, &obj, &err) < 0) {
		return cli_lib_error_in(&err, a->file);
	}
	*objp = obj;
	if (a->prog) {
		*only = nyk_object_find_program(obj, a->prog);
		if (!*only) {
			char names[512];
			program_names(obj, names, sizeof(names));
			return cli_error("%s: no program '%s' (programs: %s)", a->file, a->prog,
					 names[0] ? names : "none");
		}
		if (a->type && nyk_program_set_type(*only, a->type, &err) < 0)
			return cli_lib_error(&err);
	}
	if (nyk_object_program_count(obj) == 0)
		return cli_error("%s: no programs", a->file);
	nyk_error_clear(&err);
	if (nyk_object_load(obj, &err) < 0) {
		return cli_lib_error_in(&err, a->file);
	}
	return EXIT_OK;
}

/* ---- the kernel's verifier ------------------------------------------------------ */

#ifdef NYK_HAVE_KERNEL

/* What the kernel said of one program. */
struct kernel_verdict {
	const char *file;
	const char *prog;
	const char *skipped;    /* not loaded, and why */
	bool accepted;
	bool unprivileged;      /* loaded without CAP_PERFMON and CAP_SYS_ADMIN */
	char reason[NYK_ERROR_MSG_MAX];
	char *log;              /* with --log-level */
	double ms;
};

static void print_kernel_verdict(const struct kernel_verdict *k, int log_level)
{
	if (cli.json) {
		json_verdict_begin(k->file, k->prog);
		json_key("kernel");
		json_string(k->skipped ? "skipped" : k->accepted ? "accepted" : "refused");
		json_key("privileged");
		json_bool(!k->unprivileged);
		if (k->skipped) {
			json_key("why");
			json_string(k->skipped);
		} else if (!k->accepted) {
			json_key("reason");
			json_string(k->reason);
		}
		json_key("time_ms");
		json_ms(k->ms);
		if (k->log && log_level > 0) {
			json_key("log");
			json_string(k->log);
		}
		json_end_object();
		return;
	}
	if (k->skipped) {
		printf("SKIPPED: %s%s%s: %s\n", k->file, k->prog ? ": " : "", k->prog ? k->prog : "", k->skipped);
		return;
	}
	if (k->log && log_level > 0) {
		/* The end of the log holds the verdict; level 1 shows its last lines, 2 all of it. */
		const char *start = k->log + strlen(k->log);
		int lines = 0;
		while (start > k->log && (log_level > 1 || lines <= 20)) {
			start--;
			if (*start == '\n' && start[1])
				lines++;
		}
		if (log_level == 1 && start > k->log)
			start++;
		fputs(start, stdout);
		if (*start && start[strlen(start) - 1] != '\n')
			putchar('\n');
	}
	if (k->accepted && cli.quiet)
		return;
	printf("%s: ", k->file);
	if (k->prog)
		printf("%s: ", k->prog);
	if (k->accepted)
		printf("kernel: accepted%s\n", k->unprivileged ? " (unprivileged)" : "");
	else
		printf("kernel: refused%s: %s\n", k->unprivileged ? " (unprivileged)" : "", k->reason);
}

static int sys_bpf(int cmd, union bpf_attr *attr)
{
	long rc;

	do {
		rc = syscall(__NR_bpf, cmd, attr, sizeof(*attr));
	} while (rc < 0 && errno == EINTR);
	return rc < 0 ? -errno : (int)rc;
}

static void kernel_name(char *dst, const char *name)
{
	size_t n = 0;

	for (; name && name[n] && n < BPF_OBJ_NAME_LEN - 1; n++) {
		char c = name[n];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
			  c == '.';
		dst[n] = ok ? c : '_';
	}
	dst[n] = '\0';
}

/*
 * ---- a small BTF of our own ----
 *
 * The kernel wants BTF for what a bare instruction array cannot say: the
 * functions of a program that takes a function's address (bpf_loop and
 * for_each callbacks: func_info), and a map value's bpf_spin_lock. The
 * object's own BTF would need libbpf's fix-ups (data section sizes and
 * offsets, extern sanitising) before the kernel took it, so a minimal one
 * is written instead: an int, one prototype, a FUNC per function (all
 * static: verified in the caller's context), and a struct per spin-lock
 * map value.
 */
struct mini_btf {
	uint8_t *types;
	size_t tlen, tcap;
	char *strs;
	size_t slen, scap;
	uint32_t next_id;
	bool oom;
	uint32_t int_id, proto_id, lock_id;
};

static void *grow(void *buf, size_t *cap, size_t need, bool *oom)
{
	size_t cap2 = *cap ? *cap : 256;
	void *p;

	if (need <= *cap)
		return buf;
	while (cap2 < need)
		cap2 *= 2;
	p = realloc(buf, cap2);
	if (!p) {
		*oom = true;
		return buf;
	}
	*cap = cap2;
	return p;
}

static uint32_t mb_str(struct mini_btf *b, const char *s)
{
	size_t len = strlen(s) + 1, off = b->slen;

	if (!b->slen) {   /* offset 0 is the empty name */
		b->strs = grow(b->strs, &b->scap, 1, &b->oom);
		if (b->oom)
			return 0;
		b->strs[0] = '\0';
		b->slen = off = 1;
	}
	if (!*s)
		return 0;
	b->strs = grow(b->strs, &b->scap, b->slen + len, &b->oom);
	if (b->oom)
		return 0;
	memcpy(b->strs + off, s, len);
	b->slen += len;
	return (uint32_t)off;
}

/* Append raw 32-bit words to the type section. */
static void mb_words(struct mini_btf *b, const uint32_t *w, size_t n)
{
	b->types = grow(b->types, &b->tcap, b->tlen + n * 4, &b->oom);
	if (b->oom)
		return;
	memcpy(b->types + b->tlen, w, n * 4);
	b->tlen += n * 4;
}

/* A type: name, kind, vlen, size-or-type, then `extra` words; returns its id. */
static uint32_t mb_type(struct mini_btf *b, const char *name, unsigned kind, unsigned vlen, uint32_t size_type,
			const uint32_t *extra, size_t nextra)
{
	uint32_t head[3] = { mb_str(b, name), (uint32_t)kind << 24 | vlen, size_type };

	mb_words(b, head, 3);
	mb_words(b, extra, nextra);
	return ++b->next_id;
}

static void mb_init(struct mini_btf *b)
{
	uint32_t int_enc = BTF_INT_SIGNED << 24 | 32;

	memset(b, 0, sizeof(*b));
	b->int_id = mb_type(b, "int", BTF_KIND_INT, 0, 4, &int_enc, 1);
	b->proto_id = mb_type(b, "", BTF_KIND_FUNC_PROTO, 0, b->int_id, NULL, 0);
}

/* An integer key type of `size` bytes, or 0 (no key type) for other sizes. */
static uint32_t mb_key(struct mini_btf *b, uint32_t size)
{
	uint32_t enc = size * 8;
	char name[32];

	if (size != 1 && size != 2 && size != 4 && size != 8)
		return 0;
	snprintf(name, sizeof(name), "key%u", size);
	return mb_type(b, name, BTF_KIND_INT, 0, size, &enc, 1);
}

/* struct { ...; struct bpf_spin_lock lock at `off`; ... } of `size` bytes. */
static uint32_t mb_lock_value(struct mini_btf *b, uint32_t size, uint32_t off)
{
	uint32_t member[3];

	if (!b->lock_id) {
		uint32_t val[3] = { mb_str(b, "val"), b->int_id, 0 };
		b->lock_id = mb_type(b, "bpf_spin_lock", BTF_KIND_STRUCT, 1, 4, val, 3);
	}
	member[0] = mb_str(b, "lock");
	member[1] = b->lock_id;
	member[2] = off * 8;
	return mb_type(b, "locked_value", BTF_KIND_STRUCT, 1, size, member, 3);
}

/* BPF_BTF_LOAD; returns the fd or a negative errno. */
static int mb_load(struct mini_btf *b, struct nyk_error *err)
{
	struct btf_header hdr;
	union bpf_attr attr;
	uint8_t *blob;
	size_t size;
	int fd;

	if (b->oom)
		return nyk_error_set(err, -ENOMEM, "out of memory");
	memset(&hdr, 0, sizeof(hdr));
	hdr.magic = BTF_MAGIC;
	hdr.version = BTF_VERSION;
	hdr.hdr_len = sizeof(hdr);
	hdr.type_off = 0;
	hdr.type_len = (uint32_t)b->tlen;
	hdr.str_off = (uint32_t)b->tlen;
	hdr.str_len = (uint32_t)b->slen;
	size = sizeof(hdr) + b->tlen + b->slen;
	blob = malloc(size);
	if (!blob)
		return nyk_error_set(err, -ENOMEM, "out of memory");
	memcpy(blob, &hdr, sizeof(hdr));
	memcpy(blob + sizeof(hdr), b->types, b->tlen);
	memcpy(blob + sizeof(hdr) + b->tlen, b->strs, b->slen);
	memset(&attr, 0, sizeof(attr));
	attr.btf = (uint64_t)(uintptr_t)blob;
	attr.btf_size = (uint32_t)size;
	fd = sys_bpf(BPF_BTF_LOAD, &attr);
	free(blob);
	if (fd < 0)
		return nyk_error_set(err, fd, "kernel BTF load: %s", strerror(-fd));
	return fd;
}

static void mb_free(struct mini_btf *b)
{
	free(b->types);
	free(b->strs);
}

/* Function starts as the kernel finds them: 0, bpf-to-bpf call targets and function addresses (lddw src 4). */
static size_t func_starts(const struct nyk_insn *insns, size_t count, uint32_t *starts, bool *takes_address)
{
	size_t n = 0;

	*takes_address = false;
	starts[n++] = 0;
	for (size_t pc = 0; pc < count; pc++) {
		const struct nyk_insn *in = &insns[pc];
		long target = -1;

		if (in->opcode == (NYK_CLASS_JMP | NYK_JMP_CALL) && nyk_insn_src(in) == NYK_CALL_LOCAL)
			target = (long)pc + 1 + in->imm;
		else if (in->opcode == (NYK_CLASS_LD | NYK_SIZE_DW | NYK_MODE_IMM) &&
			 nyk_insn_src(in) == NYK_PSEUDO_FUNC) {
			target = (long)pc + 1 + in->imm;
			*takes_address = true;
		}
		if (target > 0 && (size_t)target < count) {
			size_t i = n;
			bool seen = false;
			for (size_t k = 0; k < n && !seen; k++)
				seen = starts[k] == (uint32_t)target;
			if (seen)
				continue;
			while (i > 0 && starts[i - 1] > (uint32_t)target) {   /* keep them sorted */
				starts[i] = starts[i - 1];
				i--;
			}
			starts[i] = (uint32_t)target;
			n++;
		}
		if (in->opcode == (NYK_CLASS_LD | NYK_SIZE_DW | NYK_MODE_IMM))
			pc++;
	}
	return n;
}

static int prog_load_attr(const struct nyk_insn *insns, size_t count, const struct nyk_kernel_prog_opts *o,
			  int btf_fd, const struct bpf_func_info *fi, size_t nfi, char *log, size_t log_size,
			  uint32_t log_level)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = o->prog_type;
	attr.expected_attach_type = o->expected_attach_type;
	attr.prog_flags = o->prog_flags;
	attr.insns = (uint64_t)(uintptr_t)insns;
	attr.insn_cnt = (uint32_t)count;
	attr.license = (uint64_t)(uintptr_t)(o->license ? o->license : "GPL");
	kernel_name(attr.prog_name, o->name);
	attr.prog_btf_fd = (uint32_t)btf_fd;
	attr.func_info_rec_size = sizeof(*fi);
	attr.func_info = (uint64_t)(uintptr_t)fi;
	attr.func_info_cnt = (uint32_t)nfi;
	if (log && log_size) {
		log[0] = '\0';
		attr.log_buf = (uint64_t)(uintptr_t)log;
		attr.log_size = (uint32_t)(log_size > UINT32_MAX ? UINT32_MAX : log_size);
		attr.log_level = log_level ? log_level : 1;
	}
	return sys_bpf(BPF_PROG_LOAD, &attr);
}

/*
 * nyk_kernel_prog_load with func_info (which it has no field for): for
 * programs that take a function's address. Same results and messages.
 */
static int prog_load_with_funcs(const struct nyk_insn *insns, size_t count, const uint32_t *starts, size_t nstarts,
				const struct nyk_kernel_prog_opts *o, struct nyk_error *err)
{
	struct bpf_func_info *fi = calloc(nstarts, sizeof(*fi));
	struct mini_btf b;
	char reason[NYK_ERROR_MSG_MAX], *log = o->log;
	size_t log_size = o->log_size;
	int btf_fd, fd;

	if (!fi)
		return nyk_error_set(err, -ENOMEM, "out of memory");
	mb_init(&b);
	for (size_t i = 0; i < nstarts; i++) {
		char name[32];
		snprintf(name, sizeof(name), "func_%u", starts[i]);
		fi[i].insn_off = starts[i];
		fi[i].type_id = mb_type(&b, name, BTF_KIND_FUNC, BTF_FUNC_STATIC, b.proto_id, NULL, 0);
	}
	btf_fd = mb_load(&b, err);
	mb_free(&b);
	if (btf_fd < 0) {
		free(fi);
		return btf_fd;
	}
	fd = prog_load_attr(insns, count, o, btf_fd, fi, nstarts, log, log_size, o->log_level);
	if (fd < 0 && !log) {
		/* Again with a log, to learn why. */
		log_size = 1u << 20;
		log = malloc(log_size);
		if (log)
			prog_load_attr(insns, count, o, btf_fd, fi, nstarts, log, log_size, 1);
	}
	if (fd < 0) {
		if (log && nyk_kernel_log_reason(log, reason, sizeof(reason)))
			nyk_error_set(err, fd, "%s", reason);
		else
			nyk_error_set(err, fd, "kernel refused the program: %s", strerror(-fd));
	}
	if (log != o->log)
		free(log);
	close(btf_fd);
	free(fi);
	return fd;
}

/* Map flags that carry over (the same bits as BPF_F_*); RDONLY/WRONLY would stop us filling data sections. */
#define KERNEL_MAP_FLAGS                                                                                     \
	(NYK_F_NO_PREALLOC | NYK_F_NO_COMMON_LRU | NYK_F_ZERO_SEED | NYK_F_RDONLY_PROG | NYK_F_WRONLY_PROG |   \
	 NYK_F_MMAPABLE | NYK_F_PRESERVE_ELEMS | NYK_F_INNER_MAP)

/*
 * A kernel map for a definition (nyk_kernel_map_create takes no flags and
 * no inner map, which LPM tries, read-only data and map-in-maps need).
 */
static int kernel_map_from_def(const struct nyk_map_def *def, const char *name, struct nyk_error *err)
{
	union bpf_attr attr;
	int inner = -1, btf = -1, fd;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = def->type;
	attr.key_size = def->key_size;
	attr.value_size = def->value_size;
	attr.max_entries = def->max_entries;
	attr.map_flags = def->map_flags & KERNEL_MAP_FLAGS;
	if (def->type == NYK_MAP_PERF_EVENT_ARRAY) {
		long cpus = sysconf(_SC_NPROCESSORS_CONF);
		attr.key_size = attr.key_size ? attr.key_size : 4;
		attr.value_size = attr.value_size ? attr.value_size : 4;
		attr.max_entries = attr.max_entries ? attr.max_entries : (uint32_t)(cpus > 0 ? cpus : 1);
	}
	if ((def->type == NYK_MAP_ARRAY_OF_MAPS || def->type == NYK_MAP_HASH_OF_MAPS) && def->inner) {
		inner = kernel_map_from_def(def->inner, "inner", err);
		if (inner < 0)
			return inner;
		attr.inner_map_fd = (uint32_t)inner;
	}
	kernel_name(attr.map_name, name);
	if (def->has_spin_lock) {
		/* The kernel finds the lock through the value's BTF type. */
		struct mini_btf b;
		mb_init(&b);
		attr.btf_key_type_id = mb_key(&b, def->key_size);
		attr.btf_value_type_id = mb_lock_value(&b, def->value_size, def->spin_lock_off);
		btf = mb_load(&b, err);
		mb_free(&b);
		if (btf < 0) {
			if (inner >= 0)
				close(inner);
			return btf;
		}
		attr.btf_fd = (uint32_t)btf;
	}
	fd = sys_bpf(BPF_MAP_CREATE, &attr);
	if (inner >= 0)
		close(inner);
	if (btf >= 0)
		close(btf);
	if (fd < 0)
		return nyk_error_set(err, fd, "kernel map '%s' (type %u, key %u, value %u, %u entries, flags 0x%x): %s",
				     name ? name : "", attr.map_type, attr.key_size, attr.value_size, attr.max_entries,
				     attr.map_flags, strerror(-fd));
	return fd;
}

static bool is_data_section_map(const struct nyk_object *obj, size_t i)
{
	const char *sec = nyk_object_map_section(obj, i);
	return sec && sec[0] == '.' && strcmp(sec, ".maps") != 0 && strcmp(sec, "maps") != 0;
}

/*
 * A data section (.data, .rodata, .bss, .kconfig, ...) as libbpf makes it:
 * a one-element array holding the section's image, frozen when programs
 * may only read it (so the kernel's verifier knows its bytes, e.g.
 * bpf_printk's format string).
 */
static int fill_data_section(struct nyk_object *obj, size_t i, int fd, struct nyk_error *err)
{
	const struct nyk_map_def *def = nyk_object_map_def(obj, i);
	struct nyk_map *map = nyk_object_map(obj, i);
	uint32_t key = 0;
	uint8_t *value;
	int rc = 0;

	if (!map || !def->value_size)
		return 0;
	value = calloc(1, def->value_size);
	if (!value)
		return nyk_error_set(err, -ENOMEM, "out of memory");
	if (nyk_map_lookup(map, &key, value) == 0)
		rc = nyk_kernel_map_update(fd, &key, value, 0, err);
	free(value);
	if (rc == 0 && (def->map_flags & NYK_F_RDONLY_PROG)) {
		union bpf_attr attr;
		memset(&attr, 0, sizeof(attr));
		attr.map_fd = (uint32_t)fd;
		rc = sys_bpf(BPF_MAP_FREEZE, &attr);
		if (rc < 0)
			nyk_error_set(err, rc, "freezing kernel map '%s': %s", nyk_object_map_name(obj, i), strerror(-rc));
	}
	return rc;
}

struct kernel_maps {
	int *fds;
	size_t n;
};

static void kernel_maps_close(struct kernel_maps *m)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->fds[i] >= 0)
			close(m->fds[i]);
	free(m->fds);
	m->fds = NULL;
	m->n = 0;
}

/* Every map of the object as a kernel map, fds by map index. */
static int kernel_maps_create(struct nyk_object *obj, struct kernel_maps *m, struct nyk_error *err)
{
	m->n = nyk_object_map_count(obj);
	m->fds = malloc((m->n ? m->n : 1) * sizeof(*m->fds));
	if (!m->fds)
		return nyk_error_set(err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < m->n; i++)
		m->fds[i] = -1;
	for (size_t i = 0; i < m->n; i++) {
		const struct nyk_map_def *def = nyk_object_map_def(obj, i);
		int fd;

		if (!def)
			continue;
		fd = kernel_map_from_def(def, nyk_object_map_name(obj, i), err);
		if (fd < 0)
			return fd;
		m->fds[i] = fd;
		if (is_data_section_map(obj, i) && (fd = fill_data_section(obj, i, fd, err)) < 0)
			return fd;
	}
	return 0;
}

/* lddw of map index i (src 5/6, as the loader leaves them) becomes lddw of its kernel fd (src 1/2). */
static int rewrite_map_refs(struct nyk_insn *insns, size_t count, const struct kernel_maps *m,
			    struct nyk_error *err)
{
	for (size_t pc = 0; pc < count; pc++) {
		struct nyk_insn *in = &insns[pc];
		unsigned src = nyk_insn_src(in);
		uint32_t idx;

		if (in->opcode != (NYK_CLASS_LD | NYK_SIZE_DW | NYK_MODE_IMM))
			continue;
		if (src == NYK_PSEUDO_MAP_IDX || src == NYK_PSEUDO_MAP_IDX_VALUE) {
			idx = (uint32_t)in->imm;
			if (idx >= m->n || m->fds[idx] < 0)
				return nyk_error_set(err, -EINVAL, "insn %zu: lddw of map %u, which has no kernel map", pc,
						     idx);
			in->imm = m->fds[idx];
			in->regs = (uint8_t)((in->regs & 0x0f) |
					     ((src == NYK_PSEUDO_MAP_IDX ? NYK_PSEUDO_MAP_FD : NYK_PSEUDO_MAP_VALUE) << 4));
		}
		pc++;   /* the second slot */
	}
	return 0;
}

/* Program types whose loading needs CAP_PERFMON (the kernel's is_perfmon_prog_type). */
static bool needs_perfmon(uint32_t kernel_type)
{
	switch (kernel_type) {
	case 2:    /* kprobe */
	case 5:    /* tracepoint */
	case 7:    /* perf_event */
	case 17:   /* raw_tracepoint */
	case 24:   /* raw_tracepoint_writable */
	case 26:   /* tracing */
	case 27:   /* struct_ops */
	case 28:   /* ext */
	case 29:   /* lsm */
		return true;
	default:
		return false;
	}
}

/* Types the kernel loads only against a BTF attach target (which --kernel does not look up). */
static bool needs_attach_btf(uint32_t kernel_type)
{
	return kernel_type == 26 || kernel_type == 27 || kernel_type == 28 || kernel_type == 29;
}

/*
 * The kernel's unprivileged mode as a loader with CAP_BPF sees it: without
 * CAP_PERFMON and CAP_SYS_ADMIN in the effective set the verifier refuses
 * pointer leaks (and applies its Spectre v1 rules). `drop` false puts them
 * back. Returns 0 or a negative errno.
 */
static int set_perfmon(bool drop)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];
	const int caps[] = { CAP_SYS_ADMIN, CAP_PERFMON };

	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &hdr, data) < 0)
		return -errno;
	if (drop && !(data[CAP_BPF / 32].effective & (1u << (CAP_BPF % 32))))
		return -EPERM;   /* no CAP_BPF: without CAP_SYS_ADMIN nothing would load */
	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		uint32_t bit = 1u << (caps[i] % 32);
		if (drop)
			data[caps[i] / 32].effective &= ~bit;
		else
			data[caps[i] / 32].effective |= data[caps[i] / 32].permitted & bit;
	}
	if (syscall(SYS_capset, &hdr, data) < 0)
		return -errno;
	return 0;
}

/* Section-dependent load attributes, as libbpf sets them. */
static void attach_attrs(const char *section, uint32_t kernel_type, struct nyk_kernel_prog_opts *o)
{
	if (!section) {
		/* No section to go by: cgroup_skb as egress, whose return values 0..3 are nyuki's range for the type. */
		if (kernel_type == 8)
			o->expected_attach_type = BPF_CGROUP_INET_EGRESS;
		return;
	}
	if (kernel_type == 6 /* xdp */) {
		if (!strncmp(section, "xdp.frags", 9))
			o->prog_flags |= BPF_F_XDP_HAS_FRAGS;
		if (strstr(section, "/devmap"))
			o->expected_attach_type = BPF_XDP_DEVMAP;
		else if (strstr(section, "/cpumap"))
			o->expected_attach_type = BPF_XDP_CPUMAP;
	} else if (kernel_type == 8 /* cgroup_skb */) {
		o->expected_attach_type = strstr(section, "egress") ? BPF_CGROUP_INET_EGRESS : BPF_CGROUP_INET_INGRESS;
	} else if (kernel_type == 31 /* syscall */) {
		o->prog_flags |= BPF_F_SLEEPABLE;
	}
}

/*
 * Load `insns` (map references already kernel fds) as a program of `type`
 * and fill k. Returns 0 (k says accepted or refused or skipped) or a
 * negative errno when the load could not be tried.
 */
static int kernel_load(struct kernel_verdict *k, const struct nyk_insn *insns, size_t count,
		       const struct nyk_progtype *type, const char *section, const char *license,
		       const struct verify_args *a)
{
	struct nyk_kernel_prog_opts o = { .size = sizeof(o) };
	uint32_t ktype = type ? nyk_progtype_kernel_type(type) : 0;
	struct nyk_error err;
	uint32_t *starts;
	size_t nstarts;
	bool takes_address;
	double t0;
	int fd;

	if (!type) {
		k->skipped = "no program type (give one: type TYPE)";
		return 0;
	}
	if (!ktype) {
		k->skipped = "its program type has no kernel counterpart (give one: type TYPE)";
		return 0;
	}
	if (needs_attach_btf(ktype)) {
		k->skipped = "the kernel loads this program type only against a BTF attach target";
		return 0;
	}
	o.prog_type = ktype;
	o.license = license && *license ? license : "GPL";
	o.name = k->prog;
	attach_attrs(section, ktype, &o);
	if (a->log_level > 0) {
		o.log_size = 16u << 20;
		o.log = k->log = malloc(o.log_size);
		o.log_level = a->log_level > 1 ? 2 : 1;
		if (!k->log)
			return -ENOMEM;
	}
	starts = malloc((count + 1) * sizeof(*starts));
	if (!starts)
		return -ENOMEM;
	nstarts = func_starts(insns, count, starts, &takes_address);
	k->unprivileged = !a->privileged && !needs_perfmon(ktype);
	if (k->unprivileged && set_perfmon(true) < 0)
		k->unprivileged = false;   /* cannot shed the capabilities: load as we are */
	nyk_error_clear(&err);
	t0 = now_ms();
	if (takes_address)   /* callbacks: the kernel wants func_info */
		fd = prog_load_with_funcs(insns, count, starts, nstarts, &o, &err);
	else
		fd = nyk_kernel_prog_load(insns, count, &o, &err);
	k->ms = now_ms() - t0;
	free(starts);
	if (k->unprivileged)
		set_perfmon(false);
	if (fd >= 0) {
		k->accepted = true;
		close(fd);
	} else {
		snprintf(k->reason, sizeof(k->reason), "%s", err.message[0] ? err.message : strerror(-fd));
	}
	return 0;
}

/* Whether bpf() may be used here; prints the SKIPPED line when not. */
static bool kernel_usable(void)
{
	char why[256];

	if (nyk_kernel_available(why, sizeof(why)) == 0)
		return true;
	if (cli.json) {
		json_begin_object();
		json_key("skipped");
		json_string(why);
		json_end_object();
		json_finish();
	} else {
		printf("SKIPPED: %s\n", why);
	}
	return false;
}

/* `prog verify --kernel`: every selected program of an object, or the instructions of a plain file. */
static int kernel_verify_object(const struct verify_args *a, struct nyk_object *obj, struct nyk_program *only)
{
	struct kernel_maps maps = { 0 };
	struct nyk_error err;
	size_t n = nyk_object_program_count(obj), shown = 0;
	int rc = EXIT_OK;

	nyk_error_clear(&err);
	if (kernel_maps_create(obj, &maps, &err) < 0) {
		kernel_maps_close(&maps);
		nyk_error_set_file(&err, a->file);
		return cli_lib_error(&err);
	}
	if (cli.json && (!only && n > 1))
		json_begin_array();
	for (size_t i = 0; i < n; i++) {
		struct nyk_program *p = nyk_object_program(obj, i);
		struct kernel_verdict k = { .file = a->file, .prog = nyk_program_name(p) };
		size_t count = 0;
		const struct nyk_insn *src = nyk_program_insns(p, &count);
		struct nyk_insn *insns;

		if (only && p != only)
			continue;
		insns = malloc((count ? count : 1) * sizeof(*insns));
		if (!insns) {
			rc = cli_error("out of memory");
			break;
		}
		memcpy(insns, src, count * sizeof(*insns));
		nyk_error_clear(&err);
		if (rewrite_map_refs(insns, count, &maps, &err) < 0) {
			free(insns);
			nyk_error_set_file(&err, a->file);
			rc = cli_lib_error(&err);
			break;
		}
		if (kernel_load(&k, insns, count, nyk_program_type(p), nyk_program_section(p), nyk_object_license(obj),
				a) < 0) {
			free(insns);
			rc = cli_error("out of memory");
			break;
		}
		print_kernel_verdict(&k, a->log_level);
		shown++;
		if (!k.skipped && !k.accepted)
			rc = EXIT_FAIL;
		free(k.log);
		free(insns);
	}
	if (cli.json && (!only && n > 1))
		json_end_array();
	if (cli.json && shown)
		json_finish();
	kernel_maps_close(&maps);
	return rc;
}

static int kernel_verify_insns(const struct verify_args *a, const struct nyk_insn *insns, size_t count,
			       const struct nyk_progtype *type)
{
	struct kernel_verdict k = { .file = a->file, .prog = a->prog };
	int rc;

	if (kernel_load(&k, insns, count, type, NULL, NULL, a) < 0)
		return cli_error("out of memory");
	print_kernel_verdict(&k, a->log_level);
	if (cli.json)
		json_finish();
	rc = !k.skipped && !k.accepted ? EXIT_FAIL : EXIT_OK;
	free(k.log);
	return rc;
}

#endif /* NYK_HAVE_KERNEL */

/* ---- prog verify ---------------------------------------------------------------- */

static const struct cli_opt verify_opts[] = {
	CLI_STRING("--type", "type", struct verify_args, type),
	CLI_STRING("--btf", NULL, struct verify_args, btf),
	CLI_STRING("--dot", NULL, struct verify_args, dot),
	CLI_NUMBER("--log-level", "log_level", struct verify_args, log_level, 0, 2, "0, 1 or 2"),
	CLI_NUMBER("--ctx-size", NULL, struct verify_args, ctx_size, 0, UINT32_MAX, "a number of bytes"),
	CLI_SET("--privileged", NULL, struct verify_args, privileged),
	CLI_SET("--kernel-helpers", NULL, struct verify_args, kernel_helpers),
	CLI_SET("--kernel", NULL, struct verify_args, kernel),
	{ NULL, NULL, 0, 0, 0, 0, 0, NULL },
};

static int parse_verify_args(struct verify_args *a, int argc, char **argv)
{
	static const struct cli_opt *const tables[] = { verify_opts, NULL };
	struct cli_walk w = { .cmd = "prog verify", .tables = tables, .args = a, .positional = { &a->file, &a->prog } };
	int rc;

	if ((rc = cli_walk_args(&w, argc, argv)))
		return rc;
	if (!a->file)
		return cli_usage_error("'prog verify' needs a FILE (see '%s prog help')", cli.prog_name);
	if (a->type && !nyk_progtype_by_name(a->type))
		return cli_usage_error("unknown program type '%s'", a->type);
	if (a->kernel && a->dot)
		return cli_usage_error("--dot draws nyuki's analysis; it cannot be combined with --kernel");
#ifndef NYK_HAVE_KERNEL
	if (a->kernel)
		return cli_error("--kernel: this build has no kernel backend");
#endif
	return EXIT_OK;
}

/* Print one verdict; returns its exit code (library failures are printed as errors). */
static int report(struct verdict *v)
{
	if (!is_verdict(v->rc)) {
		return cli_lib_error_in(&v->err, v->file);
	}
	if (cli.json)
		print_verdict_json(v);
	else
		print_verdict_text(v);
	return v->rc == 0 ? EXIT_OK : EXIT_FAIL;
}

static int verify_object_file(const struct verify_args *a, struct out_sink *sink)
{
	struct nyk_object *obj = NULL;
	struct nyk_program *only = NULL;
	struct nyk_verify_opts o;
	size_t n;
	int rc, worst = EXIT_OK;
	bool array;

	if ((rc = open_object_for_verify(a, &obj, &only))) {
		nyk_object_close(obj);
		return rc;
	}
#ifdef NYK_HAVE_KERNEL
	if (a->kernel) {
		rc = kernel_usable() ? kernel_verify_object(a, obj, only) : EXIT_OK;
		nyk_object_close(obj);
		return rc;
	}
#endif
	base_opts(&o, a, sink);
	n = nyk_object_program_count(obj);
	array = cli.json && !only && n > 1;
	if (array)
		json_begin_array();
	for (size_t i = 0; i < n; i++) {
		struct nyk_program *p = nyk_object_program(obj, i);
		struct verdict v;

		if (only && p != only)
			continue;
		verdict_init(&v, a->file, nyk_program_name(p));
		verify_program(&v, p, &o);
		rc = report(&v);
		if (rc > worst)
			worst = rc;
		if (!is_verdict(v.rc))
			break;   /* printed as an error (in JSON, a document of its own) */
	}
	if (array)
		json_end_array();
	if (cli.json)
		json_finish();
	nyk_object_close(obj);
	return worst;
}

static int verify_plain_file(const struct verify_args *a, struct out_sink *sink)
{
	const struct nyk_progtype *type = a->type ? nyk_progtype_by_name(a->type) : NULL;
	struct nyk_insn *insns = NULL;
	struct nyk_verify_opts o;
	struct verdict v;
	size_t count = 0;
	int rc;

	if ((rc = cli_load_program(a->file, a->prog, &insns, &count)))
		return rc;
#ifdef NYK_HAVE_KERNEL
	if (a->kernel) {
		rc = kernel_usable() ? kernel_verify_insns(a, insns, count, type) : EXIT_OK;
		free(insns);
		return rc;
	}
#endif
	base_opts(&o, a, sink);
	verdict_init(&v, a->file, a->prog);
	verify_insns(&v, insns, count, type, &o);
	rc = report(&v);
	if (cli.json && is_verdict(v.rc))
		json_finish();
	free(insns);
	return rc;
}

int do_prog_verify(int argc, char **argv)
{
	struct verify_args a = { 0 };
	struct out_sink sink = { 0 };
	int rc;

	if ((rc = parse_verify_args(&a, argc, argv)))
		return rc;
	if (a.dot && !(sink.dot = strcmp(a.dot, "-") ? fopen(a.dot, "w") : stdout))
		return cli_error("cannot create '%s': %s", a.dot, strerror(errno));
	if (wants_object(&a))
		rc = verify_object_file(&a, &sink);
	else
		rc = verify_plain_file(&a, &sink);
	if (sink.dot && sink.dot != stdout && fclose(sink.dot) != 0 && rc == EXIT_OK)
		rc = cli_error("cannot write '%s': %s", a.dot, strerror(errno));
	return rc;
}

void prog_verify_help(void)
{
	fprintf(stderr,
		"\n"
		"       %s prog verify FILE [PROG] [type TYPE] [--log-level N] [--dot FILE] [--privileged]\n"
		"                          [--kernel-helpers] [--kernel] [--btf TARGET] [--ctx-size N]\n"
		"       prove that a program is safe to run: every memory access in bounds and of\n"
		"       the right kind, no uninitialised register read, helpers called as their\n"
		"       prototypes say, loops bounded, the return value in the type's range.\n"
		"       One line per program: \"FILE: PROG: verified (...)\" (exit 0), or the\n"
		"       instruction, its source line and the reason, then the values involved (exit 1).\n"
		"       FILE := { ELF object (every program, or PROG) | assembly text | raw bytecode }\n"
		"       type TYPE        the program type (objects: for unknown sections; others:\n"
		"                        default raw memory, r1 = bytes, r2 = their size)\n"
		"       --log-level N    1: the abstract state at each block, 2: at each instruction\n"
		"       --dot FILE       the control-flow graph with the states, for Graphviz\n"
		"       --privileged     allow pointer leaks, as the kernel does for CAP_PERFMON\n"
		"       --kernel-helpers accept helpers only the kernel can run\n"
		"       --ctx-size N     the context is N bytes (types whose context is bytes, as\n"
		"                        raw memory; r2 = N there): what `prog run --mem` gives\n"
		"       --kernel         ask the running kernel's verifier instead (maps become kernel\n"
		"                        maps); without --privileged the load sheds CAP_PERFMON and\n"
		"                        CAP_SYS_ADMIN, so the kernel refuses pointer leaks too.\n"
		"                        Prints \"SKIPPED: ...\" and exits 0 where bpf() is not permitted.\n",
		cli.prog_name);
}

/* ---- prog run: verify first ------------------------------------------------------- */

/*
 * A refusal before a run is an error: the verdict's line (with "Error: ",
 * or as {"error": ...} under -j), the explanation, and the way around it.
 */
static int run_refused(struct verdict *v)
{
	char head[1024];
	int rc;

	if (!is_verdict(v->rc)) {
		return cli_lib_error_in(&v->err, v->file);
	}
	refusal_head(v, head, sizeof(head));
	if (v->prog)
		rc = cli_error("%s: %s: %s", v->file, v->prog, head);
	else
		rc = cli_error("%s: %s", v->file, head);
	if (!cli.json) {
		print_explanation(v, stderr);
		fprintf(stderr, "(not run: the verifier cannot prove it safe; --no-verify runs it in checked mode)\n");
	}
	return rc;
}

/*
 * Running is safe whether or not pointers leak (they stay in this
 * process), so programs are verified as the kernel verifies a privileged
 * loader's; helpers must be ones nyuki runs.
 */
static void run_opts(struct nyk_verify_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->size = sizeof(*o);
	o->flags = NYK_VERIFY_PRIVILEGED;
}

int prog_run_verify_insns(const char *file, const char *func, const struct nyk_insn *insns, size_t count)
{
	return prog_run_verify_insns_sized(file, func, insns, count, 0);
}

/* A plain file run on --mem bytes: the verifier knows the memory's length (r2 and the context's bound). */
int prog_run_verify_insns_sized(const char *file, const char *func, const struct nyk_insn *insns, size_t count,
				size_t ctx_size)
{
	struct nyk_verify_opts o;
	struct verdict v;

	run_opts(&o);
	o.ctx_size = ctx_size;
	verdict_init(&v, file, func);
	verify_insns(&v, insns, count, NULL, &o);
	return v.rc == 0 ? EXIT_OK : run_refused(&v);
}

bool prog_dump_verified(const struct nyk_insn *insns, size_t count, struct nyk_object *obj,
			struct nyk_program *prog)
{
	struct nyk_verify_opts o;
	struct nyk_verify_result res;
	struct nyk_error err;

	run_opts(&o);
	nyk_error_clear(&err);
	if (prog)
		return nyk_program_type(prog) && nyk_program_verify(prog, &o, &res, &err) == 0 &&
		       prog_run_targets_verified(obj, prog);
	return nyk_verify(insns, count, &o, &res, &err) == 0;
}

bool prog_run_targets_verified(struct nyk_object *obj, struct nyk_program *prog)
{
	struct nyk_verify_opts o;
	bool has_prog_array = false;

	for (size_t i = 0; i < nyk_object_map_count(obj); i++)
		if (nyk_map_get_def(nyk_object_map(obj, i))->type == NYK_MAP_PROG_ARRAY)
			has_prog_array = true;
	if (!has_prog_array)
		return true;
	run_opts(&o);
	for (size_t i = 0; i < nyk_object_program_count(obj); i++) {
		struct nyk_program *p = nyk_object_program(obj, i);
		struct nyk_verify_result res;
		struct nyk_error err;

		if (p == prog || nyk_program_type(p) != nyk_program_type(prog))
			continue;
		nyk_error_clear(&err);
		if (nyk_program_verify(p, &o, &res, &err) != 0)
			return false;
	}
	return true;
}

int prog_run_verify_program(const char *file, struct nyk_program *prog)
{
	struct nyk_verify_opts o;
	struct verdict v;

	run_opts(&o);
	verdict_init(&v, file, nyk_program_name(prog));
	verify_program(&v, prog, &o);
	return v.rc == 0 ? EXIT_OK : run_refused(&v);
}
