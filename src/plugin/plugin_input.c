/*
 * plugin_input.c - command line, hex input, program loading and the run of
 * nyuki-conformance-plugin (see plugin_input.h and docs/plugin.md).
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nyuki/elf.h"
#include "nyuki/vm.h"
#include "plugin/plugin_input.h"

/* ---- command line ------------------------------------------------------------- */

static int set_executor(struct plugin_args *args, const char *name, struct nyk_error *err)
{
	if (strcmp(name, "interp") == 0 || strcmp(name, "interpreter") == 0) {
		args->executor = PLUGIN_EXEC_INTERP;
		return 0;
	}
	if (strcmp(name, "jit") == 0) {
		args->executor = PLUGIN_EXEC_JIT;
		return 0;
	}
	return nyk_error_set(err, -EINVAL, "unknown executor '%s' (interp or jit)", name);
}

/* Handle one option word; *i moves past any value it takes. */
static int parse_option(const char *const *w, size_t n, size_t *i, struct plugin_args *args,
			struct nyk_error *err)
{
	const char *a = w[*i];

	if (strcmp(a, "--elf") == 0) {
		args->elf = true;
	} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
		args->help = true;
	} else if (strncmp(a, "--executor=", 11) == 0) {
		return set_executor(args, a + 11, err);
	} else if (strcmp(a, "--executor") == 0) {
		if (*i + 1 >= n)
			return nyk_error_set(err, -EINVAL, "option '--executor' needs a value (interp or jit)");
		return set_executor(args, w[++*i], err);
	} else if (strcmp(a, "--program") == 0) {
		if (*i + 1 >= n)
			return nyk_error_set(err, -EINVAL, "option '--program' needs the program as hex bytes");
		args->program_hex = w[++*i];
	} else if (a[0] == '-') {
		return nyk_error_set(err, -EINVAL, "unknown option '%s' (see --help)", a);
	} else {
		return nyk_error_set(err, -EINVAL, "unexpected argument '%s': memory must be the first argument", a);
	}
	return 0;
}

/* Whether an argument is an option that holds more than one word ("--executor jit"). */
static bool is_option_group(const char *a)
{
	return a[0] == '-' && strpbrk(a, " \t\n") != NULL;
}

/*
 * The option words of argv[first..argc): empty arguments disappear, and
 * option arguments holding spaces are split into a copy (*storage).
 */
static int split_words(int argc, char **argv, int first, const char ***words, size_t *count, char **storage)
{
	size_t n = 0, cap = 0;
	const char **w;
	char *copy, *p;

	for (int i = first; i < argc; i++)
		cap += strlen(argv[i]) + 1;
	w = malloc((cap + 1) * sizeof(*w));
	copy = malloc(cap + 1);
	if (!w || !copy) {
		free(w);
		free(copy);
		return -ENOMEM;
	}
	p = copy;
	for (int i = first; i < argc; i++) {
		size_t len = strlen(argv[i]);
		char *save = NULL;
		if (!is_option_group(argv[i])) {
			if (len)
				w[n++] = argv[i];
			continue;
		}
		memcpy(p, argv[i], len + 1);
		for (char *tok = strtok_r(p, " \t\r\n", &save); tok; tok = strtok_r(NULL, " \t\r\n", &save))
			w[n++] = tok;
		p += len + 1;
	}
	*words = w;
	*count = n;
	*storage = copy;
	return 0;
}

int plugin_parse_args(int argc, char **argv, struct plugin_args *args, struct nyk_error *err)
{
	const char **w;
	size_t n;
	int first = 1, rc = 0;

	memset(args, 0, sizeof(*args));
	args->executor = PLUGIN_EXEC_INTERP;
	/* argv[1] is the memory when it does not look like an option. */
	if (argc > 1 && argv[1][0] != '-') {
		if (argv[1][strspn(argv[1], " \t\r\n")] != '\0')
			args->mem_hex = argv[1];
		first = 2;
	}
	/* Words (a --program value among them) may point into args->storage. */
	if (split_words(argc, argv, first, &w, &n, &args->storage) < 0)
		return nyk_error_set(err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = parse_option(w, n, &i, args, err);
	free(w);
	if (rc < 0)
		plugin_args_free(args);
	return rc;
}

void plugin_args_free(struct plugin_args *args)
{
	free(args->storage);
	args->storage = NULL;
	args->program_hex = NULL;
}

/* ---- hex ---------------------------------------------------------------------- */

static int hex_digit(int c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

int plugin_parse_hex(const char *text, size_t len, const char *what, uint8_t **out, size_t *out_len,
		     struct nyk_error *err)
{
	uint8_t *buf;
	size_t n = 0, i = 0;

	*out = NULL;
	*out_len = 0;
	/* Every byte but the last takes a digit and a separator at least. */
	buf = malloc(len / 2 + 1);
	if (!buf)
		return nyk_error_set(err, -ENOMEM, "out of memory for %s", what);
	while (i < len) {
		size_t start, digits;

		if (isspace((unsigned char)text[i])) {
			i++;
			continue;
		}
		start = i;
		while (i < len && !isspace((unsigned char)text[i]))
			i++;
		/* One token: [0x] hex digits, one digit or an even number of them. */
		digits = i - start;
		if (digits > 2 && text[start] == '0' && (text[start + 1] == 'x' || text[start + 1] == 'X')) {
			start += 2;
			digits -= 2;
		}
		for (size_t k = start; k < i; k++) {
			if (hex_digit((unsigned char)text[k]) < 0) {
				int shown = (int)(i - start < 16 ? i - start : 16);
				free(buf);
				return nyk_error_set(err, -EINVAL, "%s: '%.*s' at offset %zu is not a hex byte", what, shown,
						     text + start, start);
			}
		}
		if (digits == 1) {
			buf[n++] = (uint8_t)hex_digit((unsigned char)text[start]);
			continue;
		}
		if (digits % 2) {
			free(buf);
			return nyk_error_set(err, -EINVAL, "%s: odd number of hex digits at offset %zu", what, start);
		}
		for (size_t k = start; k < i; k += 2)
			buf[n++] = (uint8_t)(hex_digit((unsigned char)text[k]) << 4 |
					     hex_digit((unsigned char)text[k + 1]));
	}
	if (n == 0) {
		free(buf);
		return 0;
	}
	*out = buf;
	*out_len = n;
	return 0;
}

/* ---- program ------------------------------------------------------------------ */

int plugin_load_program(const uint8_t *bytes, size_t len, bool elf, struct nyk_insn **insns, size_t *count,
			struct nyk_error *err)
{
	struct nyk_insn *p;
	size_t n;

	*insns = NULL;
	*count = 0;
	if (len == 0)
		return nyk_error_set(err, -EINVAL, "empty program");
	if (elf) {
		int rc = nyk_elf_read_code(bytes, len, NULL, insns, count, err);
		if (rc < 0)
			return rc;
		return 0;
	}
	if (nyk_elf_is_elf(bytes, len))
		return nyk_error_set(err, -EINVAL, "the program is an ELF object: pass --elf");
	if (len % 8)
		return nyk_error_set(err, -EINVAL,
				     "program is %zu bytes, not a multiple of 8 (the last instruction is truncated)", len);
	n = len / 8;
	p = malloc(n * sizeof(*p));
	if (!p)
		return nyk_error_set(err, -ENOMEM, "out of memory for %zu instructions", n);
	/* Raw slots are little-endian, as in objects and on the wire. */
	for (size_t i = 0; i < n; i++) {
		const uint8_t *b = bytes + i * 8;
		p[i].opcode = b[0];
		p[i].regs = b[1];
		p[i].off = (int16_t)(b[2] | b[3] << 8);
		p[i].imm = (int32_t)((uint32_t)b[4] | (uint32_t)b[5] << 8 | (uint32_t)b[6] << 16 | (uint32_t)b[7] << 24);
	}
	*insns = p;
	*count = n;
	return 0;
}

/* ---- run ---------------------------------------------------------------------- */

/* bpf_ktime_get_ns: monotonic time in nanoseconds. */
static uint64_t helper_ktime_get_ns(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
				    struct nyk_exec *exec)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int plugin_run(enum plugin_executor executor, const struct nyk_insn *insns, size_t count, const uint8_t *mem,
	       size_t mem_len, uint64_t budget, uint64_t *r0, struct nyk_error *err)
{
	struct nyk_vm_opts opts = { .size = sizeof(opts), .flags = 0, .insn_budget = budget };
	struct nyk_vm *vm = nyk_vm_create();
	uint8_t *copy = NULL;
	int rc;

	if (!vm)
		return nyk_error_set(err, -ENOMEM, "out of memory creating the vm");
	if (executor == PLUGIN_EXEC_JIT)
		opts.flags |= NYK_VM_JIT;
	if ((rc = nyk_vm_set_opts(vm, &opts)) < 0) {
		if (rc == -ENOTSUP)
			nyk_error_set(err, rc, "executor 'jit' is not available on this machine (x86-64 only)");
		else
			nyk_error_set(err, rc, "the vm refused its options");
		goto out;
	}
	if ((rc = nyk_vm_register_helper(vm, PLUGIN_HELPER_KTIME_GET_NS, "bpf_ktime_get_ns", helper_ktime_get_ns,
					 err)) < 0 ||
	    (rc = nyk_vm_load(vm, insns, count, err)) < 0)
		goto out;
	/* The program may write its memory: give it a copy (NULL when there is none). */
	if (mem_len) {
		copy = malloc(mem_len);
		if (!copy) {
			rc = nyk_error_set(err, -ENOMEM, "out of memory for %zu bytes of memory", mem_len);
			goto out;
		}
		memcpy(copy, mem, mem_len);
	}
	rc = nyk_vm_exec(vm, copy, mem_len, r0, err);
out:
	free(copy);
	nyk_vm_destroy(vm);
	return rc < 0 ? rc : 0;
}
