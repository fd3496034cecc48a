/*
 * core_check.c - apply an object's CO-RE relocations against a target BTF
 * and run each relocated program, for tests/btf/run.sh (built there
 * against libnyuki.a; it reads ELF sections with the loader's internal
 * readers, so it is a test tool, not an example of the public API).
 *
 *   core_check OBJ TARGET [--insns]
 *
 * For every executable section with CO-RE relocations it prints
 *   relo SECTION insn N KIND ACCESS: ok|poisoned|error (rc) [message]
 *   run SECTION r0=VALUE            (or "run SECTION error: ...")
 * and with --insns the relocated instructions ("insn SECTION N hex").
 * Programs run in the interpreter's checked mode with r1 pointing at 256
 * bytes that are the same for every run; a poisoned instruction that is
 * reached calls helper 0xbad2310, registered here to end the run with
 * r0 = 0xbad.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader/elf_internal.h"
#include "nyuki/btf.h"
#include "nyuki/vm.h"

static void *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);

	if (!f || !buf) {
		fprintf(stderr, "core_check: cannot open %s\n", path);
		exit(2);
	}
	for (size_t got; (got = fread(buf + n, 1, cap - n, f)) > 0;) {
		n += got;
		if (n == cap && !(buf = realloc(buf, cap *= 2)))
			exit(2);
	}
	fclose(f);
	*len = n;
	return buf;
}

static uint64_t poison_helper(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5, struct nyk_exec *exec)
{
	nyk_exec_stop(exec, 0xbad);
	return 0;
}

static void run(const char *sec, const struct nyk_insn *insns, size_t count)
{
	struct nyk_vm *vm = nyk_vm_create();
	struct nyk_error err;
	uint8_t mem[256];
	uint32_t seed = 12345;
	uint64_t r0 = 0;
	char buf[512];

	for (size_t i = 0; i < sizeof(mem); i++) {
		seed = seed * 1103515245u + 12345u;
		mem[i] = (uint8_t)(seed >> 16);
	}
	nyk_error_clear(&err);
	if (nyk_vm_register_helper(vm, NYK_CORE_POISON_HELPER, "core_poison", poison_helper, &err) < 0 ||
	    nyk_vm_load(vm, insns, count, &err) < 0 || nyk_vm_exec(vm, mem, sizeof(mem), &r0, &err) < 0)
		printf("run %s error: %s\n", sec, nyk_error_format(&err, buf, sizeof(buf)));
	else
		printf("run %s r0=0x%llx\n", sec, (unsigned long long)r0);
	nyk_vm_destroy(vm);
}

int main(int argc, char **argv)
{
	struct nyk_btf *btf, *target;
	struct nyk_btf_ext *ext;
	struct nyk_error err;
	struct elf_file ef;
	const uint8_t *bytes;
	uint64_t size;
	size_t len;
	void *data;
	char buf[512];
	int show_insns = argc > 3 && !strcmp(argv[3], "--insns");

	if (argc < 3) {
		fprintf(stderr, "usage: core_check OBJ TARGET [--insns]\n");
		return 2;
	}
	data = read_file(argv[1], &len);
	nyk_error_clear(&err);
	if (elf_open(&ef, data, len, &err) < 0 || nyk_btf_load_mem(data, len, &btf, &err) < 0 ||
	    nyk_btf_load_file(argv[2], &target, &err) < 0) {
		printf("error: %s\n", nyk_error_format(&err, buf, sizeof(buf)));
		return 1;
	}
	bytes = elf_section_data(&ef, elf_find_section(&ef, ".BTF.ext"), &size);
	if (nyk_btf_ext_parse(bytes, (size_t)size, btf, &ext, &err) < 0) {
		printf("error: %s\n", nyk_error_format(&err, buf, sizeof(buf)));
		return 1;
	}
	for (size_t s = 0; s < nyk_btf_ext_section_count(ext); s++) {
		const char *sec = nyk_btf_ext_section_name(ext, s);
		const struct nyk_btf_core_relo *relos;
		size_t nrelos = nyk_btf_ext_core_relos(ext, sec, &relos), idx = elf_find_section(&ef, sec), count;
		struct nyk_insn *insns;

		if (!nrelos || !idx)
			continue;
		bytes = elf_section_data(&ef, idx, &size);
		count = (size_t)size / 8;
		insns = malloc(count * sizeof(*insns) + 1);
		elf_read_insns(&ef, bytes, count, insns);
		for (size_t i = 0; i < nrelos; i++) {
			int rc;
			nyk_error_clear(&err);
			rc = nyk_core_apply(insns, count, &relos[i], btf, target, &err);
			printf("relo %s insn %u %s %s: %s (%d)%s%s\n", sec, relos[i].insn_off,
			       nyk_core_relo_kind_name(relos[i].kind), nyk_btf_str(btf, relos[i].access_str_off),
			       rc == 0 ? "ok" : rc == -ESRCH ? "poisoned" : "error", rc, rc ? " " : "",
			       rc ? nyk_error_format(&err, buf, sizeof(buf)) : "");
		}
		if (show_insns)
			for (size_t i = 0; i < count; i++)
				printf("insn %s %zu %02x %02x %d %d\n", sec, i, insns[i].opcode, insns[i].regs, insns[i].off,
				       insns[i].imm);
		run(sec, insns, count);
		free(insns);
	}
	nyk_btf_ext_free(ext);
	nyk_btf_free(btf);
	nyk_btf_free(target);
	elf_close(&ef);
	free(data);
	return 0;
}
