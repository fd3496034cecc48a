/*
 * elf_min.c - the smallest useful ELF support (nyuki/elf.h): write a
 * relocatable ELF64 EM_BPF object holding one program, and read the code of
 * one function back from an object written by nyuki, clang, gcc or the
 * external conformance runner. It reads through the bounds-checked readers
 * of elf_read.c (elf_internal.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nyuki/elf.h"
#include "loader/elf_internal.h"

/* ---- nyk_elf_read_code ------------------------------------------------------- */

int nyk_elf_is_elf(const void *data, size_t len)
{
	return data && len >= 4 && memcmp(data, "\177ELF", 4) == 0;
}

/* The code a caller asked for: a function, or a whole section. */
struct code_range {
	char what[96];      /* "function 'f'" or "section 'xdp'" for messages */
	size_t section;
	uint64_t start;     /* byte offset in the section */
	uint64_t size;
};

static int is_code_section(const struct elf_file *ef, size_t idx)
{
	const struct elf_section *s;

	if (idx == 0 || idx >= ef->shnum)
		return 0;
	s = &ef->sections[idx];
	return s->type == ELF_SHT_PROGBITS && (s->flags & ELF_SHF_EXECINSTR);
}

static int is_function(const struct elf_file *ef, const struct elf_symbol *sym)
{
	return sym->type == ELF_STT_FUNC && sym->shndx < ELF_SHN_LORESERVE && is_code_section(ef, sym->shndx);
}

/* Append a name to a ", "-separated list in buf, marking truncation with "...". */
static void list_append(char *buf, size_t size, const char *name)
{
	size_t n = strlen(buf);

	if (n + 4 >= size || strstr(buf, "..."))
		return;
	if (n + strlen(name) + 6 >= size) {
		snprintf(buf + n, size - n, "%s...", n ? ", " : "");
		return;
	}
	snprintf(buf + n, size - n, "%s%s", n ? ", " : "", name);
}

/*
 * Pick the function symbol: `func` by name; without a name "main", else
 * the first global function, else the first function of any binding.
 * Sets *found to 0 when the object has no function symbol at all.
 */
static int pick_symbol(const struct elf_file *ef, size_t symtab, size_t nsyms, const char *func,
		       struct elf_symbol *out, int *found, struct nyk_error *err)
{
	struct elf_symbol sym;
	char names[128] = "";
	long main_idx = -1, global_idx = -1, any_idx = -1, named_other = -1;
	int rc;

	for (size_t i = 1; i < nsyms; i++) {
		if ((rc = elf_symbol(ef, symtab, i, &sym, err)))
			return rc;
		if (!is_function(ef, &sym)) {
			if (func && named_other < 0 && strcmp(sym.name, func) == 0)
				named_other = (long)i;
			continue;
		}
		list_append(names, sizeof(names), sym.name);
		if (func) {
			if (strcmp(sym.name, func) == 0) {
				*out = sym;
				*found = 1;
				return 0;
			}
			continue;
		}
		if (main_idx < 0 && strcmp(sym.name, "main") == 0)
			main_idx = (long)i;
		if (global_idx < 0 && sym.bind != ELF_STB_LOCAL)
			global_idx = (long)i;
		if (any_idx < 0)
			any_idx = (long)i;
	}
	if (func) {
		if (named_other >= 0)
			return nyk_error_set(err, -ENOENT, "symbol '%s' is not a function in an executable section", func);
		if (names[0])
			return nyk_error_set(err, -ENOENT, "no function '%s' in the object (functions: %s)", func, names);
		return nyk_error_set(err, -ENOENT, "no function '%s' in the object (it has no function symbols)", func);
	}
	if (main_idx < 0)
		main_idx = global_idx >= 0 ? global_idx : any_idx;
	*found = main_idx >= 0;
	if (*found)
		return elf_symbol(ef, symtab, (size_t)main_idx, out, err);
	return 0;
}

/* End of a function of size 0: the next function symbol in its section, or the section end. */
static uint64_t implicit_function_end(const struct elf_file *ef, size_t symtab, size_t nsyms, size_t section,
				      uint64_t start, uint64_t section_size)
{
	uint64_t end = section_size;
	struct elf_symbol sym;

	for (size_t i = 1; i < nsyms; i++) {
		if (elf_symbol(ef, symtab, i, &sym, NULL) < 0 || !is_function(ef, &sym) || sym.shndx != section)
			continue;
		if (sym.value > start && sym.value < end)
			end = sym.value;
	}
	return end;
}

static int range_of_symbol(const struct elf_file *ef, size_t symtab, size_t nsyms, const struct elf_symbol *sym,
			   struct code_range *r, struct nyk_error *err)
{
	const struct elf_section *s = &ef->sections[sym->shndx];
	/* In relocatable objects st_value is a section offset, elsewhere an address. */
	uint64_t base = ef->type == ELF_ET_REL ? 0 : s->addr;

	snprintf(r->what, sizeof(r->what), "function '%s'", sym->name);
	r->section = sym->shndx;
	if (sym->value < base || sym->value - base > s->size)
		return nyk_error_set(err, -EINVAL,
				     "%s starts at 0x%" PRIx64 ", outside section %zu (%s) (size 0x%" PRIx64 ")",
				     r->what, sym->value, r->section, s->name, s->size);
	r->start = sym->value - base;
	if (r->start % 8)
		return nyk_error_set(err, -EINVAL,
				     "%s starts at offset 0x%" PRIx64 " of section %zu (%s), not a multiple of 8",
				     r->what, r->start, r->section, s->name);
	if (sym->size == 0)
		r->size = implicit_function_end(ef, symtab, nsyms, r->section, sym->value, base + s->size) - sym->value;
	else
		r->size = sym->size;
	if (r->size > s->size - r->start)
		return nyk_error_set(err, -EINVAL,
				     "%s (offset 0x%" PRIx64 ", size 0x%" PRIx64 ") extends past the end of section %zu"
				     " (%s) (size 0x%" PRIx64 ")",
				     r->what, r->start, r->size, r->section, s->name, s->size);
	return 0;
}

/* Without symbols: the first executable section that holds code. */
static int range_of_first_section(const struct elf_file *ef, struct code_range *r, struct nyk_error *err)
{
	for (size_t i = 1; i < ef->shnum; i++) {
		if (is_code_section(ef, i) && ef->sections[i].size > 0) {
			snprintf(r->what, sizeof(r->what), "section '%s'", ef->sections[i].name);
			r->section = i;
			r->start = 0;
			r->size = ef->sections[i].size;
			return 0;
		}
	}
	return nyk_error_set(err, -ENOENT, "object has no executable section with code");
}

/* Refuse code that needs relocating: the object loader resolves maps, calls and data. */
static int check_no_relocations(const struct elf_file *ef, size_t symtab, const struct code_range *r,
				struct nyk_error *err)
{
	for (size_t i = 1; i < ef->shnum; i++) {
		const struct elf_section *s = &ef->sections[i];
		size_t n;
		int rc;

		if ((s->type != ELF_SHT_REL && s->type != ELF_SHT_RELA) || s->info != r->section)
			continue;
		if ((rc = elf_relocs_check(ef, i, &n, err)))
			return rc;
		for (size_t k = 0; k < n; k++) {
			struct elf_reloc rel;
			struct elf_symbol sym;
			const char *target = "?";
			uint64_t at;

			elf_reloc(ef, i, k, &rel);
			at = ef->type == ELF_ET_REL ? rel.offset : rel.offset - ef->sections[r->section].addr;
			if (at < r->start || at - r->start >= r->size)
				continue;
			if (symtab && s->link == symtab && rel.sym &&
			    rel.sym < ef->sections[symtab].size / ELF_SYM_SIZE &&
			    elf_symbol(ef, symtab, rel.sym, &sym, NULL) == 0)
				target = sym.name[0] ? sym.name : sym.type == ELF_STT_SECTION ?
					elf_section_name(ef, sym.shndx) : "?";
			return nyk_error_set(err, -ENOTSUP,
					     "%s has relocations (maps/calls; the first at insn %" PRIu64
					     ", against '%s'); load it with the object loader",
					     r->what, (at - r->start) / 8, target);
		}
	}
	return 0;
}

static int check_range_shape(const struct code_range *r, struct nyk_error *err)
{
	if (r->size == 0)
		return nyk_error_set(err, -EINVAL, "%s is empty", r->what);
	if (r->size % 8)
		return nyk_error_set(err, -EINVAL, "%s has size 0x%" PRIx64 ", not a multiple of 8 (instruction size)",
				     r->what, r->size);
	return 0;
}

int nyk_elf_read_code(const void *data, size_t len, const char *func, struct nyk_insn **insns, size_t *count,
		      struct nyk_error *err)
{
	struct elf_file ef;
	struct code_range r;
	struct nyk_insn *out;
	size_t symtab, nsyms = 0;
	int rc, found = 0;

	if ((rc = elf_open(&ef, data, len, err)))
		return rc;
	symtab = elf_find_section_type(&ef, ELF_SHT_SYMTAB);
	if (symtab) {
		struct elf_symbol sym;
		if ((rc = elf_symtab_check(&ef, symtab, &nsyms, err)) ||
		    (rc = pick_symbol(&ef, symtab, nsyms, func, &sym, &found, err)))
			goto out;
		if (found && (rc = range_of_symbol(&ef, symtab, nsyms, &sym, &r, err)))
			goto out;
	} else if (func) {
		rc = nyk_error_set(err, -ENOENT, "no function '%s' in the object (it has no symbol table)", func);
		goto out;
	}
	if (!found && (rc = range_of_first_section(&ef, &r, err)))
		goto out;
	if ((rc = check_range_shape(&r, err)) || (rc = check_no_relocations(&ef, symtab, &r, err)))
		goto out;

	out = malloc((size_t)(r.size / 8) * sizeof(*out));
	if (!out) {
		rc = nyk_error_set(err, -ENOMEM, "out of memory for %" PRIu64 " instructions", r.size / 8);
		goto out;
	}
	elf_read_insns(&ef, ef.data + ef.sections[r.section].offset + r.start, (size_t)(r.size / 8), out);
	*insns = out;
	*count = (size_t)(r.size / 8);
out:
	elf_close(&ef);
	return rc;
}

/* ---- nyk_elf_write ------------------------------------------------------------- */

/* Little-endian stores into a buffer the writer has sized. */
static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { put16(p, (uint16_t)v); put16(p + 2, (uint16_t)(v >> 16)); }
static void put64(uint8_t *p, uint64_t v) { put32(p, (uint32_t)v); put32(p + 4, (uint32_t)(v >> 32)); }

static size_t align8(size_t n) { return (n + 7) & ~(size_t)7; }

static void put_section_header(uint8_t *p, uint32_t name, uint32_t type, uint64_t flags, uint64_t offset,
			       uint64_t size, uint32_t link, uint32_t info, uint64_t align, uint64_t entsize)
{
	put32(p, name);
	put32(p + 4, type);
	put64(p + 8, flags);
	put64(p + 16, 0);
	put64(p + 24, offset);
	put64(p + 32, size);
	put32(p + 40, link);
	put32(p + 44, info);
	put64(p + 48, align);
	put64(p + 56, entsize);
}

static void put_symbol(uint8_t *p, uint32_t name, uint8_t bind, uint8_t type, uint16_t shndx, uint64_t value,
		       uint64_t size)
{
	put32(p, name);
	p[4] = (uint8_t)(bind << 4 | type);
	p[5] = 0;
	put16(p + 6, shndx);
	put64(p + 8, value);
	put64(p + 16, size);
}

/*
 * Layout: header, code, .symtab, .strtab, .shstrtab, section headers.
 * Sections: 0 null, 1 code, 2 .symtab, 3 .strtab, 4 .shstrtab.
 */
enum { W_CODE = 1, W_SYMTAB, W_STRTAB, W_SHSTRTAB, W_NSECTIONS };

int nyk_elf_write(const struct nyk_insn *insns, size_t count, const char *section, const char *func, void **out,
		  size_t *out_len, struct nyk_error *err)
{
	static const char *const reserved[] = { ".symtab", ".strtab", ".shstrtab" };
	size_t sec_len, func_len, code_size, code_off, sym_off, str_off, str_size, shstr_off, shstr_size, sh_off,
		total;
	uint32_t n_symtab, n_strtab, n_shstrtab;
	uint8_t *buf, *p;

	if (!insns || count == 0)
		return nyk_error_set(err, -EINVAL, "no instructions to write");
	if (!section || !section[0] || !func || !func[0])
		return nyk_error_set(err, -EINVAL, "the section and function names must not be empty");
	for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (strcmp(section, reserved[i]) == 0)
			return nyk_error_set(err, -EINVAL, "section name '%s' is reserved for the symbol tables", section);
	sec_len = strlen(section);
	func_len = strlen(func);
	if (count > (SIZE_MAX / 2) / 8 || sec_len > 4096 || func_len > 4096)
		return nyk_error_set(err, -E2BIG, "program or names too large for an ELF object");

	code_size = count * 8;
	code_off = ELF_EHDR_SIZE;
	sym_off = align8(code_off + code_size);
	str_off = sym_off + 3 * ELF_SYM_SIZE;
	str_size = 1 + func_len + 1;
	shstr_off = str_off + str_size;
	n_symtab = (uint32_t)(1 + sec_len + 1);
	n_strtab = n_symtab + (uint32_t)sizeof(".symtab");
	n_shstrtab = n_strtab + (uint32_t)sizeof(".strtab");
	shstr_size = n_shstrtab + sizeof(".shstrtab");
	sh_off = align8(shstr_off + shstr_size);
	total = sh_off + W_NSECTIONS * ELF_SHDR_SIZE;

	buf = calloc(1, total);
	if (!buf)
		return nyk_error_set(err, -ENOMEM, "out of memory for a %zu-byte ELF object", total);

	/* ELF header. */
	memcpy(buf, "\177ELF", 4);
	buf[4] = ELF_CLASS64;
	buf[5] = ELF_DATA_LSB;
	buf[6] = 1;                       /* EI_VERSION: EV_CURRENT */
	put16(buf + 16, ELF_ET_REL);
	put16(buf + 18, ELF_EM_BPF);
	put32(buf + 20, 1);               /* e_version */
	put64(buf + 40, sh_off);
	put16(buf + 52, ELF_EHDR_SIZE);
	put16(buf + 58, ELF_SHDR_SIZE);
	put16(buf + 60, W_NSECTIONS);
	put16(buf + 62, W_SHSTRTAB);

	/* Code, little-endian. */
	for (size_t i = 0; i < count; i++) {
		p = buf + code_off + i * 8;
		p[0] = insns[i].opcode;
		p[1] = insns[i].regs;
		put16(p + 2, (uint16_t)insns[i].off);
		put32(p + 4, (uint32_t)insns[i].imm);
	}

	/* Symbols: null, the code section, then the global function (sh_info = 2). */
	put_symbol(buf + sym_off + ELF_SYM_SIZE, 0, ELF_STB_LOCAL, ELF_STT_SECTION, W_CODE, 0, 0);
	put_symbol(buf + sym_off + 2 * ELF_SYM_SIZE, 1, ELF_STB_GLOBAL, ELF_STT_FUNC, W_CODE, 0, code_size);

	memcpy(buf + str_off + 1, func, func_len);
	p = buf + shstr_off;
	memcpy(p + 1, section, sec_len);
	memcpy(p + n_symtab, ".symtab", sizeof(".symtab"));
	memcpy(p + n_strtab, ".strtab", sizeof(".strtab"));
	memcpy(p + n_shstrtab, ".shstrtab", sizeof(".shstrtab"));

	p = buf + sh_off;
	put_section_header(p + W_CODE * ELF_SHDR_SIZE, 1, ELF_SHT_PROGBITS, ELF_SHF_ALLOC | ELF_SHF_EXECINSTR,
			   code_off, code_size, 0, 0, 8, 0);
	put_section_header(p + W_SYMTAB * ELF_SHDR_SIZE, n_symtab, ELF_SHT_SYMTAB, 0, sym_off, 3 * ELF_SYM_SIZE,
			   W_STRTAB, 2, 8, ELF_SYM_SIZE);
	put_section_header(p + W_STRTAB * ELF_SHDR_SIZE, n_strtab, ELF_SHT_STRTAB, 0, str_off, str_size, 0, 0, 1, 0);
	put_section_header(p + W_SHSTRTAB * ELF_SHDR_SIZE, n_shstrtab, ELF_SHT_STRTAB, 0, shstr_off, shstr_size, 0,
			   0, 1, 0);

	*out = buf;
	*out_len = total;
	return 0;
}
