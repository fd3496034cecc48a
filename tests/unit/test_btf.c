/*
 * test_btf.c - BTF, BTF.ext and CO-RE on BTF built by hand: well-formed
 * blobs in both byte orders, broken ones (each must fail with a message
 * saying why), the raw and C dumps, and relocations with known answers.
 * Objects from clang are tested by tests/btf/run.sh.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "nyuki/btf.h"
#include "test.h"

/* ---- a BTF builder ----------------------------------------------------- */

struct bb {
	uint32_t words[4096];
	size_t nw;
	char strs[4096];
	size_t ns;
	uint32_t ntypes;
};

static void bb_init(struct bb *b)
{
	memset(b, 0, sizeof(*b));
	b->ns = 1;   /* "" at offset 0 */
}

static uint32_t bb_str(struct bb *b, const char *s)
{
	size_t n = strlen(s) + 1;
	uint32_t off = (uint32_t)b->ns;
	if (!*s)
		return 0;
	memcpy(b->strs + b->ns, s, n);
	b->ns += n;
	return off;
}

static void bb_word(struct bb *b, uint32_t w) { b->words[b->nw++] = w; }

/* Start a type; returns its id. */
static uint32_t bb_type(struct bb *b, unsigned kind, const char *name, unsigned vlen, unsigned kflag,
			uint32_t size_type)
{
	bb_word(b, bb_str(b, name));
	bb_word(b, (uint32_t)kflag << 31 | (uint32_t)kind << 24 | vlen);
	bb_word(b, size_type);
	return ++b->ntypes;
}

static uint32_t bb_int(struct bb *b, const char *name, uint32_t size, unsigned bits, unsigned enc)
{
	uint32_t id = bb_type(b, NYK_BTF_INT, name, 0, 0, size);
	bb_word(b, enc << 24 | bits);
	return id;
}

static void bb_member(struct bb *b, const char *name, uint32_t type, uint32_t off)
{
	bb_word(b, bb_str(b, name));
	bb_word(b, type);
	bb_word(b, off);
}

static uint32_t put32(uint8_t *p, uint32_t v, int be)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(be ? v >> (24 - 8 * i) : v >> (8 * i));
	return v;
}

/* The blob: header, types, strings. */
static size_t bb_blob(const struct bb *b, uint8_t *out, int be)
{
	size_t tl = b->nw * 4;
	out[0] = be ? 0xeb : 0x9f;
	out[1] = be ? 0x9f : 0xeb;
	out[2] = 1;
	out[3] = 0;
	put32(out + 4, 24, be);
	put32(out + 8, 0, be);
	put32(out + 12, (uint32_t)tl, be);
	put32(out + 16, (uint32_t)tl, be);
	put32(out + 20, (uint32_t)b->ns, be);
	for (size_t i = 0; i < b->nw; i++)
		put32(out + 24 + 4 * i, b->words[i], be);
	memcpy(out + 24 + tl, b->strs, b->ns);
	return 24 + tl + b->ns;
}

static uint8_t blob[65536];

static int bb_parse(const struct bb *b, int be, struct nyk_btf **btf, struct nyk_error *err)
{
	size_t n = bb_blob(b, blob, be);
	nyk_error_clear(err);
	return nyk_btf_parse(blob, n, btf, err);
}

/*
 * A small world: int, unsigned int, struct point { int x; int y; },
 * typedef point_t, pointer, array point_t[4], enum e { A = 1, B = -2 },
 * struct flags with bitfields, FUNC_PROTO int (point_t *), FUNC f.
 */
enum { T_INT = 1, T_UINT, T_POINT, T_TYPEDEF, T_PTR, T_ARRAY, T_ENUM, T_FLAGS, T_PROTO, T_FUNC, T_CONST, T_COUNT };

static void build_world(struct bb *b)
{
	bb_init(b);
	bb_int(b, "int", 4, 32, NYK_BTF_INT_SIGNED);
	bb_int(b, "unsigned int", 4, 32, 0);
	bb_type(b, NYK_BTF_STRUCT, "point", 2, 0, 8);
	bb_member(b, "x", T_INT, 0);
	bb_member(b, "y", T_INT, 32);
	bb_type(b, NYK_BTF_TYPEDEF, "point_t", 0, 0, T_POINT);
	bb_type(b, NYK_BTF_PTR, "", 0, 0, T_TYPEDEF);
	bb_type(b, NYK_BTF_ARRAY, "", 0, 0, 0);
	bb_word(b, T_TYPEDEF);
	bb_word(b, T_INT);
	bb_word(b, 4);
	bb_type(b, NYK_BTF_ENUM, "e", 2, 1, 4);
	bb_word(b, bb_str(b, "A"));
	bb_word(b, 1);
	bb_word(b, bb_str(b, "B"));
	bb_word(b, (uint32_t)-2);
	bb_type(b, NYK_BTF_STRUCT, "flags", 3, 1, 4);
	bb_member(b, "a", T_UINT, 1u << 24 | 0);
	bb_member(b, "b", T_UINT, 7u << 24 | 1);
	bb_member(b, "c", T_INT, 8u << 24 | 8);
	bb_type(b, NYK_BTF_FUNC_PROTO, "", 1, 0, T_INT);
	bb_word(b, bb_str(b, "p"));
	bb_word(b, T_PTR);
	bb_type(b, NYK_BTF_FUNC, "f", NYK_BTF_FUNC_GLOBAL, 0, T_PROTO);
	bb_type(b, NYK_BTF_CONST, "", 0, 0, T_TYPEDEF);
}

/* ---- parsing ----------------------------------------------------------- */

static void check_world(const struct nyk_btf *btf, const char **fail)
{
	const struct nyk_btf_type *t;

#define W(cond) do { if (!(cond)) { *fail = #cond; return; } } while (0)
	W(nyk_btf_type_count(btf) == T_COUNT);
	W(nyk_btf_kind(nyk_btf_type_by_id(btf, 0)) == NYK_BTF_UNKN);
	W(nyk_btf_type_by_id(btf, T_COUNT) == NULL);
	W(strcmp(nyk_btf_type_name(btf, T_POINT), "point") == 0);
	W(strcmp(nyk_btf_type_name(btf, T_PTR), "") == 0);
	W(nyk_btf_type_name(btf, 999) == NULL);
	W(nyk_btf_str(btf, 0) && !*nyk_btf_str(btf, 0));
	W(nyk_btf_str(btf, 100000) == NULL);
	t = nyk_btf_type_by_id(btf, T_POINT);
	W(nyk_btf_kind(t) == NYK_BTF_STRUCT && nyk_btf_vlen(t) == 2 && t->size == 8);
	W(strcmp(nyk_btf_str(btf, nyk_btf_members(t)[1].name_off), "y") == 0);
	W(nyk_btf_member_bit_offset(t, 1) == 32 && nyk_btf_member_bitfield_size(t, 1) == 0);
	t = nyk_btf_type_by_id(btf, T_FLAGS);
	W(nyk_btf_member_bit_offset(t, 1) == 1 && nyk_btf_member_bitfield_size(t, 1) == 7);
	t = nyk_btf_type_by_id(btf, T_INT);
	W(nyk_btf_int_encoding(t) == NYK_BTF_INT_SIGNED && nyk_btf_int_bits(t) == 32);
	t = nyk_btf_type_by_id(btf, T_ENUM);
	W(nyk_btf_enum_value(t, 1) == (uint64_t)-2);
	W(nyk_btf_find(btf, "point", NYK_BTF_STRUCT) == T_POINT);
	W(nyk_btf_find(btf, "point", NYK_BTF_UNKN) == T_POINT);
	W(nyk_btf_find(btf, "point", NYK_BTF_UNION) == -ENOENT);
	W(nyk_btf_find(btf, "point_t", NYK_BTF_TYPEDEF) == T_TYPEDEF);
	W(nyk_btf_find(btf, "f", NYK_BTF_FUNC) == T_FUNC);
	W(nyk_btf_find(btf, "nothere", NYK_BTF_UNKN) == -ENOENT);
	W(nyk_btf_resolve(btf, T_CONST) == T_POINT);
	W(nyk_btf_resolve(btf, T_PTR) == T_PTR);
	W(nyk_btf_size(btf, T_ARRAY) == 32);
	W(nyk_btf_size(btf, T_PTR) == 8);
	W(nyk_btf_size(btf, T_CONST) == 8);
	W(nyk_btf_size(btf, T_FUNC) < 0);
	W(nyk_btf_size(btf, 0) < 0);
	W(nyk_btf_align(btf, T_POINT) == 4);
	W(nyk_btf_align(btf, T_PTR) == 8);
#undef W
	*fail = NULL;
}

TEST(btf_parse_world_both_byte_orders)
{
	struct bb b;
	struct nyk_btf *btf;
	struct nyk_error err;
	const char *fail;

	build_world(&b);
	for (int be = 0; be <= 1; be++) {
		CHECK_MSG(bb_parse(&b, be, &btf, &err) == 0, "be=%d: %s", be, err.message);
		CHECK_EQ(nyk_btf_big_endian(btf), be);
		check_world(btf, &fail);
		nyk_btf_free(btf);
		CHECK_MSG(!fail, "be=%d: %s", be, fail);
	}
}

TEST(btf_parse_empty)
{
	struct bb b;
	struct nyk_btf *btf;
	struct nyk_error err;

	bb_init(&b);
	CHECK(bb_parse(&b, 0, &btf, &err) == 0);
	CHECK_EQ(nyk_btf_type_count(btf), 1);
	CHECK(nyk_btf_find(btf, "x", 0) == -ENOENT);
	nyk_btf_free(btf);
}

/* Parse b as is and expect failure with `what` in the message. */
static int fails_with(const struct bb *b, const char *what, char *msg, size_t size)
{
	struct nyk_btf *btf = (struct nyk_btf *)1;
	struct nyk_error err;
	int rc = bb_parse(b, 0, &btf, &err);

	snprintf(msg, size, "rc=%d message=\"%s\"", rc, err.message);
	if (rc == 0)
		nyk_btf_free(btf);
	return rc < 0 && btf == NULL && err.code == rc && strstr(err.message, what) != NULL;
}

TEST(btf_rejects_broken_types)
{
	static const struct {
		const char *name, *expect;
	} cases[] = {
		{ "unknown kind", "unknown kind 25" },
		{ "truncated record", "extends past the end of the type section" },
		{ "name out of range", "name: string offset out of range" },
		{ "member type out of range", "a member refers to a type id out of range" },
		{ "ptr out of range", "refers to a type id out of range" },
		{ "array index out of range", "the index type refers to a type id out of range" },
		{ "func not proto", "type is not a FUNC_PROTO" },
		{ "pointer loop", "loop of pointers" },
		{ "typedef self", "loop of pointers" },
		{ "chain too deep", "deeper than 32" },
		{ "bad int size", "integer size" },
		{ "int bits", "integer bits" },
		{ "bad enum size", "enum size" },
		{ "datasec entry", "not a VAR or FUNC" },
		{ "member past end", "ends past the struct size" },
		{ "void param", "trailing '...'" },
		{ "reserved bits", "reserved bits" },
		{ "kflag on int", "kind_flag" },
		{ "typedef without name", "has no name" },
		{ "vlen on ptr", "vlen must be 0" },
		{ "func linkage", "unknown linkage" },
		{ "decl tag index", "component index" },
	};
	char msg[400];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct bb b;
		const char *n = cases[i].name;
		bb_init(&b);
		bb_int(&b, "int", 4, 32, NYK_BTF_INT_SIGNED);   /* id 1 */
		if (!strcmp(n, "unknown kind")) {
			bb_type(&b, 25, "", 0, 0, 0);
		} else if (!strcmp(n, "truncated record")) {
			bb_type(&b, NYK_BTF_STRUCT, "s", 2, 0, 8);
			bb_member(&b, "a", 1, 0);
		} else if (!strcmp(n, "name out of range")) {
			bb_word(&b, 5000);
			bb_word(&b, (uint32_t)NYK_BTF_PTR << 24);
			bb_word(&b, 1);
		} else if (!strcmp(n, "member type out of range")) {
			bb_type(&b, NYK_BTF_STRUCT, "s", 1, 0, 4);
			bb_member(&b, "a", 77, 0);
		} else if (!strcmp(n, "ptr out of range")) {
			bb_type(&b, NYK_BTF_PTR, "", 0, 0, 3);
		} else if (!strcmp(n, "array index out of range")) {
			bb_type(&b, NYK_BTF_ARRAY, "", 0, 0, 0);
			bb_word(&b, 1);
			bb_word(&b, 9);
			bb_word(&b, 2);
		} else if (!strcmp(n, "func not proto")) {
			bb_type(&b, NYK_BTF_FUNC, "f", 0, 0, 1);
		} else if (!strcmp(n, "pointer loop")) {
			bb_type(&b, NYK_BTF_PTR, "", 0, 0, 3);   /* 2 -> 3 -> 2 */
			bb_type(&b, NYK_BTF_CONST, "", 0, 0, 2);
		} else if (!strcmp(n, "typedef self")) {
			bb_type(&b, NYK_BTF_TYPEDEF, "t", 0, 0, 2);
		} else if (!strcmp(n, "chain too deep")) {
			for (uint32_t k = 0; k < 33; k++)
				bb_type(&b, NYK_BTF_PTR, "", 0, 0, k + 1);
		} else if (!strcmp(n, "bad int size")) {
			bb_int(&b, "odd", 3, 24, 0);
		} else if (!strcmp(n, "int bits")) {
			bb_int(&b, "wide", 4, 40, 0);
		} else if (!strcmp(n, "bad enum size")) {
			bb_type(&b, NYK_BTF_ENUM, "e", 0, 0, 3);
		} else if (!strcmp(n, "datasec entry")) {
			bb_type(&b, NYK_BTF_DATASEC, ".data", 1, 0, 4);
			bb_word(&b, 1);
			bb_word(&b, 0);
			bb_word(&b, 4);
		} else if (!strcmp(n, "member past end")) {
			bb_type(&b, NYK_BTF_STRUCT, "s", 1, 0, 4);
			bb_member(&b, "a", 1, 32);
		} else if (!strcmp(n, "void param")) {
			bb_type(&b, NYK_BTF_FUNC_PROTO, "", 2, 0, 1);
			bb_word(&b, 0);
			bb_word(&b, 0);
			bb_word(&b, 0);
			bb_word(&b, 1);
		} else if (!strcmp(n, "reserved bits")) {
			bb_word(&b, 0);
			bb_word(&b, (uint32_t)NYK_BTF_PTR << 24 | 1u << 20);
			bb_word(&b, 1);
		} else if (!strcmp(n, "kflag on int")) {
			bb_type(&b, NYK_BTF_INT, "k", 0, 1, 4);
			bb_word(&b, 32);
		} else if (!strcmp(n, "typedef without name")) {
			bb_type(&b, NYK_BTF_TYPEDEF, "", 0, 0, 1);
		} else if (!strcmp(n, "vlen on ptr")) {
			bb_type(&b, NYK_BTF_PTR, "", 2, 0, 1);
		} else if (!strcmp(n, "func linkage")) {
			bb_type(&b, NYK_BTF_FUNC_PROTO, "", 0, 0, 1);
			bb_type(&b, NYK_BTF_FUNC, "f", 3, 0, 2);
		} else if (!strcmp(n, "decl tag index")) {
			bb_type(&b, NYK_BTF_STRUCT, "s", 1, 0, 4);
			bb_member(&b, "a", 1, 0);
			bb_type(&b, NYK_BTF_DECL_TAG, "tag", 0, 0, 2);
			bb_word(&b, 1);
		}
		CHECK_MSG(fails_with(&b, cases[i].expect, msg, sizeof(msg)), "%s: %s", n, msg);
	}
}

TEST(btf_chain_of_32_is_fine)
{
	struct bb b;
	struct nyk_btf *btf;
	struct nyk_error err;

	bb_init(&b);
	bb_int(&b, "int", 4, 32, NYK_BTF_INT_SIGNED);
	for (uint32_t k = 0; k < 32; k++)
		bb_type(&b, k % 2 ? NYK_BTF_CONST : NYK_BTF_PTR, "", 0, 0, k + 1);
	CHECK_MSG(bb_parse(&b, 0, &btf, &err) == 0, "%s", err.message);
	CHECK_EQ(nyk_btf_size(btf, 33), 8);
	nyk_btf_free(btf);
}

TEST(btf_rejects_broken_headers)
{
	struct bb b;
	struct nyk_btf *btf;
	struct nyk_error err;
	size_t n;
	static const struct {
		size_t at;
		uint8_t value;
		const char *expect;
	} pokes[] = {
		{ 0, 0x00, "bad magic" },
		{ 2, 2, "unsupported version" },
		{ 3, 1, "unsupported flags" },
		{ 4, 8, "header length" },
		{ 5, 0x10, "header length" },
		{ 8, 2, "not a multiple of 4" },
		{ 12, 255, "type section" },
		{ 20, 255, "string section" },
		{ 16, 0, "overlap" },
	};

	build_world(&b);
	for (size_t i = 0; i < sizeof(pokes) / sizeof(pokes[0]); i++) {
		n = bb_blob(&b, blob, 0);
		blob[pokes[i].at] = pokes[i].value;
		nyk_error_clear(&err);
		CHECK_MSG(nyk_btf_parse(blob, n, &btf, &err) < 0 && strstr(err.message, pokes[i].expect),
			  "poke %zu: %s", i, err.message);
	}
	/* Every truncation fails cleanly. */
	n = bb_blob(&b, blob, 0);
	for (size_t len = 0; len < n; len++) {
		nyk_error_clear(&err);
		CHECK_MSG(nyk_btf_parse(blob, len, &btf, &err) < 0 && err.message[0], "length %zu parsed", len);
	}
	/* Strings must start and end with NUL. */
	n = bb_blob(&b, blob, 0);
	blob[n - 1] = 'x';
	CHECK(nyk_btf_parse(blob, n, &btf, &err) < 0 && strstr(err.message, "NUL"));
	CHECK(nyk_btf_parse(NULL, 100, &btf, &err) < 0);
}

/* Random corruption must never crash (ASan runs this too) and must fail with a message or parse. */
TEST(btf_survives_corruption)
{
	struct bb b;
	uint32_t seed = 7;

	build_world(&b);
	for (int round = 0; round < 3000; round++) {
		size_t n = bb_blob(&b, blob, round & 1);
		struct nyk_btf *btf;
		struct nyk_error err;
		for (int k = 0; k < 3; k++) {
			seed = seed * 1103515245u + 12345u;
			blob[24 + (seed >> 8) % (n - 24)] = (uint8_t)(seed >> 3);
		}
		nyk_error_clear(&err);
		if (nyk_btf_parse(blob, n, &btf, &err) == 0) {
			char *text = nyk_btf_dump(btf, NYK_BTF_RAW, NULL);
			char *c = nyk_btf_dump(btf, NYK_BTF_C, NULL);
			for (uint32_t id = 0; id < nyk_btf_type_count(btf); id++) {
				(void)nyk_btf_size(btf, id);
				(void)nyk_btf_align(btf, id);
				(void)nyk_btf_resolve(btf, id);
			}
			free(text);
			free(c);
			nyk_btf_free(btf);
		} else {
			CHECK_MSG(err.message[0] && err.code < 0, "round %d: failure without a message", round);
		}
	}
}

TEST(btf_flavors_and_find)
{
	struct bb b;
	struct nyk_btf *btf;
	struct nyk_error err;

	bb_init(&b);
	bb_int(&b, "int", 4, 32, NYK_BTF_INT_SIGNED);
	bb_type(&b, NYK_BTF_STRUCT, "task___v1", 0, 0, 0);
	bb_type(&b, NYK_BTF_STRUCT, "task", 0, 0, 0);
	bb_type(&b, NYK_BTF_UNION, "task", 0, 0, 0);
	bb_type(&b, NYK_BTF_STRUCT, "a___b___c", 0, 0, 0);
	CHECK(bb_parse(&b, 0, &btf, &err) == 0);
	CHECK_EQ(nyk_btf_find(btf, "task", NYK_BTF_STRUCT), 3);
	CHECK_EQ(nyk_btf_find(btf, "task", NYK_BTF_UNION), 4);
	CHECK_EQ(nyk_btf_find(btf, "task", NYK_BTF_UNKN), 3);
	CHECK_EQ(nyk_btf_find(btf, "task___v1", NYK_BTF_UNKN), 2);
	CHECK_EQ(nyk_btf_find(btf, "a___b___c", NYK_BTF_STRUCT), 5);
	CHECK(nyk_btf_find(btf, "task___v2", NYK_BTF_UNKN) == -ENOENT);
	nyk_btf_free(btf);
}

TEST(btf_datasec_fixup)
{
	struct bb b;
	struct nyk_btf *btf;
	struct nyk_error err;
	const struct nyk_btf_var_secinfo *v;
	uint32_t offs[2] = { 8, 0 };

	bb_init(&b);
	bb_int(&b, "int", 4, 32, NYK_BTF_INT_SIGNED);
	bb_type(&b, NYK_BTF_VAR, "a", 0, 0, 1);
	bb_word(&b, NYK_BTF_VAR_GLOBAL);
	bb_type(&b, NYK_BTF_VAR, "b", 0, 0, 1);
	bb_word(&b, NYK_BTF_VAR_GLOBAL);
	bb_type(&b, NYK_BTF_DATASEC, ".data", 2, 0, 0);
	bb_word(&b, 2);
	bb_word(&b, 0);
	bb_word(&b, 4);
	bb_word(&b, 3);
	bb_word(&b, 0);
	bb_word(&b, 4);
	CHECK(bb_parse(&b, 0, &btf, &err) == 0);
	CHECK(nyk_btf_datasec_fixup(btf, 4, 8, offs, &err) < 0 && strstr(err.message, "does not fit"));
	CHECK(nyk_btf_datasec_fixup(btf, 1, 8, NULL, &err) < 0);
	CHECK_MSG(nyk_btf_datasec_fixup(btf, 4, 12, offs, &err) == 0, "%s", err.message);
	v = nyk_btf_secinfos(nyk_btf_type_by_id(btf, 4));
	CHECK_EQ(nyk_btf_type_by_id(btf, 4)->size, 12);
	CHECK(v[0].type == 3 && v[0].offset == 0 && v[1].type == 2 && v[1].offset == 8);
	nyk_btf_free(btf);
}

/* ---- dumps ------------------------------------------------------------- */

TEST(btf_dump_raw)
{
	struct bb b;
	struct nyk_btf *btf;
	struct nyk_error err;
	char *text, *one;
	static const char expect[] =
		"[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n"
		"[2] INT 'unsigned int' size=4 bits_offset=0 nr_bits=32 encoding=(none)\n"
		"[3] STRUCT 'point' size=8 vlen=2\n"
		"\t'x' type_id=1 bits_offset=0\n"
		"\t'y' type_id=1 bits_offset=32\n"
		"[4] TYPEDEF 'point_t' type_id=3\n"
		"[5] PTR '(anon)' type_id=4\n"
		"[6] ARRAY '(anon)' type_id=4 index_type_id=1 nr_elems=4\n"
		"[7] ENUM 'e' encoding=SIGNED size=4 vlen=2\n"
		"\t'A' val=1\n"
		"\t'B' val=-2\n"
		"[8] STRUCT 'flags' size=4 vlen=3\n"
		"\t'a' type_id=2 bits_offset=0 bitfield_size=1\n"
		"\t'b' type_id=2 bits_offset=1 bitfield_size=7\n"
		"\t'c' type_id=1 bits_offset=8 bitfield_size=8\n"
		"[9] FUNC_PROTO '(anon)' ret_type_id=1 vlen=1\n"
		"\t'p' type_id=5\n"
		"[10] FUNC 'f' type_id=9 linkage=global\n"
		"[11] CONST '(anon)' type_id=4\n";

	build_world(&b);
	CHECK(bb_parse(&b, 1, &btf, &err) == 0);
	text = nyk_btf_dump(btf, NYK_BTF_RAW, &err);
	CHECK(text);
	CHECK_MSG(strcmp(text, expect) == 0, "got:\n%s", text);
	free(text);
	one = nyk_btf_dump_type(btf, 3, &err);
	CHECK_STR(one, "[3] STRUCT 'point' size=8 vlen=2\n\t'x' type_id=1 bits_offset=0\n\t'y' type_id=1 bits_offset=32");
	free(one);
	CHECK(nyk_btf_dump_type(btf, 0, &err) == NULL);
	CHECK(nyk_btf_dump(btf, (enum nyk_btf_format)9, &err) == NULL);
	nyk_btf_free(btf);
}

TEST(btf_dump_c)
{
	struct bb b;
	struct nyk_btf *btf;
	struct nyk_error err;
	char *text;

	build_world(&b);
	/* struct node { struct node *next; node_t *prev; }; typedef struct node node_t;  */
	bb_type(&b, NYK_BTF_STRUCT, "node", 2, 0, 16);     /* 12 */
	bb_member(&b, "next", 13, 0);
	bb_member(&b, "prev", 15, 64);
	bb_type(&b, NYK_BTF_PTR, "", 0, 0, 12);             /* 13 */
	bb_type(&b, NYK_BTF_TYPEDEF, "node_t", 0, 0, 12);   /* 14 */
	bb_type(&b, NYK_BTF_PTR, "", 0, 0, 14);             /* 15 */
	/* two distinct structs named "dup" */
	bb_type(&b, NYK_BTF_STRUCT, "dup", 1, 0, 4);        /* 16 */
	bb_member(&b, "x", 1, 0);
	bb_type(&b, NYK_BTF_STRUCT, "dup", 1, 0, 8);        /* 17 */
	bb_member(&b, "y", 1, 32);
	CHECK(bb_parse(&b, 0, &btf, &err) == 0);
	text = nyk_btf_dump(btf, NYK_BTF_C, &err);
	CHECK_MSG(text, "%s", err.message);
	CHECK_MSG(strstr(text, "struct point {\n\tint x;\n\tint y;\n};\n"), "%s", text);
	CHECK_MSG(strstr(text, "typedef struct point point_t;\n"), "%s", text);
	CHECK_MSG(strstr(text, "enum e {\n\tA = 1,\n\tB = -2,\n};"), "%s", text);
	CHECK_MSG(strstr(text, "\tunsigned int b: 7;\n\tint c: 8;\n"), "%s", text);
	/* the typedef comes before the struct that uses it through a pointer */
	CHECK_MSG(strstr(text, "typedef struct node node_t;") && strstr(text, "struct node {") &&
		  strstr(text, "typedef struct node node_t;") < strstr(text, "struct node {"), "%s", text);
	CHECK_MSG(strstr(text, "\tnode_t *prev;\n"), "%s", text);
	CHECK_MSG(strstr(text, "struct dup {\n\tint x;\n};") && strstr(text, "struct dup___2 {\n\tlong: 32;\n\tint y;\n};"),
		  "%s", text);
	free(text);
	nyk_btf_free(btf);
}

TEST(btf_dump_c_broken_self_containment)
{
	struct bb b;
	struct nyk_btf *btf;
	struct nyk_error err;
	char *text;

	/* struct s { struct s inner; } of size 4: valid records, impossible C. */
	bb_init(&b);
	bb_type(&b, NYK_BTF_STRUCT, "s", 1, 0, 4);
	bb_member(&b, "inner", 1, 0);
	CHECK(bb_parse(&b, 0, &btf, &err) == 0);
	text = nyk_btf_dump(btf, NYK_BTF_C, &err);
	CHECK(text || err.message[0]);
	free(text);
	CHECK(nyk_btf_align(btf, 1) < 0);
	nyk_btf_free(btf);
}

/* ---- BTF.ext ----------------------------------------------------------- */

struct eb {
	uint8_t d[1024];
	size_t n;
	int be;
};

static void eb_u32(struct eb *e, uint32_t v)
{
	put32(e->d + e->n, v, e->be);
	e->n += 4;
}

/* func_info for "prog" at insn 0 and 3 (FUNC f), line_info at insn 1 and 4, one core relo at insn 2. */
static size_t build_ext(struct eb *e, uint32_t sec, uint32_t file, uint32_t line, uint32_t access, int be)
{
	memset(e, 0, sizeof(*e));
	e->be = be;
	e->d[0] = be ? 0xeb : 0x9f;
	e->d[1] = be ? 0x9f : 0xeb;
	e->d[2] = 1;
	e->n = 4;
	eb_u32(e, 32);
	eb_u32(e, 0);          /* func_info_off */
	eb_u32(e, 4 + 8 + 16); /* func_info_len */
	eb_u32(e, 28);         /* line_info_off */
	eb_u32(e, 4 + 8 + 32);
	eb_u32(e, 72);         /* core_relo_off */
	eb_u32(e, 4 + 8 + 16);
	/* func_info */
	eb_u32(e, 8);
	eb_u32(e, sec);
	eb_u32(e, 2);
	eb_u32(e, 0);
	eb_u32(e, T_FUNC);
	eb_u32(e, 24);
	eb_u32(e, T_FUNC);
	/* line_info */
	eb_u32(e, 16);
	eb_u32(e, sec);
	eb_u32(e, 2);
	eb_u32(e, 8);
	eb_u32(e, file);
	eb_u32(e, line);
	eb_u32(e, 12u << 10 | 5);
	eb_u32(e, 32);
	eb_u32(e, file);
	eb_u32(e, line);
	eb_u32(e, 13u << 10 | 1);
	/* core_relo */
	eb_u32(e, 16);
	eb_u32(e, sec);
	eb_u32(e, 1);
	eb_u32(e, 16);
	eb_u32(e, T_POINT);
	eb_u32(e, access);
	eb_u32(e, NYK_CORE_FIELD_BYTE_OFFSET);
	return e->n;
}

TEST(btf_ext_parse)
{
	struct bb b;
	struct nyk_btf *btf;
	struct nyk_btf_ext *ext;
	struct nyk_error err;
	struct eb e;
	uint32_t sec, file, line, access;

	build_world(&b);
	sec = bb_str(&b, "prog");
	file = bb_str(&b, "prog.c");
	line = bb_str(&b, "  return p->y;");
	access = bb_str(&b, "0:1");
	CHECK(bb_parse(&b, 0, &btf, &err) == 0);
	for (int be = 0; be <= 1; be++) {
		const struct nyk_btf_func_info *fi;
		const struct nyk_btf_line_info *li;
		const struct nyk_btf_core_relo *cr;
		size_t n = build_ext(&e, sec, file, line, access, be);

		nyk_error_clear(&err);
		CHECK_MSG(nyk_btf_ext_parse(e.d, n, btf, &ext, &err) == 0, "be=%d: %s", be, err.message);
		CHECK_EQ(nyk_btf_ext_section_count(ext), 1);
		CHECK_STR(nyk_btf_ext_section_name(ext, 0), "prog");
		CHECK(nyk_btf_ext_section_name(ext, 1) == NULL);
		CHECK_EQ(nyk_btf_ext_func_info(ext, "prog", &fi), 2);
		CHECK(fi[0].insn_off == 0 && fi[1].insn_off == 3 && fi[1].type_id == T_FUNC);
		CHECK_EQ(nyk_btf_ext_line_info(ext, "prog", &li), 2);
		CHECK(li[0].insn_off == 1 && li[0].line == 12 && li[0].column == 5 && li[1].insn_off == 4);
		CHECK_STR(nyk_btf_str(btf, li[0].file_name_off), "prog.c");
		CHECK_STR(nyk_btf_str(btf, li[1].line_off), "  return p->y;");
		CHECK_EQ(nyk_btf_ext_core_relos(ext, "prog", &cr), 1);
		CHECK(cr[0].insn_off == 2 && cr[0].type_id == T_POINT && cr[0].kind == NYK_CORE_FIELD_BYTE_OFFSET);
		CHECK_EQ(nyk_btf_ext_core_relos(ext, "other", &cr), 0);
		CHECK(cr == NULL);
		nyk_btf_ext_free(ext);
	}
	nyk_btf_free(btf);
}

TEST(btf_ext_rejects_broken)
{
	struct bb b;
	struct nyk_btf *btf;
	struct nyk_btf_ext *ext;
	struct nyk_error err;
	struct eb e;
	uint32_t sec, file, line, access;
	static const struct {
		size_t at;     /* byte to change */
		uint32_t value;
		const char *expect;
	} pokes[] = {
		{ 0, 0, "bad magic" },
		{ 4, 8, "header length" },
		{ 12, 4000, "extends past the end" },
		{ 32, 4, "record size" },
		{ 32 + 12, 4, "multiple of 8" },
		{ 32 + 16, T_INT, "not a FUNC" },
		{ 32 + 4, 60000, "section name" },
		{ 32 + 8, 0, "no records" },
		{ 32 + 8, 1000, "extend past the block" },
		{ 60 + 16, 60000, "file name" },
		{ 60 + 20, 60000, "line text" },
		{ 104 + 16, 0, "type id out of range" },
		{ 104 + 20, 60000, "access string" },
		{ 104 + 24, 13, "unknown CO-RE relocation kind" },
	};

	build_world(&b);
	sec = bb_str(&b, "prog");
	file = bb_str(&b, "prog.c");
	line = bb_str(&b, "x");
	access = bb_str(&b, "0:1");
	CHECK(bb_parse(&b, 0, &btf, &err) == 0);
	for (size_t i = 0; i < sizeof(pokes) / sizeof(pokes[0]); i++) {
		size_t n = build_ext(&e, sec, file, line, access, 0);
		put32(e.d + pokes[i].at, pokes[i].value, 0);
		nyk_error_clear(&err);
		ext = (struct nyk_btf_ext *)1;
		CHECK_MSG(nyk_btf_ext_parse(e.d, n, btf, &ext, &err) < 0 && ext == NULL &&
			  strstr(err.message, pokes[i].expect), "poke %zu: %s", i, err.message);
	}
	for (size_t len = 0; len < build_ext(&e, sec, file, line, access, 0); len++) {
		nyk_error_clear(&err);
		CHECK_MSG(nyk_btf_ext_parse(e.d, len, btf, &ext, &err) < 0 && err.message[0], "len %zu", len);
	}
	CHECK(nyk_btf_ext_parse(e.d, e.n, NULL, &ext, &err) < 0);
	nyk_btf_free(btf);
}

/* ---- CO-RE ------------------------------------------------------------- */

/*
 * Local: struct s { int a; unsigned short u; short v; int gone; } + enum k { K1 = 1, K2 = 2 }
 * Target: struct s___x? no: struct s { long pad; unsigned int u; int v; int a; } (v: short -> int, signed),
 *         enum k { K1 = 10 }, and two candidates for struct amb at different offsets.
 */
struct core_env {
	struct nyk_btf *local, *target;
	uint32_t acc[16];
};

enum { L_INT = 1, L_USHORT, L_SHORT, L_S, L_ENUM, L_AMB, L_MISSING, L_TYPEDEF };

static int build_core(struct core_env *env, struct nyk_error *err)
{
	struct bb l, t;
	static const char *const access[] = { "0", "0:0", "0:1", "0:2", "0:3", "1", "0:9", "x", "0:1:2", "" };

	bb_init(&l);
	bb_int(&l, "int", 4, 32, NYK_BTF_INT_SIGNED);
	bb_int(&l, "unsigned short", 2, 16, 0);
	bb_int(&l, "short", 2, 16, NYK_BTF_INT_SIGNED);
	bb_type(&l, NYK_BTF_STRUCT, "s", 4, 0, 12);
	bb_member(&l, "a", L_INT, 0);
	bb_member(&l, "u", L_USHORT, 32);
	bb_member(&l, "v", L_SHORT, 48);
	bb_member(&l, "gone", L_INT, 64);
	bb_type(&l, NYK_BTF_ENUM, "k", 2, 0, 4);
	bb_word(&l, bb_str(&l, "K1"));
	bb_word(&l, 1);
	bb_word(&l, bb_str(&l, "K2"));
	bb_word(&l, 2);
	bb_type(&l, NYK_BTF_STRUCT, "amb", 1, 0, 4);
	bb_member(&l, "a", L_INT, 0);
	bb_type(&l, NYK_BTF_STRUCT, "missing", 1, 0, 4);
	bb_member(&l, "a", L_INT, 0);
	bb_type(&l, NYK_BTF_TYPEDEF, "s_t", 0, 0, L_S);
	for (size_t i = 0; i < sizeof(access) / sizeof(access[0]); i++)
		env->acc[i] = bb_str(&l, access[i]);

	bb_init(&t);
	bb_int(&t, "int", 4, 32, NYK_BTF_INT_SIGNED);          /* 1 */
	bb_int(&t, "long", 8, 64, NYK_BTF_INT_SIGNED);         /* 2 */
	bb_int(&t, "unsigned int", 4, 32, 0);                  /* 3 */
	bb_type(&t, NYK_BTF_STRUCT, "s", 4, 0, 20);            /* 4 */
	bb_member(&t, "pad", 2, 0);
	bb_member(&t, "u", 3, 64);
	bb_member(&t, "v", 1, 96);
	bb_member(&t, "a", 1, 128);
	bb_type(&t, NYK_BTF_ENUM, "k", 1, 0, 4);               /* 5 */
	bb_word(&t, bb_str(&t, "K1"));
	bb_word(&t, 10);
	bb_type(&t, NYK_BTF_STRUCT, "amb", 1, 0, 8);           /* 6 */
	bb_member(&t, "a", 1, 0);
	bb_type(&t, NYK_BTF_STRUCT, "amb___2", 1, 0, 8);       /* 7 */
	bb_member(&t, "a", 1, 32);
	bb_type(&t, NYK_BTF_TYPEDEF, "s_t", 0, 0, 4);          /* 8 */
	if (bb_parse(&l, 0, &env->local, err) < 0)
		return -1;
	return bb_parse(&t, 1, &env->target, err);
}

static int apply(struct core_env *env, struct nyk_insn *insns, size_t n, uint32_t at, uint32_t type, uint32_t acc,
		 unsigned kind, struct nyk_error *err)
{
	struct nyk_btf_core_relo r = { at, type, env->acc[acc], kind };
	nyk_error_clear(err);
	return nyk_core_apply(insns, n, &r, env->local, env->target, err);
}

#define LDX(size, off) { NYK_CLASS_LDX | NYK_MODE_MEM | (size), nyk_insn_regs(0, 1), (off), 0 }
#define MOVK(imm) { NYK_CLASS_ALU64 | NYK_ALU_MOV | NYK_SRC_K, 0, 0, (imm) }
#define LDDW(lo, hi) { NYK_CLASS_LD | NYK_MODE_IMM | NYK_SIZE_DW, 0, 0, (lo) }, { 0, 0, 0, (hi) }

TEST(core_field_offsets_and_sizes)
{
	struct core_env env;
	struct nyk_error err;
	struct nyk_insn insns[] = {
		LDX(NYK_SIZE_W, 0),    /* s.a: 0 -> 16 */
		LDX(NYK_SIZE_H, 4),    /* s.u: 4 -> 8, unsigned short -> unsigned int: W */
		MOVK(2),               /* byte_sz of s.u: 2 -> 4 */
		MOVK(1),               /* signed of s.v: 1 -> 1 */
		MOVK(1),               /* exists s.a -> 1 */
		MOVK(12),              /* type size s -> 20 */
		MOVK(1),               /* type exists s -> 1 */
		MOVK(L_S),             /* local type id */
		LDDW(2, 0),            /* enum value K2: poisoned (no K2 in target) */
		MOVK(1),               /* enum value exists K1 -> 1 */
		LDDW(1, 0),            /* enum value K1 -> 10 */
		MOVK(12),              /* type size via typedef s_t -> 20 */
		MOVK(1),               /* type exists missing -> 0 */
	};

	CHECK_MSG(build_core(&env, &err) == 0, "%s", err.message);
	CHECK_MSG(apply(&env, insns, 15, 0, L_S, 1, NYK_CORE_FIELD_BYTE_OFFSET, &err) == 0, "%s", err.message);
	CHECK_EQ(insns[0].off, 16);
	CHECK_MSG(apply(&env, insns, 15, 1, L_S, 2, NYK_CORE_FIELD_BYTE_OFFSET, &err) == 0, "%s", err.message);
	CHECK(insns[1].off == 8 && (insns[1].opcode & 0x18) == NYK_SIZE_W);
	CHECK(apply(&env, insns, 15, 2, L_S, 2, NYK_CORE_FIELD_BYTE_SIZE, &err) == 0 && insns[2].imm == 4);
	CHECK(apply(&env, insns, 15, 3, L_S, 3, NYK_CORE_FIELD_SIGNED, &err) == 0 && insns[3].imm == 1);
	CHECK(apply(&env, insns, 15, 4, L_S, 1, NYK_CORE_FIELD_EXISTS, &err) == 0 && insns[4].imm == 1);
	CHECK(apply(&env, insns, 15, 5, L_S, 0, NYK_CORE_TYPE_SIZE, &err) == 0 && insns[5].imm == 20);
	CHECK(apply(&env, insns, 15, 6, L_S, 0, NYK_CORE_TYPE_EXISTS, &err) == 0 && insns[6].imm == 1);
	CHECK(apply(&env, insns, 15, 7, L_S, 0, NYK_CORE_TYPE_ID_LOCAL, &err) == 0 && insns[7].imm == L_S);
	CHECK_MSG(apply(&env, insns, 15, 8, L_ENUM, 5, NYK_CORE_ENUMVAL_VALUE, &err) == -ESRCH, "%s", err.message);
	CHECK(insns[8].opcode == (NYK_CLASS_JMP | NYK_JMP_CALL) && insns[8].imm == NYK_CORE_POISON_HELPER);
	CHECK(insns[9].opcode == (NYK_CLASS_JMP | NYK_JMP_CALL) && insns[9].imm == NYK_CORE_POISON_HELPER);
	CHECK_MSG(strstr(err.message, "enum k has no value 'K2' in the target BTF") && err.insn == 8, "%s", err.message);
	CHECK(apply(&env, insns, 15, 10, L_ENUM, 0, NYK_CORE_ENUMVAL_EXISTS, &err) == 0 && insns[10].imm == 1);
	CHECK(apply(&env, insns, 15, 11, L_ENUM, 0, NYK_CORE_ENUMVAL_VALUE, &err) == 0 && insns[11].imm == 10 &&
	      insns[12].imm == 0);
	CHECK(apply(&env, insns, 15, 13, L_TYPEDEF, 0, NYK_CORE_TYPE_SIZE, &err) == 0 && insns[13].imm == 20);
	CHECK(apply(&env, insns, 15, 14, L_MISSING, 0, NYK_CORE_TYPE_EXISTS, &err) == 0 && insns[14].imm == 0);
	nyk_btf_free(env.local);
	nyk_btf_free(env.target);
}

TEST(core_failures)
{
	struct core_env env;
	struct nyk_error err;
	struct nyk_insn insns[] = {
		LDX(NYK_SIZE_W, 8),    /* s.gone: missing in the target */
		LDX(NYK_SIZE_H, 6),    /* s.v: short -> int, signed: cannot resize */
		LDX(NYK_SIZE_W, 3),    /* s.a but the offset is wrong */
		LDX(NYK_SIZE_W, 0),    /* amb.a: two candidates disagree */
		MOVK(1),               /* exists s.gone: 1 -> 0 */
	};

	CHECK_MSG(build_core(&env, &err) == 0, "%s", err.message);
	CHECK(apply(&env, insns, 5, 0, L_S, 4, NYK_CORE_FIELD_BYTE_OFFSET, &err) == -ESRCH);
	CHECK_MSG(strstr(err.message, "CO-RE byte_off of struct s.gone: struct s has no field 'gone' in the target BTF"),
		  "%s", err.message);
	CHECK(insns[0].opcode == (NYK_CLASS_JMP | NYK_JMP_CALL) && insns[0].imm == NYK_CORE_POISON_HELPER);
	CHECK(apply(&env, insns, 5, 4, L_S, 4, NYK_CORE_FIELD_EXISTS, &err) == 0 && insns[4].imm == 0);
	CHECK(apply(&env, insns, 5, 1, L_S, 3, NYK_CORE_FIELD_BYTE_OFFSET, &err) == -ESRCH);
	CHECK_MSG(strstr(err.message, "size changed from 2 to 4"), "%s", err.message);
	CHECK(apply(&env, insns, 5, 2, L_S, 1, NYK_CORE_FIELD_BYTE_OFFSET, &err) == -EINVAL);
	CHECK_MSG(strstr(err.message, "offset is 3 where the object's BTF gives 0"), "%s", err.message);
	CHECK_EQ(insns[2].off, 3);   /* untouched */
	CHECK(apply(&env, insns, 5, 3, L_AMB, 1, NYK_CORE_FIELD_BYTE_OFFSET, &err) == -EINVAL);
	CHECK_MSG(strstr(err.message, "ambiguous"), "%s", err.message);
	CHECK(apply(&env, insns, 5, 4, L_S, 6, NYK_CORE_FIELD_BYTE_OFFSET, &err) == -EINVAL);
	CHECK_MSG(strstr(err.message, "member index 9"), "%s", err.message);
	CHECK(apply(&env, insns, 5, 4, L_S, 7, NYK_CORE_FIELD_BYTE_OFFSET, &err) == -EINVAL);
	CHECK(apply(&env, insns, 5, 4, L_S, 8, NYK_CORE_FIELD_BYTE_OFFSET, &err) == -EINVAL);
	CHECK(apply(&env, insns, 5, 4, L_S, 9, NYK_CORE_FIELD_BYTE_OFFSET, &err) == -EINVAL);
	CHECK(apply(&env, insns, 5, 4, L_S, 1, NYK_CORE_TYPE_SIZE, &err) == -EINVAL);   /* type relo wants "0" */
	CHECK(apply(&env, insns, 5, 9, L_S, 1, NYK_CORE_FIELD_BYTE_OFFSET, &err) == -EINVAL);
	CHECK_MSG(strstr(err.message, "past the end"), "%s", err.message);
	CHECK(apply(&env, insns, 5, 4, 99, 1, NYK_CORE_FIELD_BYTE_OFFSET, &err) == -EINVAL);
	CHECK(apply(&env, insns, 5, 4, L_S, 1, 42, &err) < 0);
	nyk_btf_free(env.local);
	nyk_btf_free(env.target);
}

TEST(core_own_btf_is_identity)
{
	struct core_env env;
	struct nyk_error err;
	struct nyk_insn insns[] = { LDX(NYK_SIZE_H, 6), MOVK(12) };

	CHECK_MSG(build_core(&env, &err) == 0, "%s", err.message);
	CHECK(nyk_core_apply(insns, 2, &(struct nyk_btf_core_relo){ 0, L_S, env.acc[3], NYK_CORE_FIELD_BYTE_OFFSET },
			     env.local, env.local, &err) == 0);
	CHECK(insns[0].off == 6 && (insns[0].opcode & 0x18) == NYK_SIZE_H);
	CHECK(nyk_core_apply(insns, 2, &(struct nyk_btf_core_relo){ 1, L_S, env.acc[0], NYK_CORE_TYPE_SIZE }, env.local,
			     env.local, &err) == 0);
	CHECK_EQ(insns[1].imm, 12);
	nyk_btf_free(env.local);
	nyk_btf_free(env.target);
}

/* ---- files ------------------------------------------------------------- */

TEST(btf_load_files)
{
	struct bb b;
	struct nyk_btf *btf;
	struct nyk_error err;
	char path[] = "/tmp/nyk-btf-XXXXXX";
	int fd = mkstemp(path);
	FILE *f;
	size_t n;

	CHECK(fd >= 0);
	f = fdopen(fd, "wb");
	build_world(&b);
	n = bb_blob(&b, blob, 0);
	CHECK(fwrite(blob, 1, n, f) == n);
	fclose(f);
	nyk_error_clear(&err);
	CHECK_MSG(nyk_btf_load_file(path, &btf, &err) == 0, "%s", err.message);
	CHECK_EQ(nyk_btf_type_count(btf), T_COUNT);
	nyk_btf_free(btf);
	remove(path);
	nyk_error_clear(&err);
	CHECK(nyk_btf_load_file(path, &btf, &err) < 0 && strstr(err.message, "cannot open") && !strcmp(err.file, path));
}

TEST(btf_vmlinux_if_present)
{
	struct nyk_btf *btf;
	struct nyk_error err;
	int64_t id;
	FILE *f = fopen("/sys/kernel/btf/vmlinux", "rb");

	if (!f)
		return;   /* no kernel BTF here: tests/btf/run.sh reports the skip */
	fclose(f);
	nyk_error_clear(&err);
	CHECK_MSG(nyk_btf_load_file("/sys/kernel/btf/vmlinux", &btf, &err) == 0, "%s", err.message);
	CHECK(nyk_btf_type_count(btf) > 1000);
	id = nyk_btf_find(btf, "task_struct", NYK_BTF_STRUCT);
	CHECK(id > 0);
	CHECK(nyk_btf_size(btf, (uint32_t)id) > 1000);
	nyk_btf_free(btf);
}
