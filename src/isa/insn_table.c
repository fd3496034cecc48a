/*
 * insn_table.c - the one table of eBPF instructions (RFC 9669 and the
 * Linux kernel's instruction-set document).
 *
 * Each row names an instruction, its encoding (opcode plus, where several
 * instructions share an opcode, the value of the field that tells them
 * apart), the fields that carry operands, the ISA version that introduced
 * it and its conformance group. The interpreter dispatches on the row
 * index, so the order of rows is free.
 */
#include "isa/isa_internal.h"

#define ROW(name, op, opcode, sel, selv, form, fields, size, is64, ver, grp) \
	{ name, op, (uint8_t)(opcode), sel, selv, form, fields, size, is64, ver, grp }

#define DI (NYK_F_DST | NYK_F_IMM)
#define DS (NYK_F_DST | NYK_F_SRC)
#define DSO (NYK_F_DST | NYK_F_SRC | NYK_F_OFF)
#define DIO (NYK_F_DST | NYK_F_IMM | NYK_F_OFF)

/* 32-bit and 64-bit ALU operation, immediate and register forms. */
#define ALU(n, op, code, g32, g64)                                                              \
	ROW(n "32", op, NYK_CLASS_ALU | NYK_SRC_K | code, NYK_SEL_NONE, 0, NYK_FORM_ALU_K, DI, 0, 0, NYK_V1, g32),   \
	ROW(n "32", op, NYK_CLASS_ALU | NYK_SRC_X | code, NYK_SEL_NONE, 0, NYK_FORM_ALU_X, DS, 0, 0, NYK_V1, g32),   \
	ROW(n, op, NYK_CLASS_ALU64 | NYK_SRC_K | code, NYK_SEL_NONE, 0, NYK_FORM_ALU_K, DI, 0, 1, NYK_V1, g64),      \
	ROW(n, op, NYK_CLASS_ALU64 | NYK_SRC_X | code, NYK_SEL_NONE, 0, NYK_FORM_ALU_X, DS, 0, 1, NYK_V1, g64)

/* ALU operation that shares its opcode with a variant selected by off. */
#define ALU_OFF(n, op, code, offv, ver, g32, g64)                                                     \
	ROW(n "32", op, NYK_CLASS_ALU | NYK_SRC_K | code, NYK_SEL_OFF, offv, NYK_FORM_ALU_K, DI, 0, 0, ver, g32),   \
	ROW(n "32", op, NYK_CLASS_ALU | NYK_SRC_X | code, NYK_SEL_OFF, offv, NYK_FORM_ALU_X, DS, 0, 0, ver, g32),   \
	ROW(n, op, NYK_CLASS_ALU64 | NYK_SRC_K | code, NYK_SEL_OFF, offv, NYK_FORM_ALU_K, DI, 0, 1, ver, g64),      \
	ROW(n, op, NYK_CLASS_ALU64 | NYK_SRC_X | code, NYK_SEL_OFF, offv, NYK_FORM_ALU_X, DS, 0, 1, ver, g64)

#define END(n, op, opcode, bits, ver, grp) \
	ROW(n #bits, op, opcode, NYK_SEL_IMM, bits, NYK_FORM_END, NYK_F_DST, 0, 0, ver, grp)

/* Conditional jump, 64-bit (JMP) and 32-bit (JMP32) compares. */
#define JCOND(n, op, code, ver)                                                                         \
	ROW(n, op, NYK_CLASS_JMP | NYK_SRC_K | code, NYK_SEL_NONE, 0, NYK_FORM_JMP_K, DIO, 0, 1, ver, NYK_GROUP_BASE64), \
	ROW(n, op, NYK_CLASS_JMP | NYK_SRC_X | code, NYK_SEL_NONE, 0, NYK_FORM_JMP_X, DSO, 0, 1, ver, NYK_GROUP_BASE64), \
	ROW(n "32", op, NYK_CLASS_JMP32 | NYK_SRC_K | code, NYK_SEL_NONE, 0, NYK_FORM_JMP_K, DIO, 0, 0, NYK_V3, NYK_GROUP_BASE32), \
	ROW(n "32", op, NYK_CLASS_JMP32 | NYK_SRC_X | code, NYK_SEL_NONE, 0, NYK_FORM_JMP_X, DSO, 0, 0, NYK_V3, NYK_GROUP_BASE32)

#define LDX(n, size, bytes, mode, ver, grp) \
	ROW(n, "", NYK_CLASS_LDX | mode | size, NYK_SEL_NONE, 0, NYK_FORM_LDX, DSO, bytes, 0, ver, grp)
#define ST(n, size, bytes, grp) \
	ROW(n, "", NYK_CLASS_ST | NYK_MODE_MEM | size, NYK_SEL_NONE, 0, NYK_FORM_ST, DIO, bytes, 0, NYK_V1, grp)
#define STX(n, size, bytes, grp) \
	ROW(n, "", NYK_CLASS_STX | NYK_MODE_MEM | size, NYK_SEL_NONE, 0, NYK_FORM_STX, DSO, bytes, 0, NYK_V1, grp)

/* Atomic operation on 32-bit (W) and 64-bit (DW) memory, selected by imm. */
#define ATOMIC(n, op, aop, ver)                                                                         \
	ROW("lock " n "32", op, NYK_CLASS_STX | NYK_MODE_ATOMIC | NYK_SIZE_W, NYK_SEL_IMM, aop, NYK_FORM_ATOMIC, \
	    DSO, 4, 0, ver, NYK_GROUP_ATOMIC32),                                                                 \
	ROW("lock " n, op, NYK_CLASS_STX | NYK_MODE_ATOMIC | NYK_SIZE_DW, NYK_SEL_IMM, aop, NYK_FORM_ATOMIC,     \
	    DSO, 8, 1, ver, NYK_GROUP_ATOMIC64)

#define LDDW(src) \
	ROW("lddw", "", NYK_CLASS_LD | NYK_MODE_IMM | NYK_SIZE_DW, NYK_SEL_SRC, src, NYK_FORM_LDDW, DI, 0, 1, NYK_V1, NYK_GROUP_BASE64)

#define LDPKT(n, mode, size, bytes, form, fields) \
	ROW(n, "", NYK_CLASS_LD | mode | size, NYK_SEL_NONE, 0, form, fields, bytes, 0, NYK_V1, NYK_GROUP_PACKET)

static const struct nyk_insn_desc insn_table[] = {
	/* Arithmetic and logic, RFC 9669 section 4.1. */
	ALU("add", "+", NYK_ALU_ADD, NYK_GROUP_BASE32, NYK_GROUP_BASE64),
	ALU("sub", "-", NYK_ALU_SUB, NYK_GROUP_BASE32, NYK_GROUP_BASE64),
	ALU("mul", "*", NYK_ALU_MUL, NYK_GROUP_DIVMUL32, NYK_GROUP_DIVMUL64),
	ALU_OFF("div", "/", NYK_ALU_DIV, 0, NYK_V1, NYK_GROUP_DIVMUL32, NYK_GROUP_DIVMUL64),
	ALU_OFF("sdiv", "s/", NYK_ALU_DIV, 1, NYK_V4, NYK_GROUP_DIVMUL32, NYK_GROUP_DIVMUL64),
	ALU("or", "|", NYK_ALU_OR, NYK_GROUP_BASE32, NYK_GROUP_BASE64),
	ALU("and", "&", NYK_ALU_AND, NYK_GROUP_BASE32, NYK_GROUP_BASE64),
	ALU("lsh", "<<", NYK_ALU_LSH, NYK_GROUP_BASE32, NYK_GROUP_BASE64),
	ALU("rsh", ">>", NYK_ALU_RSH, NYK_GROUP_BASE32, NYK_GROUP_BASE64),
	ALU_OFF("mod", "%", NYK_ALU_MOD, 0, NYK_V1, NYK_GROUP_DIVMUL32, NYK_GROUP_DIVMUL64),
	ALU_OFF("smod", "s%", NYK_ALU_MOD, 1, NYK_V4, NYK_GROUP_DIVMUL32, NYK_GROUP_DIVMUL64),
	ALU("xor", "^", NYK_ALU_XOR, NYK_GROUP_BASE32, NYK_GROUP_BASE64),
	ROW("mov32", "", NYK_CLASS_ALU | NYK_SRC_K | NYK_ALU_MOV, NYK_SEL_NONE, 0, NYK_FORM_ALU_K, DI, 0, 0, NYK_V1, NYK_GROUP_BASE32),
	ROW("mov32", "", NYK_CLASS_ALU | NYK_SRC_X | NYK_ALU_MOV, NYK_SEL_OFF, 0, NYK_FORM_ALU_X, DS, 0, 0, NYK_V1, NYK_GROUP_BASE32),
	ROW("mov", "", NYK_CLASS_ALU64 | NYK_SRC_K | NYK_ALU_MOV, NYK_SEL_NONE, 0, NYK_FORM_ALU_K, DI, 0, 1, NYK_V1, NYK_GROUP_BASE64),
	ROW("mov", "", NYK_CLASS_ALU64 | NYK_SRC_X | NYK_ALU_MOV, NYK_SEL_OFF, 0, NYK_FORM_ALU_X, DS, 0, 1, NYK_V1, NYK_GROUP_BASE64),
	ROW("movsx832", "", NYK_CLASS_ALU | NYK_SRC_X | NYK_ALU_MOV, NYK_SEL_OFF, 8, NYK_FORM_MOVSX, DS, 0, 0, NYK_V4, NYK_GROUP_BASE32),
	ROW("movsx1632", "", NYK_CLASS_ALU | NYK_SRC_X | NYK_ALU_MOV, NYK_SEL_OFF, 16, NYK_FORM_MOVSX, DS, 0, 0, NYK_V4, NYK_GROUP_BASE32),
	ROW("movsx864", "", NYK_CLASS_ALU64 | NYK_SRC_X | NYK_ALU_MOV, NYK_SEL_OFF, 8, NYK_FORM_MOVSX, DS, 0, 1, NYK_V4, NYK_GROUP_BASE64),
	ROW("movsx1664", "", NYK_CLASS_ALU64 | NYK_SRC_X | NYK_ALU_MOV, NYK_SEL_OFF, 16, NYK_FORM_MOVSX, DS, 0, 1, NYK_V4, NYK_GROUP_BASE64),
	ROW("movsx3264", "", NYK_CLASS_ALU64 | NYK_SRC_X | NYK_ALU_MOV, NYK_SEL_OFF, 32, NYK_FORM_MOVSX, DS, 0, 1, NYK_V4, NYK_GROUP_BASE64),
	ALU("arsh", "s>>", NYK_ALU_ARSH, NYK_GROUP_BASE32, NYK_GROUP_BASE64),
	ROW("neg32", "-", NYK_CLASS_ALU | NYK_SRC_K | NYK_ALU_NEG, NYK_SEL_NONE, 0, NYK_FORM_NEG, NYK_F_DST, 0, 0, NYK_V1, NYK_GROUP_BASE32),
	ROW("neg", "-", NYK_CLASS_ALU64 | NYK_SRC_K | NYK_ALU_NEG, NYK_SEL_NONE, 0, NYK_FORM_NEG, NYK_F_DST, 0, 1, NYK_V1, NYK_GROUP_BASE64),

	/* Byte swaps, RFC 9669 section 4.2. */
	END("le", "le", NYK_CLASS_ALU | NYK_SRC_K | NYK_ALU_END, 16, NYK_V1, NYK_GROUP_BASE32),
	END("le", "le", NYK_CLASS_ALU | NYK_SRC_K | NYK_ALU_END, 32, NYK_V1, NYK_GROUP_BASE32),
	END("le", "le", NYK_CLASS_ALU | NYK_SRC_K | NYK_ALU_END, 64, NYK_V1, NYK_GROUP_BASE64),
	END("be", "be", NYK_CLASS_ALU | NYK_SRC_X | NYK_ALU_END, 16, NYK_V1, NYK_GROUP_BASE32),
	END("be", "be", NYK_CLASS_ALU | NYK_SRC_X | NYK_ALU_END, 32, NYK_V1, NYK_GROUP_BASE32),
	END("be", "be", NYK_CLASS_ALU | NYK_SRC_X | NYK_ALU_END, 64, NYK_V1, NYK_GROUP_BASE64),
	END("bswap", "bswap", NYK_CLASS_ALU64 | NYK_SRC_K | NYK_ALU_END, 16, NYK_V4, NYK_GROUP_BASE32),
	END("bswap", "bswap", NYK_CLASS_ALU64 | NYK_SRC_K | NYK_ALU_END, 32, NYK_V4, NYK_GROUP_BASE32),
	END("bswap", "bswap", NYK_CLASS_ALU64 | NYK_SRC_K | NYK_ALU_END, 64, NYK_V4, NYK_GROUP_BASE64),

	/* Jumps, calls and exit, RFC 9669 section 4.3. */
	ROW("ja", "", NYK_CLASS_JMP | NYK_JMP_JA, NYK_SEL_NONE, 0, NYK_FORM_JA, NYK_F_OFF, 0, 0, NYK_V1, NYK_GROUP_BASE32),
	ROW("ja32", "", NYK_CLASS_JMP32 | NYK_JMP_JA, NYK_SEL_NONE, 0, NYK_FORM_JA32, NYK_F_IMM, 0, 0, NYK_V4, NYK_GROUP_BASE32),
	JCOND("jeq", "==", NYK_JMP_JEQ, NYK_V1),
	JCOND("jgt", ">", NYK_JMP_JGT, NYK_V1),
	JCOND("jge", ">=", NYK_JMP_JGE, NYK_V1),
	JCOND("jset", "&", NYK_JMP_JSET, NYK_V1),
	JCOND("jne", "!=", NYK_JMP_JNE, NYK_V1),
	JCOND("jsgt", "s>", NYK_JMP_JSGT, NYK_V1),
	JCOND("jsge", "s>=", NYK_JMP_JSGE, NYK_V1),
	JCOND("jlt", "<", NYK_JMP_JLT, NYK_V2),
	JCOND("jle", "<=", NYK_JMP_JLE, NYK_V2),
	JCOND("jslt", "s<", NYK_JMP_JSLT, NYK_V2),
	JCOND("jsle", "s<=", NYK_JMP_JSLE, NYK_V2),
	ROW("call", "", NYK_CLASS_JMP | NYK_JMP_CALL, NYK_SEL_SRC, NYK_CALL_HELPER, NYK_FORM_CALL, NYK_F_IMM, 0, 0, NYK_V1, NYK_GROUP_BASE32),
	ROW("call local", "", NYK_CLASS_JMP | NYK_JMP_CALL, NYK_SEL_SRC, NYK_CALL_LOCAL, NYK_FORM_CALL_LOCAL, NYK_F_IMM, 0, 0, NYK_V1, NYK_GROUP_BASE32),
	/* For kfuncs the kernel keeps an index into its BTF fd array in off. */
	ROW("call runtime", "", NYK_CLASS_JMP | NYK_JMP_CALL, NYK_SEL_SRC, NYK_CALL_KFUNC, NYK_FORM_CALL_KFUNC, NYK_F_IMM | NYK_F_OFF, 0, 0, NYK_V1, NYK_GROUP_BASE32),
	ROW("callx", "", NYK_CLASS_JMP | NYK_SRC_X | NYK_JMP_CALL, NYK_SEL_NONE, 0, NYK_FORM_CALLX, NYK_F_DST, 0, 0, NYK_V1, NYK_GROUP_CALLX),
	ROW("exit", "", NYK_CLASS_JMP | NYK_JMP_EXIT, NYK_SEL_NONE, 0, NYK_FORM_EXIT, 0, 0, 0, NYK_V1, NYK_GROUP_BASE32),

	/* Loads and stores, RFC 9669 section 5.1 and 5.2. */
	LDX("ldxw", NYK_SIZE_W, 4, NYK_MODE_MEM, NYK_V1, NYK_GROUP_BASE32),
	LDX("ldxh", NYK_SIZE_H, 2, NYK_MODE_MEM, NYK_V1, NYK_GROUP_BASE32),
	LDX("ldxb", NYK_SIZE_B, 1, NYK_MODE_MEM, NYK_V1, NYK_GROUP_BASE32),
	LDX("ldxdw", NYK_SIZE_DW, 8, NYK_MODE_MEM, NYK_V1, NYK_GROUP_BASE64),
	LDX("ldxsw", NYK_SIZE_W, 4, NYK_MODE_MEMSX, NYK_V4, NYK_GROUP_BASE64),
	LDX("ldxsh", NYK_SIZE_H, 2, NYK_MODE_MEMSX, NYK_V4, NYK_GROUP_BASE64),
	LDX("ldxsb", NYK_SIZE_B, 1, NYK_MODE_MEMSX, NYK_V4, NYK_GROUP_BASE64),
	ST("stw", NYK_SIZE_W, 4, NYK_GROUP_BASE32),
	ST("sth", NYK_SIZE_H, 2, NYK_GROUP_BASE32),
	ST("stb", NYK_SIZE_B, 1, NYK_GROUP_BASE32),
	ST("stdw", NYK_SIZE_DW, 8, NYK_GROUP_BASE64),
	STX("stxw", NYK_SIZE_W, 4, NYK_GROUP_BASE32),
	STX("stxh", NYK_SIZE_H, 2, NYK_GROUP_BASE32),
	STX("stxb", NYK_SIZE_B, 1, NYK_GROUP_BASE32),
	STX("stxdw", NYK_SIZE_DW, 8, NYK_GROUP_BASE64),

	/* Atomic operations, RFC 9669 section 5.3. */
	ATOMIC("add", "+", NYK_ATOMIC_ADD, NYK_V1),
	ATOMIC("fetch add", "+", NYK_ATOMIC_ADD | NYK_ATOMIC_FETCH, NYK_V3),
	ATOMIC("or", "|", NYK_ATOMIC_OR, NYK_V3),
	ATOMIC("fetch or", "|", NYK_ATOMIC_OR | NYK_ATOMIC_FETCH, NYK_V3),
	ATOMIC("and", "&", NYK_ATOMIC_AND, NYK_V3),
	ATOMIC("fetch and", "&", NYK_ATOMIC_AND | NYK_ATOMIC_FETCH, NYK_V3),
	ATOMIC("xor", "^", NYK_ATOMIC_XOR, NYK_V3),
	ATOMIC("fetch xor", "^", NYK_ATOMIC_XOR | NYK_ATOMIC_FETCH, NYK_V3),
	ATOMIC("xchg", "xchg", NYK_ATOMIC_XCHG, NYK_V3),
	ATOMIC("cmpxchg", "cmpxchg", NYK_ATOMIC_CMPXCHG, NYK_V3),

	/* 64-bit immediate loads, RFC 9669 section 5.4, one row per source. */
	LDDW(NYK_PSEUDO_NONE),
	LDDW(NYK_PSEUDO_MAP_FD),
	LDDW(NYK_PSEUDO_MAP_VALUE),
	LDDW(NYK_PSEUDO_BTF_ID),
	LDDW(NYK_PSEUDO_FUNC),
	LDDW(NYK_PSEUDO_MAP_IDX),
	LDDW(NYK_PSEUDO_MAP_IDX_VALUE),

	/* Legacy packet access, RFC 9669 section 5.5. */
	LDPKT("ldabsw", NYK_MODE_ABS, NYK_SIZE_W, 4, NYK_FORM_LD_ABS, NYK_F_IMM),
	LDPKT("ldabsh", NYK_MODE_ABS, NYK_SIZE_H, 2, NYK_FORM_LD_ABS, NYK_F_IMM),
	LDPKT("ldabsb", NYK_MODE_ABS, NYK_SIZE_B, 1, NYK_FORM_LD_ABS, NYK_F_IMM),
	LDPKT("ldindw", NYK_MODE_IND, NYK_SIZE_W, 4, NYK_FORM_LD_IND, NYK_F_SRC | NYK_F_IMM),
	LDPKT("ldindh", NYK_MODE_IND, NYK_SIZE_H, 2, NYK_FORM_LD_IND, NYK_F_SRC | NYK_F_IMM),
	LDPKT("ldindb", NYK_MODE_IND, NYK_SIZE_B, 1, NYK_FORM_LD_IND, NYK_F_SRC | NYK_F_IMM),
};

_Static_assert(sizeof(insn_table) / sizeof(insn_table[0]) < 255, "row index must fit a byte");

const struct nyk_insn_desc *nyk_isa_table(size_t *count)
{
	if (count)
		*count = sizeof(insn_table) / sizeof(insn_table[0]);
	return insn_table;
}

size_t nyk_isa_index(const struct nyk_insn_desc *desc)
{
	return (size_t)(desc - insn_table);
}

const char *nyk_group_name(unsigned group)
{
	static const char *const names[NYK_GROUP_COUNT] = {
		"base32", "base64", "atomic32", "atomic64", "divmul32", "divmul64", "packet", "callx",
	};
	return group < NYK_GROUP_COUNT ? names[group] : "?";
}
