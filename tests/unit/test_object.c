/*
 * test_object.c - the object loader (nyuki/object.h) on objects built here
 * byte by byte: programs and subprograms, relocations of every kind the
 * loader reads (map loads with type 0 as old objects have them, global
 * data with addends, calls with and without relocations, gcc's addends),
 * variables, and malformed objects, which must fail with a message naming
 * the place and never crash. What compilers emit is tested by
 * tests/loader/run.sh.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "loader/elf_internal.h"
#include "loader/object_internal.h"
#include "nyuki/object.h"
#include "nyuki/progtype.h"
#include "test.h"

#define I(op, dst, src, off, imm) { (op), (uint8_t)((dst) | (src) << 4), (off), (imm) }
#define MOV(dst, imm) I(0xb7, dst, 0, 0, imm)
#define EXIT I(0x95, 0, 0, 0, 0)
#define CALL_LOCAL(imm) I(0x85, 0, 1, 0, imm)
#define CALL_HELPER(id) I(0x85, 0, 0, 0, id)
#define LDDW(dst, imm) I(0x18, dst, 0, 0, imm), I(0, 0, 0, 0, 0)
#define ADD(dst, src) I(0x0f, dst, src, 0, 0)
#define LDXW(dst, src, off) I(0x61, dst, src, off, 0)

/* ---- an object builder ------------------------------------------------------------ */

#define OB_MAX_SECS 24
#define OB_MAX_SYMS 32
#define OB_MAX_RELS 32

struct ob_sec {
	const char *name;
	uint32_t type;
	uint64_t flags, size;
	uint8_t data[512];
	uint32_t link, info;
	uint64_t entsize;
};

struct ob_rel {
	size_t sec;
	uint64_t offset;
	uint32_t sym, type;
};

struct ob {
	int be;
	uint16_t e_type;
	struct ob_sec secs[OB_MAX_SECS];   /* 0 is the null section */
	size_t nsecs;
	struct elf_symbol syms[OB_MAX_SYMS];   /* 0 is the null symbol */
	size_t nsyms;
	struct ob_rel rels[OB_MAX_RELS];
	size_t nrels;
	uint8_t out[16384];
	size_t len;
};

static void ob_init(struct ob *b, int be)
{
	memset(b, 0, sizeof(*b));
	b->be = be;
	b->e_type = ELF_ET_REL;
	b->nsecs = 1;
	b->nsyms = 1;
}

static void put(const struct ob *b, uint8_t *p, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		p[b->be ? bytes - 1 - i : i] = (uint8_t)(v >> (8 * i));
}

static size_t ob_section(struct ob *b, const char *name, uint32_t type, uint64_t flags, const void *data,
			 size_t size)
{
	struct ob_sec *s = &b->secs[b->nsecs];

	s->name = name;
	s->type = type;
	s->flags = flags;
	s->size = size;
	if (data)
		memcpy(s->data, data, size);
	return b->nsecs++;
}

/* Code in the object's byte order. */
static size_t ob_code(struct ob *b, const char *name, const struct nyk_insn *insns, size_t n)
{
	uint8_t bytes[512];

	for (size_t i = 0; i < n; i++) {
		uint8_t *p = bytes + 8 * i;
		p[0] = insns[i].opcode;
		p[1] = b->be ? (uint8_t)(insns[i].regs << 4 | insns[i].regs >> 4) : insns[i].regs;
		put(b, p + 2, (uint16_t)insns[i].off, 2);
		put(b, p + 4, (uint32_t)insns[i].imm, 4);
	}
	return ob_section(b, name, ELF_SHT_PROGBITS, ELF_SHF_ALLOC | ELF_SHF_EXECINSTR, bytes, n * 8);
}

static uint32_t ob_symbol(struct ob *b, const char *name, uint8_t bind, uint8_t type, size_t shndx, uint64_t value,
			  uint64_t size)
{
	struct elf_symbol *s = &b->syms[b->nsyms];

	s->name = name;
	s->bind = bind;
	s->type = type;
	s->shndx = (uint16_t)shndx;
	s->value = value;
	s->size = size;
	return (uint32_t)b->nsyms++;
}

static uint32_t ob_func(struct ob *b, const char *name, size_t sec, size_t insn, size_t count)
{
	return ob_symbol(b, name, ELF_STB_GLOBAL, ELF_STT_FUNC, sec, insn * 8, count * 8);
}

static void ob_reloc(struct ob *b, size_t sec, size_t insn, uint32_t sym, uint32_t type)
{
	b->rels[b->nrels].sec = sec;
	b->rels[b->nrels].offset = insn * 8;
	b->rels[b->nrels].sym = sym;
	b->rels[b->nrels++].type = type;
}

/* 32-bit words in the object's byte order. */
static void ob_words(const struct ob *b, uint8_t *p, const uint32_t *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put(b, p + 4 * i, w[i], 4);
}

/* Add .symtab, .strtab, the .rel sections and .shstrtab; lay out the file. */
static void ob_finish(struct ob *b)
{
	size_t strtab, symtab, shstrtab, pos, name_off[OB_MAX_SECS];
	uint8_t strs[1024] = { 0 }, names[1024] = { 0 }, syms[OB_MAX_SYMS * ELF_SYM_SIZE];
	size_t strs_len = 1, names_len = 1, first_global = b->nsyms;
	char relnames[OB_MAX_SECS][64];

	/* Relocation sections, one per target section. */
	for (size_t s = 1, n = b->nsecs; s < n; s++) {
		uint8_t data[OB_MAX_RELS * ELF_REL_SIZE];
		size_t k = 0;
		for (size_t r = 0; r < b->nrels; r++) {
			if (b->rels[r].sec != s)
				continue;
			put(b, data + k * 16, b->rels[r].offset, 8);
			put(b, data + k * 16 + 8, (uint64_t)b->rels[r].sym << 32 | b->rels[r].type, 8);
			k++;
		}
		if (k) {
			snprintf(relnames[s], sizeof(relnames[s]), ".rel%s", b->secs[s].name);
			size_t rs = ob_section(b, relnames[s], ELF_SHT_REL, 0, data, k * 16);
			b->secs[rs].info = (uint32_t)s;
			b->secs[rs].entsize = ELF_REL_SIZE;
		}
	}
	/* Symbols: locals first, as ELF wants (sh_info = first global). */
	for (size_t i = 1; i < b->nsyms; i++)
		if (b->syms[i].bind != ELF_STB_LOCAL && first_global == b->nsyms)
			first_global = i;
	memset(syms, 0, sizeof(syms));
	for (size_t i = 1; i < b->nsyms; i++) {
		uint8_t *p = syms + i * ELF_SYM_SIZE;
		size_t n = strlen(b->syms[i].name);
		put(b, p, b->syms[i].name[0] ? strs_len : 0, 4);
		memcpy(strs + strs_len, b->syms[i].name, n + 1);
		strs_len += b->syms[i].name[0] ? n + 1 : 0;
		p[4] = (uint8_t)(b->syms[i].bind << 4 | b->syms[i].type);
		put(b, p + 6, b->syms[i].shndx, 2);
		put(b, p + 8, b->syms[i].value, 8);
		put(b, p + 16, b->syms[i].size, 8);
	}
	strtab = ob_section(b, ".strtab", ELF_SHT_STRTAB, 0, strs, strs_len);
	symtab = ob_section(b, ".symtab", ELF_SHT_SYMTAB, 0, syms, b->nsyms * ELF_SYM_SIZE);
	b->secs[symtab].link = (uint32_t)strtab;
	b->secs[symtab].info = (uint32_t)first_global;
	b->secs[symtab].entsize = ELF_SYM_SIZE;
	for (size_t s = 1; s < b->nsecs; s++)
		if (b->secs[s].type == ELF_SHT_REL)
			b->secs[s].link = (uint32_t)symtab;
	shstrtab = ob_section(b, ".shstrtab", ELF_SHT_STRTAB, 0, NULL, 0);
	for (size_t s = 1; s < b->nsecs; s++) {
		size_t n = strlen(b->secs[s].name);
		name_off[s] = names_len;
		memcpy(names + names_len, b->secs[s].name, n + 1);
		names_len += n + 1;
	}
	memcpy(b->secs[shstrtab].data, names, names_len);
	b->secs[shstrtab].size = names_len;

	/* Layout: header, section data, section headers. */
	memset(b->out, 0, sizeof(b->out));
	pos = ELF_EHDR_SIZE;
	uint64_t offs[OB_MAX_SECS] = { 0 };
	for (size_t s = 1; s < b->nsecs; s++) {
		pos = (pos + 7) & ~(size_t)7;
		offs[s] = pos;
		if (b->secs[s].type != ELF_SHT_NOBITS) {
			memcpy(b->out + pos, b->secs[s].data, (size_t)b->secs[s].size);
			pos += (size_t)b->secs[s].size;
		}
	}
	pos = (pos + 7) & ~(size_t)7;
	memcpy(b->out, "\177ELF", 4);
	b->out[4] = ELF_CLASS64;
	b->out[5] = b->be ? ELF_DATA_MSB : ELF_DATA_LSB;
	b->out[6] = 1;
	put(b, b->out + 16, b->e_type, 2);
	put(b, b->out + 18, ELF_EM_BPF, 2);
	put(b, b->out + 20, 1, 4);
	put(b, b->out + 40, pos, 8);
	put(b, b->out + 52, ELF_EHDR_SIZE, 2);
	put(b, b->out + 58, ELF_SHDR_SIZE, 2);
	put(b, b->out + 60, b->nsecs, 2);
	put(b, b->out + 62, shstrtab, 2);
	for (size_t s = 1; s < b->nsecs; s++) {
		uint8_t *h = b->out + pos + s * ELF_SHDR_SIZE;
		put(b, h, name_off[s], 4);
		put(b, h + 4, b->secs[s].type, 4);
		put(b, h + 8, b->secs[s].flags, 8);
		put(b, h + 24, offs[s], 8);
		put(b, h + 32, b->secs[s].size, 8);
		put(b, h + 40, b->secs[s].link, 4);
		put(b, h + 44, b->secs[s].info, 4);
		put(b, h + 48, 8, 8);
		put(b, h + 56, b->secs[s].entsize, 8);
	}
	b->len = pos + b->nsecs * ELF_SHDR_SIZE;
}

static int ob_open(struct ob *b, const struct nyk_object_opts *opts, struct nyk_object **obj, struct nyk_error *err)
{
	ob_finish(b);
	nyk_error_clear(err);
	return nyk_object_open_mem(b->out, b->len, "test.o", opts, obj, err);
}

/* Open and load; on failure the error is in err and *obj is NULL. */
static int ob_load(struct ob *b, struct nyk_object **obj, struct nyk_error *err)
{
	int rc = ob_open(b, NULL, obj, err);

	if (rc)
		return rc;
	rc = nyk_object_load(*obj, err);
	if (rc) {
		nyk_object_close(*obj);
		*obj = NULL;
	}
	return rc;
}

static int has(const struct nyk_error *err, const char *text)
{
	return strstr(err->message, text) != NULL;
}

static const char license[] = "GPL";

/* ---- programs --------------------------------------------------------------------- */

TEST(object_one_program_per_function_both_byte_orders)
{
	static const struct nyk_insn code[] = { MOV(0, 1), EXIT, MOV(0, -2), EXIT };

	for (int be = 0; be < 2; be++) {
		struct ob b;
		struct nyk_object *obj;
		struct nyk_error err;
		struct nyk_program *p;
		const struct nyk_insn *in;
		size_t n;

		ob_init(&b, be);
		size_t xdp = ob_code(&b, "xdp", code, 4);
		ob_section(&b, "license", ELF_SHT_PROGBITS, ELF_SHF_ALLOC | ELF_SHF_WRITE, license, sizeof(license));
		ob_func(&b, "first", xdp, 0, 2);
		ob_func(&b, "second", xdp, 2, 2);
		CHECK_MSG(ob_open(&b, NULL, &obj, &err) == 0, "%s", err.message);
		CHECK_EQ(nyk_object_program_count(obj), 2);
		CHECK_STR(nyk_object_license(obj), "GPL");
		p = nyk_object_program(obj, 1);
		CHECK_STR(nyk_program_name(p), "second");
		CHECK_STR(nyk_program_section(p), "xdp");
		CHECK(nyk_program_type(p) == nyk_progtype_by_name("xdp"));
		in = nyk_program_insns(p, &n);
		CHECK_EQ(n, 2);
		CHECK_EQ(in[0].imm, -2);
		CHECK_EQ(nyk_insn_dst(&in[0]), 0);
		CHECK(nyk_object_find_program(obj, "first") == nyk_object_program(obj, 0));
		CHECK(nyk_object_find_program(obj, "xdp") == NULL);   /* two programs there */
		CHECK_EQ(nyk_program_runnable(p, &err), -EINVAL);
		CHECK_MSG(nyk_object_load(obj, &err) == 0, "%s", err.message);
		CHECK_EQ(nyk_program_runnable(p, &err), 0);
		CHECK_EQ(nyk_object_load(obj, &err), -EALREADY);
		nyk_object_close(obj);
	}
}

TEST(object_section_without_symbols_is_one_program)
{
	static const struct nyk_insn code[] = { MOV(1, 5), CALL_LOCAL(1), EXIT, MOV(0, 0), ADD(0, 1), EXIT };
	struct ob b;
	struct nyk_object *obj;
	struct nyk_error err;
	struct nyk_program *p;

	ob_init(&b, 0);
	ob_code(&b, "socket", code, 6);
	CHECK_MSG(ob_load(&b, &obj, &err) == 0, "%s", err.message);
	CHECK_EQ(nyk_object_program_count(obj), 1);
	p = nyk_object_find_program(obj, "socket");
	CHECK(p != NULL);
	CHECK_STR(nyk_program_name(p), "socket");
	CHECK_STR(nyk_progtype_name(nyk_program_type(p)), "socket_filter");
	/* The call stays inside the program: nothing appended. */
	size_t n;
	const struct nyk_insn *in = nyk_program_insns(p, &n);
	CHECK_EQ(n, 6);
	CHECK_EQ(in[1].imm, 1);
	nyk_object_close(obj);
}

TEST(object_text_alone_is_the_program_and_needs_a_type)
{
	static const struct nyk_insn code[] = { MOV(0, 3), EXIT };
	struct ob b;
	struct nyk_object *obj;
	struct nyk_error err;
	struct nyk_object_opts opts = { .size = sizeof(opts), .default_type = "xdp" };

	ob_init(&b, 0);
	size_t text = ob_code(&b, ".text", code, 2);
	ob_func(&b, "entry", text, 0, 2);
	CHECK_MSG(ob_open(&b, NULL, &obj, &err) == 0, "%s", err.message);
	CHECK_EQ(nyk_object_program_count(obj), 1);
	CHECK(nyk_program_type(nyk_object_program(obj, 0)) == NULL);
	CHECK_MSG(nyk_object_load(obj, &err) == 0, "%s", err.message);
	CHECK_EQ(nyk_program_runnable(nyk_object_program(obj, 0), &err), -ENOENT);
	CHECK(has(&err, "program 'entry' in section '.text' has no known type; give one (type TYPE)"));
	CHECK_EQ(nyk_program_set_type(nyk_object_program(obj, 0), "nonsense", &err), -ENOENT);
	CHECK_EQ(nyk_program_set_type(nyk_object_program(obj, 0), "socket_filter", &err), 0);
	CHECK_EQ(nyk_program_runnable(nyk_object_program(obj, 0), &err), 0);
	nyk_object_close(obj);

	CHECK_MSG(nyk_object_open_mem(b.out, b.len, "t.o", &opts, &obj, &err) == 0, "%s", err.message);
	CHECK_STR(nyk_progtype_name(nyk_program_type(nyk_object_program(obj, 0))), "xdp");
	nyk_object_close(obj);

	opts.default_type = "no_such_type";
	CHECK(nyk_object_open_mem(b.out, b.len, "t.o", &opts, &obj, &err) == -ENOENT);
	CHECK(has(&err, "unknown program type 'no_such_type'"));
}

/* ---- linking ----------------------------------------------------------------------- */

/*
 * xdp: main calls .text's `twice` (relocation against the function symbol,
 * imm -1) and `square` (against the section symbol, imm = target/8 - 1),
 * `twice` calls `square` without relocation. Each function lands once.
 */
TEST(object_links_subprograms_once_each)
{
	static const struct nyk_insn main_code[] = {
		MOV(1, 3), CALL_LOCAL(-1), I(0xbf, 6, 0, 0, 0), MOV(1, 2), CALL_LOCAL(-1), ADD(0, 6), EXIT,
	};
	static const struct nyk_insn text[] = {
		/* square: */ I(0xbf, 0, 1, 0, 0), I(0x2f, 0, 1, 0, 0), EXIT,
		/* twice:  */ CALL_LOCAL(-4), I(0x27, 0, 0, 0, 2), EXIT,
	};
	struct ob b;
	struct nyk_object *obj;
	struct nyk_error err;
	const struct nyk_insn *in;
	size_t n;

	ob_init(&b, 0);
	size_t ts = ob_code(&b, ".text", text, 6);
	size_t xs = ob_code(&b, "xdp", main_code, 7);
	uint32_t tsym = ob_symbol(&b, "", ELF_STB_LOCAL, ELF_STT_SECTION, ts, 0, 0);
	ob_symbol(&b, "square", ELF_STB_LOCAL, ELF_STT_FUNC, ts, 0, 24);
	uint32_t twice = ob_func(&b, "twice", ts, 3, 3);
	ob_func(&b, "main", xs, 0, 7);
	ob_reloc(&b, xs, 1, twice, R_BPF_64_32);
	ob_reloc(&b, xs, 4, tsym, R_BPF_64_32);
	CHECK_MSG(ob_load(&b, &obj, &err) == 0, "%s", err.message);
	CHECK_EQ(nyk_object_program_count(obj), 1);
	struct nyk_program *p = nyk_object_program(obj, 0);
	in = nyk_program_insns(p, &n);
	CHECK_EQ(n, 13);
	CHECK_STR(nyk_program_func_name(p, 0), "main");
	CHECK_STR(nyk_program_func_name(p, 7), "twice");
	CHECK_STR(nyk_program_func_name(p, 10), "square");
	CHECK(nyk_program_func_name(p, 8) == NULL);
	CHECK_EQ(1 + in[1].imm + 1, 7);    /* main -> twice */
	CHECK_EQ(4 + in[4].imm + 1, 10);   /* main -> square */
	CHECK_EQ(7 + in[7].imm + 1, 10);   /* twice -> square, the same copy */
	nyk_object_close(obj);
}

/* gcc 12 writes S - 1 (bytes) into calls of function symbols. */
TEST(object_reads_gcc_call_addends)
{
	static const struct nyk_insn main_code[] = { MOV(1, 3), CALL_LOCAL(31), EXIT };
	static const struct nyk_insn text[] = { MOV(0, 1), EXIT, MOV(0, 2), EXIT, I(0xbf, 0, 1, 0, 0), EXIT };
	struct ob b;
	struct nyk_object *obj;
	struct nyk_error err;
	size_t n;

	ob_init(&b, 0);
	size_t ts = ob_code(&b, ".text", text, 6);
	size_t xs = ob_code(&b, "xdp", main_code, 3);
	ob_func(&b, "a", ts, 0, 2);
	ob_func(&b, "b", ts, 2, 2);
	uint32_t c = ob_func(&b, "c", ts, 4, 2);
	ob_func(&b, "main", xs, 0, 3);
	ob_reloc(&b, xs, 1, c, R_BPF_64_32);
	CHECK_MSG(ob_load(&b, &obj, &err) == 0, "%s", err.message);
	struct nyk_program *p = nyk_object_find_program(obj, "main");
	nyk_program_insns(p, &n);
	CHECK_EQ(n, 5);
	CHECK_STR(nyk_program_func_name(p, 3), "c");
	nyk_object_close(obj);
}

TEST(object_undefined_function_is_named)
{
	static const struct nyk_insn code[] = { MOV(1, 0), MOV(2, 0), MOV(3, 8), CALL_LOCAL(-1), EXIT };
	struct ob b;
	struct nyk_object *obj;
	struct nyk_error err;

	ob_init(&b, 0);
	size_t xs = ob_code(&b, "xdp", code, 5);
	ob_func(&b, "copier", xs, 0, 5);
	uint32_t mc = ob_symbol(&b, "memcpy", ELF_STB_GLOBAL, ELF_STT_NOTYPE, 0, 0, 0);
	ob_reloc(&b, xs, 3, mc, R_BPF_64_32);
	CHECK_EQ(ob_load(&b, &obj, &err), -ENOENT);
	CHECK_STR(err.file, "test.o");
	CHECK_EQ(err.insn, 3);
	CHECK_MSG(has(&err, "program 'copier' in section 'xdp': calls undefined function 'memcpy' (insn 3); "
			"BPF has no libc: use __builtin_memcpy with a constant size"), "%s", err.message);
}

/* ---- maps and data ------------------------------------------------------------------- */

/* Legacy maps: map loads with relocation type 0 (old objects) and 1. */
TEST(object_legacy_maps_and_relocation_type_0)
{
	static const struct nyk_insn code[] = { LDDW(1, 0), LDDW(2, 0), MOV(0, 0), EXIT };
	uint32_t defs[10] = { NYK_MAP_ARRAY, 4, 8, 2, 0, NYK_MAP_HASH, 8, 16, 32, NYK_F_NO_PREALLOC };
	struct ob b;
	struct nyk_object *obj;
	struct nyk_error err;
	const struct nyk_insn *in;

	for (int be = 0; be < 2; be++) {
		ob_init(&b, be);
		size_t xs = ob_code(&b, "xdp", code, 6);
		size_t ms = ob_section(&b, "maps", ELF_SHT_PROGBITS, ELF_SHF_ALLOC | ELF_SHF_WRITE, NULL, 40);
		ob_words(&b, b.secs[ms].data, defs, 10);
		ob_func(&b, "prog", xs, 0, 6);
		uint32_t m0 = ob_symbol(&b, "first", ELF_STB_GLOBAL, ELF_STT_OBJECT, ms, 0, 20);
		uint32_t m1 = ob_symbol(&b, "second", ELF_STB_GLOBAL, ELF_STT_OBJECT, ms, 20, 20);
		ob_reloc(&b, xs, 0, m1, R_BPF_NONE);
		ob_reloc(&b, xs, 2, m0, R_BPF_64_64);
		CHECK_MSG(ob_load(&b, &obj, &err) == 0, "%s", err.message);
		CHECK_EQ(nyk_object_map_count(obj), 2);
		CHECK_STR(nyk_object_map_name(obj, 1), "second");
		CHECK_EQ(nyk_object_map_def(obj, 1)->key_size, 8);
		CHECK_EQ(nyk_object_map_def(obj, 1)->map_flags, NYK_F_NO_PREALLOC);
		CHECK(nyk_object_find_map(obj, "first") == nyk_object_map(obj, 0));
		CHECK(nyk_object_map(obj, 0) != NULL);
		in = nyk_program_insns(nyk_object_program(obj, 0), NULL);
		CHECK_EQ(nyk_insn_src(&in[0]), NYK_PSEUDO_MAP_IDX);
		CHECK_EQ(in[0].imm, 1);
		CHECK_EQ(nyk_insn_dst(&in[0]), 1);
		CHECK_EQ(nyk_insn_src(&in[2]), NYK_PSEUDO_MAP_IDX);
		CHECK_EQ(in[2].imm, 0);
		nyk_object_close(obj);
	}
}

/*
 * .data through a section symbol with the offset in imm (clang's static
 * variables), .rodata through a variable's symbol, .bss, .rodata.str1.1.
 */
TEST(object_global_data_relocations_and_vars)
{
	static const struct nyk_insn code[] = {
		LDDW(1, 4), LDXW(0, 1, 0), LDDW(2, 0), LDXW(3, 2, 0), ADD(0, 3), LDDW(4, 0), LDDW(5, 2), EXIT,
	};
	static const uint8_t data[8] = { 1, 0, 0, 0, 40, 0, 0, 0 };
	static const uint8_t rodata[4] = { 2, 0, 0, 0 };
	struct ob b;
	struct nyk_object *obj;
	struct nyk_error err;
	const struct nyk_insn *in;
	uint32_t v = 0;
	struct nyk_var_info vi;

	ob_init(&b, 0);
	size_t xs = ob_code(&b, "xdp", code, 12);
	size_t ds = ob_section(&b, ".data", ELF_SHT_PROGBITS, ELF_SHF_ALLOC | ELF_SHF_WRITE, data, 8);
	size_t rs = ob_section(&b, ".rodata", ELF_SHT_PROGBITS, ELF_SHF_ALLOC, rodata, 4);
	size_t bs = ob_section(&b, ".bss", ELF_SHT_NOBITS, ELF_SHF_ALLOC | ELF_SHF_WRITE, NULL, 16);
	size_t ss = ob_section(&b, ".rodata.str1.1", ELF_SHT_PROGBITS, ELF_SHF_ALLOC, "hi\0yo", 6);
	ob_func(&b, "prog", xs, 0, 12);
	uint32_t dsec = ob_symbol(&b, "", ELF_STB_LOCAL, ELF_STT_SECTION, ds, 0, 0);
	uint32_t ssec = ob_symbol(&b, "", ELF_STB_LOCAL, ELF_STT_SECTION, ss, 0, 0);
	ob_symbol(&b, "counter", ELF_STB_LOCAL, ELF_STT_OBJECT, ds, 4, 4);
	uint32_t limit = ob_symbol(&b, "limit", ELF_STB_GLOBAL, ELF_STT_OBJECT, rs, 0, 4);
	uint32_t hits = ob_symbol(&b, "hits", ELF_STB_GLOBAL, ELF_STT_OBJECT, bs, 8, 8);
	ob_reloc(&b, xs, 0, dsec, R_BPF_64_64);
	ob_reloc(&b, xs, 3, limit, R_BPF_64_64);
	ob_reloc(&b, xs, 7, hits, R_BPF_64_64);
	ob_reloc(&b, xs, 9, ssec, R_BPF_64_64);
	CHECK_MSG(ob_open(&b, NULL, &obj, &err) == 0, "%s", err.message);
	CHECK_EQ(nyk_object_map_count(obj), 4);
	CHECK_STR(nyk_object_map_name(obj, 0), ".data");
	CHECK_STR(nyk_object_map_name(obj, 3), ".rodata.str1.1");
	CHECK_EQ(nyk_object_map_def(obj, 1)->map_flags, NYK_F_RDONLY_PROG);
	CHECK_EQ(nyk_object_map_def(obj, 2)->value_size, 16);
	CHECK_EQ(nyk_object_var_count(obj), 3);
	CHECK_EQ(nyk_object_find_var(obj, "counter", &vi), 0);
	CHECK_EQ(vi.offset, 4);
	CHECK_STR(vi.section, ".data");
	/* Before load: the image. */
	CHECK_EQ(nyk_object_get_var(obj, "counter", &v, 4, &err), 0);
	CHECK_EQ(v, 40);
	v = 7;
	CHECK_EQ(nyk_object_set_var(obj, "limit", &v, 4, &err), 0);
	CHECK_EQ(nyk_object_set_var(obj, "limit", &v, 2, &err), -EINVAL);
	CHECK(has(&err, "variable 'limit' is 4 bytes, not 2"));
	CHECK_EQ(nyk_object_set_var(obj, "nothing", &v, 4, &err), -ENOENT);
	CHECK(has(&err, "no global variable 'nothing'"));
	CHECK_MSG(nyk_object_load(obj, &err) == 0, "%s", err.message);

	in = nyk_program_insns(nyk_object_program(obj, 0), NULL);
	CHECK_EQ(nyk_insn_src(&in[0]), NYK_PSEUDO_MAP_IDX_VALUE);
	CHECK_EQ(in[0].imm, 0);
	CHECK_EQ(in[1].imm, 4);
	CHECK_EQ(nyk_insn_src(&in[3]), NYK_PSEUDO_MAP_IDX_VALUE);
	CHECK_EQ(in[3].imm, 1);
	CHECK_EQ(in[4].imm, 0);
	CHECK_EQ(in[7].imm, 2);
	CHECK_EQ(in[8].imm, 8);
	CHECK_EQ(in[9].imm, 3);
	CHECK_EQ(in[10].imm, 2);

	/* After load: the map's value; .rodata is frozen. */
	CHECK_EQ(nyk_object_get_var(obj, "limit", &v, 4, &err), 0);
	CHECK_EQ(v, 7);
	v = 9;
	CHECK_EQ(nyk_object_set_var(obj, "limit", &v, 4, &err), -EPERM);
	CHECK(has(&err, "frozen after load"));
	CHECK_EQ(nyk_object_set_var(obj, "counter", &v, 4, &err), 0);
	uint32_t zero = 0;
	uint8_t *val = nyk_map_lookup_elem_ptr(nyk_object_map(obj, 0), &zero, 0);
	CHECK(val != NULL);
	CHECK_EQ(val[4], 9);
	CHECK_EQ(val[0], 1);
	nyk_object_close(obj);
}

TEST(object_function_address_becomes_pseudo_func)
{
	static const struct nyk_insn code[] = { LDDW(2, 16), MOV(0, 0), EXIT };
	static const struct nyk_insn text[] = { MOV(0, 1), EXIT, MOV(0, 2), EXIT };
	struct ob b;
	struct nyk_object *obj;
	struct nyk_error err;
	const struct nyk_insn *in;

	ob_init(&b, 0);
	size_t ts = ob_code(&b, ".text", text, 4);
	size_t xs = ob_code(&b, "xdp", code, 4);
	uint32_t tsym = ob_symbol(&b, "", ELF_STB_LOCAL, ELF_STT_SECTION, ts, 0, 0);
	ob_symbol(&b, "cb_a", ELF_STB_LOCAL, ELF_STT_FUNC, ts, 0, 16);
	ob_symbol(&b, "cb_b", ELF_STB_LOCAL, ELF_STT_FUNC, ts, 16, 16);
	ob_func(&b, "prog", xs, 0, 4);
	ob_reloc(&b, xs, 0, tsym, R_BPF_64_64);
	CHECK_MSG(ob_load(&b, &obj, &err) == 0, "%s", err.message);
	struct nyk_program *p = nyk_object_program(obj, 0);
	in = nyk_program_insns(p, NULL);
	CHECK_EQ(nyk_insn_src(&in[0]), NYK_PSEUDO_FUNC);
	CHECK_STR(nyk_program_func_name(p, (size_t)(0 + in[0].imm + 1)), "cb_b");
	nyk_object_close(obj);
}

/* ---- bad input -------------------------------------------------------------------- */

/* An object whose one problem is made by `damage`; the open or load must fail saying `want`. */
static int fails_with(void (*damage)(struct ob *b), const char *want, struct nyk_error *err)
{
	static const struct nyk_insn code[] = { LDDW(1, 0), MOV(0, 0), EXIT };
	struct ob b;
	struct nyk_object *obj = NULL;
	int rc;

	ob_init(&b, 0);
	size_t xs = ob_code(&b, "xdp", code, 4);
	size_t ds = ob_section(&b, ".data", ELF_SHT_PROGBITS, ELF_SHF_ALLOC | ELF_SHF_WRITE, "abcdefgh", 8);
	ob_func(&b, "prog", xs, 0, 4);
	uint32_t v = ob_symbol(&b, "var", ELF_STB_GLOBAL, ELF_STT_OBJECT, ds, 0, 4);
	ob_reloc(&b, xs, 0, v, R_BPF_64_64);
	damage(&b);
	rc = ob_load(&b, &obj, err);
	if (rc == 0) {
		nyk_object_close(obj);
		return 0;
	}
	return err->code < 0 && err->message[0] && strstr(err->message, want) != NULL;
}

static void reloc_past_section(struct ob *b) { b->rels[0].offset = 4096; }
static void reloc_unaligned(struct ob *b) { b->rels[0].offset = 3; }
static void reloc_bad_symbol(struct ob *b) { b->rels[0].sym = 99; }
static void reloc_on_mov(struct ob *b) { b->rels[0].offset = 16; }
static void reloc_odd_type(struct ob *b) { b->rels[0].type = 7; }
static void data_offset_past_end(struct ob *b) { b->secs[1].data[4] = 0x40; }   /* imm of the lddw */
static void func_unaligned(struct ob *b) { b->syms[1].value = 4; }
static void func_past_end(struct ob *b) { b->syms[1].size = 800; }
static void code_odd_size(struct ob *b) { b->secs[1].size = 30; }
static void common_symbol(struct ob *b) { b->syms[2].shndx = ELF_SHN_COMMON; }
static void executable_type(struct ob *b) { b->e_type = 2; }
static void huge_bss(struct ob *b)
{
	ob_section(b, ".bss", ELF_SHT_NOBITS, ELF_SHF_ALLOC | ELF_SHF_WRITE, NULL, 1ull << 40);
}
static void unknown_helper(struct ob *b)
{
	b->secs[1].data[16] = 0x85;
	put(b, b->secs[1].data + 20, 1000000, 4);
}
static void bad_instruction(struct ob *b) { b->secs[1].data[16] = 0xff; }
static void small_legacy_map(struct ob *b)
{
	size_t ms = ob_section(b, "maps", ELF_SHT_PROGBITS, ELF_SHF_ALLOC, NULL, 12);
	ob_symbol(b, "tiny", ELF_STB_GLOBAL, ELF_STT_OBJECT, ms, 0, 12);
}
static void maps_without_btf(struct ob *b)
{
	ob_section(b, ".maps", ELF_SHT_PROGBITS, ELF_SHF_ALLOC, NULL, 32);
}
static void lddw_cut(struct ob *b)
{
	b->syms[1].size = 8;   /* the function ends after the lddw's first slot */
}

TEST(object_malformed_inputs_fail_clearly)
{
	static const struct {
		void (*damage)(struct ob *b);
		const char *want;
	} cases[] = {
		{ reloc_past_section, "not at an instruction of the section" },
		{ reloc_unaligned, "not at an instruction of the section" },
		{ reloc_bad_symbol, "names symbol 99, which does not exist" },
		{ reloc_on_mov, "neither lddw nor call" },
		{ reloc_odd_type, "relocation type 7 against 'var'" },
		{ data_offset_past_end, "past the end of section '.data'" },
		{ func_unaligned, "function 'prog' (offset 0x4" },
		{ func_past_end, "extends past the end of the section" },
		{ code_odd_size, "not a multiple of 8" },
		{ common_symbol, "'var' is a common symbol" },
		{ executable_type, "not a relocatable object" },
		{ huge_bss, "more than nyuki maps hold" },
		{ unknown_helper, "calls unknown helper 1000000" },
		{ bad_instruction, "program 'prog' in section 'xdp'" },
		{ small_legacy_map, "map 'tiny': a definition of 12 bytes is too small" },
		{ maps_without_btf, "need BTF" },
		{ lddw_cut, "lddw without its second slot" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct nyk_error err;
		nyk_error_clear(&err);
		CHECK_MSG(fails_with(cases[i].damage, cases[i].want, &err), "case %zu: want \"%s\", got \"%s\"", i,
			  cases[i].want, err.message);
		CHECK_MSG(strcmp(err.file, "test.o") == 0, "case %zu: file '%s'", i, err.file);
	}
}

TEST(object_validation_error_names_program_and_instruction)
{
	struct nyk_error err;

	nyk_error_clear(&err);
	CHECK(fails_with(bad_instruction, "program 'prog' in section 'xdp'", &err));
	CHECK_EQ(err.insn, 2);
}

TEST(object_truncations_never_crash)
{
	static const struct nyk_insn code[] = { LDDW(1, 0), MOV(0, 0), EXIT };
	struct ob b;
	struct nyk_object *obj;
	struct nyk_error err;

	ob_init(&b, 0);
	size_t xs = ob_code(&b, "xdp", code, 4);
	size_t ds = ob_section(&b, ".data", ELF_SHT_PROGBITS, ELF_SHF_ALLOC | ELF_SHF_WRITE, "abcdefgh", 8);
	ob_func(&b, "prog", xs, 0, 4);
	uint32_t v = ob_symbol(&b, "var", ELF_STB_GLOBAL, ELF_STT_OBJECT, ds, 0, 4);
	ob_reloc(&b, xs, 0, v, R_BPF_64_64);
	ob_finish(&b);
	for (size_t len = 0; len < b.len; len += 7) {
		nyk_error_clear(&err);
		if (nyk_object_open_mem(b.out, len, "cut.o", NULL, &obj, &err) == 0) {
			nyk_object_load(obj, &err);
			nyk_object_close(obj);
			continue;
		}
		CHECK_MSG(err.code < 0 && err.message[0], "length %zu: no message", len);
	}
	/* Every byte flipped, one at a time. */
	for (size_t i = 0; i < b.len; i++) {
		uint8_t copy[sizeof(b.out)];
		memcpy(copy, b.out, b.len);
		copy[i] ^= 0xa5;
		nyk_error_clear(&err);
		if (nyk_object_open_mem(copy, b.len, "flip.o", NULL, &obj, &err) == 0) {
			nyk_object_load(obj, &err);
			nyk_object_close(obj);
		}
	}
}

TEST(object_options_are_checked)
{
	struct nyk_object_opts opts = { .size = 4 };
	struct nyk_object *obj;
	struct nyk_error err;
	struct ob b;
	static const struct nyk_insn code[] = { MOV(0, 0), EXIT };

	ob_init(&b, 0);
	ob_code(&b, "xdp", code, 2);
	ob_finish(&b);
	nyk_error_clear(&err);
	CHECK_EQ(nyk_object_open_mem(b.out, b.len, "o.o", &opts, &obj, &err), -EINVAL);
	CHECK(has(&err, "too small"));
	CHECK_EQ(nyk_object_open("/nonexistent/x.o", NULL, &obj, &err), -ENOENT);
	CHECK_STR(err.file, "/nonexistent/x.o");
}

/* ---- gzip (for /proc/config.gz) ------------------------------------------------------- */

TEST(object_gunzip_reads_stored_fixed_and_dynamic_blocks)
{
	/* gzip -9 of "CONFIG_HZ=250\nCONFIG_HZ=250\nCONFIG_BPF=y\n": fixed Huffman codes, a back-reference. */
	static const uint8_t fixed[] = {
		0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x73, 0xf6, 0xf7, 0x73, 0xf3, 0x74,
		0x8f, 0xf7, 0x88, 0xb2, 0x35, 0x32, 0x35, 0xe0, 0x72, 0xc6, 0xc6, 0x73, 0x0a, 0x70, 0xb3, 0xad,
		0xe4, 0x02, 0x00, 0x2c, 0x7a, 0x7f, 0x27, 0x29, 0x00, 0x00, 0x00,
	};
	/* gzip -9 of "CONFIG_OPTION_%d=%s\n" for 0..59 (y, or m for multiples of 3): dynamic codes. */
	static const uint8_t dynamic[] = {
		0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x6d, 0xd2, 0x3d, 0x0a, 0xc2, 0x60,
		0x10, 0x06, 0xe1, 0xde, 0xd3, 0xe4, 0xdb, 0x9f, 0xc4, 0x14, 0x56, 0x82, 0x62, 0x63, 0x2c, 0xec,
		0x3d, 0x81, 0x07, 0xf0, 0xf6, 0x62, 0xa9, 0x8f, 0xed, 0xb2, 0x2f, 0x0c, 0xc3, 0x1c, 0xb7, 0xeb,
		0xe9, 0x72, 0x7e, 0x6c, 0xb7, 0xfb, 0x65, 0xbb, 0x3e, 0xa6, 0xc3, 0x73, 0x77, 0xfc, 0xba, 0x8c,
		0xc3, 0xeb, 0xe7, 0x12, 0x5c, 0x92, 0x55, 0xf1, 0xd3, 0x5c, 0x66, 0x56, 0x0b, 0x3f, 0x7b, 0x2e,
		0xab, 0x84, 0x13, 0x4f, 0x43, 0xea, 0x11, 0x0e, 0xd3, 0x2f, 0xc1, 0x47, 0x3b, 0x9c, 0xfd, 0x92,
		0x7d, 0xec, 0x1d, 0xae, 0xda, 0x94, 0x3e, 0x06, 0xc3, 0x50, 0x7a, 0x48, 0x1f, 0xe5, 0x50, 0xef,
		0x21, 0x7d, 0x2c, 0x0e, 0x55, 0x1f, 0xd2, 0xa7, 0xc1, 0xa4, 0xee, 0xf3, 0x4f, 0x32, 0x36, 0x93,
		0xba, 0x4f, 0xe9, 0xd3, 0x6c, 0x52, 0xf7, 0x29, 0x7d, 0x5a, 0x4e, 0xe9, 0xbe, 0xa4, 0x2f, 0xcb,
		0x29, 0xdd, 0x97, 0xf4, 0x65, 0x39, 0xa5, 0xfb, 0x92, 0xbe, 0x2c, 0xa7, 0x74, 0xdf, 0xd2, 0xb7,
		0xe5, 0xb4, 0xee, 0x5b, 0xfa, 0xb6, 0x9c, 0xd6, 0x7d, 0x4b, 0xdf, 0x96, 0xd3, 0xba, 0xef, 0x0f,
		0xfd, 0x1b, 0x90, 0x5d, 0xd9, 0x02, 0x6a, 0x04, 0x00, 0x00,
	};
	/* gzip -0 of "ab": a stored block. */
	static const uint8_t stored[] = {
		0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x03, 0x01, 0x02, 0x00, 0xfd, 0xff, 0x61,
		0x62, 0x6d, 0x48, 0x83, 0x9e, 0x02, 0x00, 0x00, 0x00,
	};
	uint8_t *out;
	size_t n;

	CHECK_EQ(obj_gunzip(fixed, sizeof(fixed), 1 << 20, &out, &n), 0);
	CHECK_EQ(n, 41);
	CHECK(memcmp(out, "CONFIG_HZ=250\nCONFIG_HZ=250\nCONFIG_BPF=y\n", 41) == 0);
	free(out);
	CHECK_EQ(obj_gunzip(dynamic, sizeof(dynamic), 1 << 20, &out, &n), 0);
	CHECK_EQ(n, 1130);
	CHECK(memcmp(out, "CONFIG_OPTION_0=m\nCONFIG_OPTION_1=y\n", 36) == 0);
	CHECK(memcmp(out + n - 19, "CONFIG_OPTION_59=y\n", 19) == 0);
	free(out);
	CHECK_EQ(obj_gunzip(stored, sizeof(stored), 1 << 20, &out, &n), 0);
	CHECK_EQ(n, 2);
	CHECK(memcmp(out, "ab", 2) == 0);
	free(out);
	CHECK_EQ(obj_gunzip(dynamic, sizeof(dynamic), 100, &out, &n), -E2BIG);
	CHECK_EQ(obj_gunzip(dynamic, 40, 1 << 20, &out, &n), -EINVAL);
	for (size_t i = 10; i < sizeof(dynamic); i++) {
		uint8_t copy[sizeof(dynamic)];
		memcpy(copy, dynamic, sizeof(dynamic));
		copy[i] ^= 0x5a;
		if (obj_gunzip(copy, sizeof(copy), 1 << 16, &out, &n) == 0)
			free(out);
	}
}
