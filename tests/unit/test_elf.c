/*
 * test_elf.c - nyk_elf_write and nyk_elf_read_code: round trips, the
 * layouts other writers use (big-endian, .symtab linked to .shstrtab,
 * size-0 function symbols), and malformed objects, which must give a
 * clear error and never crash.
 *
 * Objects other than nyk_elf_write's are made by a small builder here
 * (obj_*), which lays out any list of sections in either byte order.
 */
#include <errno.h>
#include <stdlib.h>

#include "nyuki/elf.h"
#include "loader/elf_internal.h"
#include "test.h"

#define I(op, dst, src, off, imm) { (op), (uint8_t)((dst) | (src) << 4), (off), (imm) }
#define EXIT I(0x95, 0, 0, 0, 0)

/* r0 = 0x1122334455667788; r0 += r1 (dst/src differ); if r0 > 5 goto +1; r0 = -2 (off, imm < 0); exit */
static const struct nyk_insn sample[] = {
	I(0x18, 0, 0, 0, 0x55667788), I(0x00, 0, 0, 0, 0x11223344),
	I(0x0f, 0, 1, 0, 0),
	I(0x25, 3, 0, 1, 5),
	I(0xb7, 0, 0, 0, -2),
	I(0x7b, 10, 3, -8, 0),
	EXIT,
};
#define SAMPLE_COUNT (sizeof(sample) / sizeof(sample[0]))

static int same_insns(const struct nyk_insn *a, const struct nyk_insn *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i].opcode != b[i].opcode || a[i].regs != b[i].regs || a[i].off != b[i].off || a[i].imm != b[i].imm)
			return 0;
	return 1;
}

/* ---- a builder for objects in any layout ------------------------------------ */

struct obj_section {
	const char *name;
	uint32_t type;
	uint64_t flags;
	const void *data;     /* NULL with type SHT_STRTAB and name ".shstrtab": the section names */
	size_t size;
	uint32_t link, info;
	uint64_t entsize;
};

struct obj {
	uint8_t buf[4096];
	size_t len;
	int be;
	size_t shoff;         /* where the section headers are, for tests that damage them */
};

static void wr(struct obj *o, uint8_t *p, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		p[o->be ? bytes - 1 - i : i] = (uint8_t)(v >> (8 * i));
}

/* Lay out `n` sections after a null section 0: data first, then the headers. */
static void obj_build(struct obj *o, int be, const struct obj_section *secs, size_t n)
{
	char names[512] = "";
	size_t names_len = 1, name_off[16], pos = ELF_EHDR_SIZE, data_off[16], shstrndx = 0;
	uint8_t *h;

	memset(o, 0, sizeof(*o));
	o->be = be;
	for (size_t i = 0; i < n; i++) {
		name_off[i] = names_len;
		memcpy(names + names_len, secs[i].name, strlen(secs[i].name) + 1);
		names_len += strlen(secs[i].name) + 1;
	}
	for (size_t i = 0; i < n; i++) {
		const void *d = secs[i].data;
		size_t size = secs[i].size;
		if (!d && secs[i].type == ELF_SHT_STRTAB && !strcmp(secs[i].name, ".shstrtab")) {
			d = names;
			size = names_len;
			shstrndx = i + 1;
		}
		pos = (pos + 7) & ~(size_t)7;
		data_off[i] = pos;
		if (d)
			memcpy(o->buf + pos, d, size);
		pos += size;
	}
	pos = (pos + 7) & ~(size_t)7;
	o->shoff = pos;
	memcpy(o->buf, "\177ELF", 4);
	o->buf[4] = ELF_CLASS64;
	o->buf[5] = be ? ELF_DATA_MSB : ELF_DATA_LSB;
	o->buf[6] = 1;
	wr(o, o->buf + 16, ELF_ET_REL, 2);
	wr(o, o->buf + 18, ELF_EM_BPF, 2);
	wr(o, o->buf + 20, 1, 4);
	wr(o, o->buf + 40, pos, 8);
	wr(o, o->buf + 52, ELF_EHDR_SIZE, 2);
	wr(o, o->buf + 58, ELF_SHDR_SIZE, 2);
	wr(o, o->buf + 60, n + 1, 2);
	wr(o, o->buf + 62, shstrndx, 2);
	for (size_t i = 0; i < n; i++) {
		size_t size = secs[i].data || secs[i].type != ELF_SHT_STRTAB ? secs[i].size : names_len;
		h = o->buf + pos + (i + 1) * ELF_SHDR_SIZE;
		wr(o, h, name_off[i], 4);
		wr(o, h + 4, secs[i].type, 4);
		wr(o, h + 8, secs[i].flags, 8);
		wr(o, h + 24, data_off[i], 8);
		wr(o, h + 32, size, 8);
		wr(o, h + 40, secs[i].link, 4);
		wr(o, h + 44, secs[i].info, 4);
		wr(o, h + 48, 8, 8);
		wr(o, h + 56, secs[i].entsize, 8);
	}
	o->len = pos + (n + 1) * ELF_SHDR_SIZE;
}

/* Encode instructions in the builder's byte order (big-endian: dst in the high nibble). */
static void obj_code(int be, const struct nyk_insn *insns, size_t n, uint8_t *out)
{
	struct obj o = { .be = be };
	for (size_t i = 0; i < n; i++) {
		uint8_t *p = out + i * 8;
		p[0] = insns[i].opcode;
		p[1] = be ? (uint8_t)(nyk_insn_dst(&insns[i]) << 4 | nyk_insn_src(&insns[i])) : insns[i].regs;
		wr(&o, p + 2, (uint16_t)insns[i].off, 2);
		wr(&o, p + 4, (uint32_t)insns[i].imm, 4);
	}
}

static void obj_sym(int be, uint8_t *p, uint32_t name, unsigned bind, unsigned type, uint16_t shndx,
		    uint64_t value, uint64_t size)
{
	struct obj o = { .be = be };
	wr(&o, p, name, 4);
	p[4] = (uint8_t)(bind << 4 | type);
	p[5] = 0;
	wr(&o, p + 6, shndx, 2);
	wr(&o, p + 8, value, 8);
	wr(&o, p + 16, size, 8);
}

static int read_error(const void *data, size_t len, const char *func, const char *expect)
{
	struct nyk_error err;
	struct nyk_insn *insns = NULL;
	size_t count = 0;
	int rc;

	nyk_error_clear(&err);
	rc = nyk_elf_read_code(data, len, func, &insns, &count, &err);
	free(insns);
	if (rc >= 0) {
		printf("    read succeeded, wanted an error with '%s'\n", expect);
		return 0;
	}
	if (rc != err.code || !strstr(err.message, expect)) {
		printf("    message was: %s (code %d)\n", err.message, rc);
		return 0;
	}
	return 1;
}

/* ---- nyk_elf_write round trips ------------------------------------------------------ */

static void *written;
static size_t written_len;

static int write_sample(const char *section, const char *func)
{
	struct nyk_error err;
	free(written);
	written = NULL;
	nyk_error_clear(&err);
	return nyk_elf_write(sample, SAMPLE_COUNT, section, func, &written, &written_len, &err);
}

TEST(elf_write_then_read_gives_the_program)
{
	struct nyk_insn *insns;
	size_t count;
	struct nyk_error err;

	CHECK(write_sample(".text", "main") == 0);
	CHECK(nyk_elf_is_elf(written, written_len));
	CHECK(nyk_elf_read_code(written, written_len, "main", &insns, &count, &err) == 0);
	CHECK_EQ(count, SAMPLE_COUNT);
	CHECK(same_insns(insns, sample, count));
	free(insns);
	CHECK(nyk_elf_read_code(written, written_len, NULL, &insns, &count, &err) == 0);
	CHECK(same_insns(insns, sample, count));
	free(insns);

	CHECK(write_sample("xdp", "my_prog") == 0);
	CHECK(nyk_elf_read_code(written, written_len, NULL, &insns, &count, &err) == 0);
	CHECK(count == SAMPLE_COUNT && same_insns(insns, sample, count));
	free(insns);
	CHECK(nyk_elf_read_code(written, written_len, "my_prog", &insns, &count, &err) == 0);
	free(insns);
	CHECK(read_error(written, written_len, "main", "no function 'main' in the object (functions: my_prog)"));
}

TEST(elf_write_layout)
{
	struct elf_file ef;
	struct elf_symbol sym;
	size_t symtab, n;
	struct nyk_error err;

	CHECK(write_sample("socket", "f") == 0);
	CHECK(elf_open(&ef, written, written_len, &err) == 0);
	CHECK_EQ(ef.shnum, 5);
	CHECK_STR(ef.sections[1].name, "socket");
	CHECK_EQ(ef.sections[1].flags, ELF_SHF_ALLOC | ELF_SHF_EXECINSTR);
	CHECK_EQ(ef.sections[1].addralign, 8);
	CHECK_EQ(ef.sections[1].offset % 8, 0);
	symtab = elf_find_section(&ef, ".symtab");
	CHECK(symtab == elf_find_section_type(&ef, ELF_SHT_SYMTAB));
	CHECK(elf_symtab_check(&ef, symtab, &n, &err) == 0);
	CHECK_EQ(n, 3);
	CHECK_STR(elf_section_name(&ef, ef.sections[symtab].link), ".strtab");
	CHECK_EQ(ef.sections[symtab].info, 2);
	CHECK(elf_symbol(&ef, symtab, 1, &sym, &err) == 0);
	CHECK(sym.type == ELF_STT_SECTION && sym.shndx == 1);
	CHECK(elf_symbol(&ef, symtab, 2, &sym, &err) == 0);
	CHECK_STR(sym.name, "f");
	CHECK(sym.type == ELF_STT_FUNC && sym.bind == ELF_STB_GLOBAL && sym.shndx == 1);
	CHECK_EQ(sym.size, SAMPLE_COUNT * 8);
	CHECK_STR(elf_section_name(&ef, ef.shstrndx), ".shstrtab");
	elf_close(&ef);
}

TEST(elf_write_rejects_bad_arguments)
{
	struct nyk_error err;
	void *out = NULL;
	size_t len;

	CHECK(nyk_elf_write(sample, 0, ".text", "main", &out, &len, &err) == -EINVAL);
	CHECK(nyk_elf_write(sample, 1, "", "main", &out, &len, &err) == -EINVAL);
	CHECK(nyk_elf_write(sample, 1, ".text", "", &out, &len, &err) == -EINVAL);
	CHECK(nyk_elf_write(sample, 1, ".strtab", "main", &out, &len, &err) == -EINVAL);
	CHECK(strstr(err.message, "reserved"));
	CHECK(out == NULL);
}

/* ---- other writers' layouts -------------------------------------------------------- */

/* The external runner's form: null, .shstrtab, .symtab -> .shstrtab, code; no .strtab. */
static void runner_layout(struct obj *o, int be, const char *section, const char *func)
{
	static uint8_t code[SAMPLE_COUNT * 8], syms[2 * ELF_SYM_SIZE];
	size_t func_name;
	struct obj_section secs[] = {
		{ ".shstrtab", ELF_SHT_STRTAB, 0, NULL, 0, 0, 0, 0 },
		{ ".symtab", ELF_SHT_SYMTAB, 0, syms, sizeof(syms), 1, 1, ELF_SYM_SIZE },
		{ section, ELF_SHT_PROGBITS, ELF_SHF_ALLOC | ELF_SHF_EXECINSTR, code, sizeof(code), 0, 0, 0 },
		{ func, ELF_SHT_NOBITS, 0, NULL, 0, 0, 0, 0 },   /* only to put the name into .shstrtab */
	};

	/* Name offsets in .shstrtab: "\0.shstrtab\0.symtab\0<section>\0<func>\0". */
	func_name = 1 + sizeof(".shstrtab") + sizeof(".symtab") + strlen(section) + 1;
	obj_code(be, sample, SAMPLE_COUNT, code);
	memset(syms, 0, sizeof(syms));
	obj_sym(be, syms + ELF_SYM_SIZE, (uint32_t)func_name, ELF_STB_GLOBAL, ELF_STT_FUNC, 3, 0, sizeof(code));
	obj_build(o, be, secs, sizeof(secs) / sizeof(secs[0]));
}

TEST(elf_reads_symtab_linked_to_shstrtab)
{
	static struct obj o;
	struct nyk_insn *insns;
	size_t count;
	struct nyk_error err;

	runner_layout(&o, 0, ".text", "main");
	CHECK_MSG(nyk_elf_read_code(o.buf, o.len, "main", &insns, &count, &err) == 0, "%s", err.message);
	CHECK(count == SAMPLE_COUNT && same_insns(insns, sample, count));
	free(insns);
	runner_layout(&o, 0, "xdp", "main");
	CHECK_MSG(nyk_elf_read_code(o.buf, o.len, NULL, &insns, &count, &err) == 0, "%s", err.message);
	CHECK(count == SAMPLE_COUNT && same_insns(insns, sample, count));
	free(insns);
}

TEST(elf_reads_big_endian_code)
{
	static struct obj o;
	struct nyk_insn *insns;
	size_t count;
	struct nyk_error err;

	runner_layout(&o, 1, ".text", "main");
	CHECK_MSG(nyk_elf_read_code(o.buf, o.len, "main", &insns, &count, &err) == 0, "%s", err.message);
	CHECK_EQ(count, SAMPLE_COUNT);
	CHECK_MSG(same_insns(insns, sample, count), "big-endian code was not converted");
	CHECK_EQ(nyk_insn_dst(&insns[3]), 3);
	CHECK(insns[4].imm == -2 && insns[5].off == -8);
	free(insns);
}

/* Two functions in one section with size-0 symbols, a static one first. */
static void two_functions(struct obj *o, int with_reloc, uint64_t reloc_at)
{
	static const struct nyk_insn f1[] = { I(0xb7, 0, 0, 0, 1), EXIT };
	static const struct nyk_insn f2[] = { I(0xb7, 0, 0, 0, 2), I(0x07, 0, 0, 0, 3), EXIT };
	static uint8_t code[5 * 8], syms[4 * ELF_SYM_SIZE], rel[16];
	static const char strtab[] = "\0helper\0entry\0map";
	struct obj_section secs[] = {
		{ "tc", ELF_SHT_PROGBITS, ELF_SHF_ALLOC | ELF_SHF_EXECINSTR, code, sizeof(code), 0, 0, 0 },
		{ ".strtab", ELF_SHT_STRTAB, 0, strtab, sizeof(strtab), 0, 0, 0 },
		{ ".symtab", ELF_SHT_SYMTAB, 0, syms, sizeof(syms), 2, 2, ELF_SYM_SIZE },
		{ ".shstrtab", ELF_SHT_STRTAB, 0, NULL, 0, 0, 0, 0 },
		{ ".reltc", ELF_SHT_REL, 0, rel, sizeof(rel), 3, 1, 16 },
	};
	struct obj w = { .be = 0 };

	obj_code(0, f1, 2, code);
	obj_code(0, f2, 3, code + 16);
	memset(syms, 0, sizeof(syms));
	obj_sym(0, syms + 1 * ELF_SYM_SIZE, 1, ELF_STB_LOCAL, ELF_STT_FUNC, 1, 0, 0);     /* helper */
	obj_sym(0, syms + 2 * ELF_SYM_SIZE, 8, ELF_STB_GLOBAL, ELF_STT_FUNC, 1, 16, 0);   /* entry */
	obj_sym(0, syms + 3 * ELF_SYM_SIZE, 14, ELF_STB_GLOBAL, ELF_STT_OBJECT, 0, 0, 0); /* map (undefined) */
	wr(&w, rel, reloc_at, 8);
	wr(&w, rel + 8, (uint64_t)3 << 32 | 1, 8);
	obj_build(o, 0, secs, with_reloc ? 5 : 4);
}

TEST(elf_size_zero_symbols_end_at_the_next_function)
{
	static struct obj o;
	struct nyk_insn *insns;
	size_t count;
	struct nyk_error err;

	two_functions(&o, 0, 0);
	/* Without a name: the global function, not the static one before it. */
	CHECK_MSG(nyk_elf_read_code(o.buf, o.len, NULL, &insns, &count, &err) == 0, "%s", err.message);
	CHECK_EQ(count, 3);
	CHECK_EQ(insns[0].imm, 2);
	free(insns);
	CHECK(nyk_elf_read_code(o.buf, o.len, "helper", &insns, &count, &err) == 0);
	CHECK_EQ(count, 2);
	CHECK_EQ(insns[0].imm, 1);
	free(insns);
	CHECK(read_error(o.buf, o.len, "nope", "no function 'nope' in the object (functions: helper, entry)"));
	CHECK(read_error(o.buf, o.len, "map", "symbol 'map' is not a function"));
}

TEST(elf_relocations_inside_the_function_are_refused)
{
	static struct obj o;
	struct nyk_insn *insns;
	size_t count;
	struct nyk_error err;

	two_functions(&o, 1, 24);   /* insn 1 of entry */
	CHECK(read_error(o.buf, o.len, "entry",
			 "function 'entry' has relocations (maps/calls; the first at insn 1, against 'map'); "
			 "load it with the object loader"));
	/* helper has none of them. */
	CHECK_MSG(nyk_elf_read_code(o.buf, o.len, "helper", &insns, &count, &err) == 0, "%s", err.message);
	CHECK_EQ(count, 2);
	free(insns);
}

TEST(elf_without_symbols_reads_the_first_code_section)
{
	static struct obj o;
	static uint8_t data[8], code[SAMPLE_COUNT * 8];
	struct obj_section secs[] = {
		{ ".data", ELF_SHT_PROGBITS, ELF_SHF_ALLOC | ELF_SHF_WRITE, data, sizeof(data), 0, 0, 0 },
		{ "prog", ELF_SHT_PROGBITS, ELF_SHF_ALLOC | ELF_SHF_EXECINSTR, code, sizeof(code), 0, 0, 0 },
		{ ".shstrtab", ELF_SHT_STRTAB, 0, NULL, 0, 0, 0, 0 },
	};
	struct nyk_insn *insns;
	size_t count;
	struct nyk_error err;

	obj_code(0, sample, SAMPLE_COUNT, code);
	obj_build(&o, 0, secs, 3);
	CHECK_MSG(nyk_elf_read_code(o.buf, o.len, NULL, &insns, &count, &err) == 0, "%s", err.message);
	CHECK(count == SAMPLE_COUNT && same_insns(insns, sample, count));
	free(insns);
	CHECK(read_error(o.buf, o.len, "main", "it has no symbol table"));
	secs[1].flags = ELF_SHF_ALLOC;
	obj_build(&o, 0, secs, 3);
	CHECK(read_error(o.buf, o.len, NULL, "no executable section"));
}

/* ---- malformed objects ------------------------------------------------------------- */

/* A fresh copy of nyk_elf_write's object to damage. */
static uint8_t *damaged(size_t *len)
{
	uint8_t *copy;
	if (write_sample(".text", "main") < 0)
		return NULL;
	copy = malloc(written_len);
	memcpy(copy, written, written_len);
	*len = written_len;
	return copy;
}

static uint64_t shoff_of(const uint8_t *obj)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | obj[40 + i];
	return v;
}

static void poke(uint8_t *p, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Section header field of the nyk_elf_write layout: 1 code, 2 .symtab, 3 .strtab, 4 .shstrtab. */
#define SH(obj, idx, field) ((obj) + shoff_of(obj) + (idx) * ELF_SHDR_SIZE + (field))
enum { SH_NAME = 0, SH_OFFSET = 24, SH_SIZE = 32, SH_LINK = 40, SH_ENTSIZE = 56 };

TEST(elf_malformed_headers)
{
	size_t len;
	uint8_t *o = damaged(&len);

	CHECK(o);
	CHECK(read_error(o, 3, NULL, "not an ELF object"));
	CHECK(read_error(NULL, 0, NULL, "not an ELF object"));
	CHECK(read_error(o, 40, NULL, "truncated ELF header: the file has 40 bytes, the header needs 64"));
	o[4] = 1;
	CHECK(read_error(o, len, NULL, "32-bit ELF (ELFCLASS32) is not supported"));
	o[4] = 7;
	CHECK(read_error(o, len, NULL, "unknown ELF class 7"));
	o[4] = 2;
	o[5] = 3;
	CHECK(read_error(o, len, NULL, "unknown ELF data encoding 3"));
	o[5] = 1;
	poke(o + 18, 62, 2);
	CHECK(read_error(o, len, NULL, "ELF machine is 62 (x86-64), not EM_BPF (247)"));
	poke(o + 18, 247, 2);
	poke(o + 58, 40, 2);
	CHECK(read_error(o, len, NULL, "section header size is 40, not 64"));
	poke(o + 58, 64, 2);
	CHECK(read_error(o, len - 1, NULL, "section headers extend past end of file"));
	poke(o + 62, 9, 2);
	CHECK(read_error(o, len, NULL, "section-name table index 9 is out of range (5 sections)"));
	poke(o + 62, 4, 2);
	poke(o + 40, 0, 8);
	CHECK(read_error(o, len, NULL, "object has no section headers"));
	poke(o + 40, 0x7fffffffffffffffull, 8);
	CHECK(read_error(o, len, NULL, "section headers start past end of file"));
	free(o);
}

TEST(elf_malformed_sections)
{
	size_t len;
	uint8_t *o = damaged(&len);
	char want[128];

	CHECK(o);
	poke(SH(o, 1, SH_OFFSET), 0x10000, 8);
	snprintf(want, sizeof(want), "section 1 (.text) extends past end of file (offset 0x10000, size 0x%zx",
		 SAMPLE_COUNT * 8);
	CHECK(read_error(o, len, NULL, want));
	free(o);

	o = damaged(&len);
	poke(SH(o, 1, SH_SIZE), UINT64_MAX - 8, 8);   /* offset + size wraps around */
	CHECK(read_error(o, len, NULL, "section 1 (.text) extends past end of file"));
	free(o);

	o = damaged(&len);
	poke(SH(o, 2, SH_NAME), 0x4000, 4);
	CHECK(read_error(o, len, NULL, "section 2: name offset 0x4000 is outside the section-name table"));
	free(o);

	o = damaged(&len);
	poke(SH(o, 4, SH_SIZE), 3, 8);   /* cut .shstrtab inside the first name */
	CHECK(read_error(o, len, NULL, "section 1: name at offset 0x1 of the section-name table is not NUL-terminated"));
	free(o);

	o = damaged(&len);
	poke(SH(o, 4, SH_OFFSET), len, 8);
	CHECK(read_error(o, len, NULL, "section-name table (section 4) extends past end of file"));
	free(o);

	o = damaged(&len);
	poke(SH(o, 4, 4), ELF_SHT_PROGBITS, 4);
	CHECK(read_error(o, len, NULL, "section-name table (section 4) has type 1, not SHT_STRTAB"));
	free(o);
}

TEST(elf_malformed_symbols)
{
	size_t len;
	uint8_t *o = damaged(&len);
	uint64_t symoff;

	CHECK(o);
	poke(SH(o, 2, SH_LINK), 99, 4);
	CHECK(read_error(o, len, NULL, "symbol table (section 2, .symtab) links to section 99, which does not exist"));
	poke(SH(o, 2, SH_LINK), 1, 4);
	CHECK(read_error(o, len, NULL, "links to section 1 (.text), which is not a string table"));
	poke(SH(o, 2, SH_LINK), 3, 4);
	poke(SH(o, 2, SH_ENTSIZE), 16, 8);
	CHECK(read_error(o, len, NULL, "has entry size 16, not 24"));
	poke(SH(o, 2, SH_ENTSIZE), 24, 8);
	poke(SH(o, 2, SH_SIZE), 50, 8);
	CHECK(read_error(o, len, NULL, "has size 0x32, not a multiple of 24"));
	poke(SH(o, 2, SH_SIZE), 72, 8);

	/* Symbol 2 (main): its name offset, then an unterminated .strtab. */
	symoff = 0;
	for (int i = 7; i >= 0; i--)
		symoff = symoff << 8 | SH(o, 2, SH_OFFSET)[i];
	poke(o + symoff + 2 * ELF_SYM_SIZE, 0x999, 4);
	CHECK(read_error(o, len, "main", "symbol 2 name: offset 0x999 is outside string table section 3 (.strtab)"));
	poke(o + symoff + 2 * ELF_SYM_SIZE, 1, 4);
	poke(SH(o, 3, SH_SIZE), 5, 8);   /* "\0main" without its NUL */
	CHECK(read_error(o, len, "main", "symbol 2 name: string at offset 0x1 of section 3 (.strtab) is not NUL-terminated"));
	poke(SH(o, 3, SH_SIZE), 6, 8);

	/* The function's place in its section. */
	poke(o + symoff + 2 * ELF_SYM_SIZE + 8, 4, 8);
	CHECK(read_error(o, len, "main", "function 'main' starts at offset 0x4 of section 1 (.text), not a multiple of 8"));
	poke(o + symoff + 2 * ELF_SYM_SIZE + 8, 0x1000, 8);
	CHECK(read_error(o, len, "main", "function 'main' starts at 0x1000, outside section 1 (.text)"));
	poke(o + symoff + 2 * ELF_SYM_SIZE + 8, 8, 8);
	CHECK(read_error(o, len, "main", "function 'main' (offset 0x8, size 0x38) extends past the end of section 1"));
	poke(o + symoff + 2 * ELF_SYM_SIZE + 8, 0, 8);
	poke(o + symoff + 2 * ELF_SYM_SIZE + 16, 12, 8);
	CHECK(read_error(o, len, "main", "function 'main' has size 0xc, not a multiple of 8"));
	poke(o + symoff + 2 * ELF_SYM_SIZE + 16, UINT64_MAX, 8);
	CHECK(read_error(o, len, "main", "extends past the end of section 1"));
	free(o);
}

TEST(elf_extended_section_numbering)
{
	size_t len;
	uint8_t *o = damaged(&len);
	struct nyk_insn *insns;
	size_t count;
	struct nyk_error err;

	CHECK(o);
	/* e_shnum = 0 and e_shstrndx = SHN_XINDEX: the real values live in section 0. */
	poke(o + 60, 0, 2);
	poke(o + 62, ELF_SHN_XINDEX, 2);
	poke(SH(o, 0, SH_SIZE), 5, 8);
	poke(SH(o, 0, SH_LINK), 4, 4);
	CHECK_MSG(nyk_elf_read_code(o, len, "main", &insns, &count, &err) == 0, "%s", err.message);
	CHECK(count == SAMPLE_COUNT && same_insns(insns, sample, count));
	free(insns);
	poke(SH(o, 0, SH_SIZE), 0x1000000, 8);
	CHECK(read_error(o, len, NULL, "section headers extend past end of file"));
	poke(SH(o, 0, SH_SIZE), 0, 8);
	CHECK(read_error(o, len, NULL, "object has no section headers"));
	free(o);

	/* e_shstrndx = 0: no section names; the symbols still name the function. */
	o = damaged(&len);
	poke(o + 62, 0, 2);
	CHECK_MSG(nyk_elf_read_code(o, len, "main", &insns, &count, &err) == 0, "%s", err.message);
	CHECK_EQ(count, SAMPLE_COUNT);
	free(insns);
	free(o);
}

/* Every prefix and every single-byte change of a good object must fail cleanly or succeed. */
TEST(elf_survives_truncation_and_bit_flips)
{
	size_t len;
	uint8_t *o = damaged(&len);
	struct nyk_insn *insns;
	size_t count;
	struct nyk_error err;

	CHECK(o);
	for (size_t n = 0; n < len; n++) {
		insns = NULL;
		int rc = nyk_elf_read_code(o, n, NULL, &insns, &count, &err);
		free(insns);
		CHECK_MSG(rc < 0 && err.message[0], "prefix of %zu bytes was accepted", n);
	}
	for (size_t i = 0; i < len; i++) {
		for (int bit = 0; bit < 8; bit++) {
			o[i] ^= (uint8_t)(1u << bit);
			insns = NULL;
			nyk_error_clear(&err);
			if (nyk_elf_read_code(o, len, NULL, &insns, &count, &err) < 0)
				CHECK_MSG(err.message[0], "flip of byte %zu bit %d failed without a message", i, bit);
			free(insns);
			o[i] ^= (uint8_t)(1u << bit);
		}
	}
	free(o);
	free(written);
	written = NULL;
}
