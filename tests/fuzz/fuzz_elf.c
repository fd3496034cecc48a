/*
 * fuzz_elf.c - nyk_elf_read_code and the ELF readers under it on arbitrary
 * bytes. Whatever the input, reading must end in code or a message; code
 * read back must survive nyk_elf_write -> nyk_elf_read_code unchanged.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "loader/elf_internal.h"
#include "nyuki/elf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Walk every symbol and relocation the way the object loader will. */
static void walk(const uint8_t *data, size_t size)
{
	struct elf_file ef;
	size_t symtab, nsyms = 0;

	if (elf_open(&ef, data, size, NULL) < 0)
		return;
	symtab = elf_find_section_type(&ef, ELF_SHT_SYMTAB);
	if (symtab && elf_symtab_check(&ef, symtab, &nsyms, NULL) == 0) {
		for (size_t i = 0; i < nsyms; i++) {
			struct elf_symbol sym;
			if (elf_symbol(&ef, symtab, i, &sym, NULL) == 0 && strlen(sym.name) > size)
				abort();
		}
	}
	for (size_t s = 1; s < ef.shnum; s++) {
		size_t n;
		uint64_t len;
		const uint8_t *bytes = elf_section_data(&ef, s, &len);
		if (bytes && (bytes < data || len > size || (size_t)(bytes - data) > size - len))
			abort();
		if ((ef.sections[s].type == ELF_SHT_REL || ef.sections[s].type == ELF_SHT_RELA) &&
		    elf_relocs_check(&ef, s, &n, NULL) == 0) {
			for (size_t i = 0; i < n; i++) {
				struct elf_reloc rel;
				elf_reloc(&ef, s, i, &rel);
			}
		}
	}
	elf_close(&ef);
}

static void round_trip(const struct nyk_insn *insns, size_t count)
{
	struct nyk_insn *again = NULL;
	size_t n = 0, len;
	void *obj;

	if (nyk_elf_write(insns, count, "fuzz", "f", &obj, &len, NULL) < 0)
		abort();
	if (nyk_elf_read_code(obj, len, "f", &again, &n, NULL) < 0 || n != count)
		abort();
	for (size_t i = 0; i < n; i++)
		if (again[i].opcode != insns[i].opcode || again[i].regs != insns[i].regs ||
		    again[i].off != insns[i].off || again[i].imm != insns[i].imm)
			abort();
	free(again);
	free(obj);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { NULL, "main", "f" };
	struct nyk_error err;

	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		struct nyk_insn *insns = NULL;
		size_t count = 0;

		nyk_error_clear(&err);
		if (nyk_elf_read_code(data, size, names[k], &insns, &count, &err) < 0) {
			if (!err.message[0] || err.code >= 0)
				abort();   /* every failure says why */
			continue;
		}
		if (count == 0 || count > size / 8)
			abort();
		if (k == 0)
			round_trip(insns, count);
		free(insns);
	}
	walk(data, size);
	return 0;
}
