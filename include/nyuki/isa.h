/*
 * nyuki/isa.h - the eBPF instruction set, described once.
 *
 * Every instruction of RFC 9669 (and the Linux kernel's instruction-set
 * document) is one row of a table (struct nyk_insn_desc). The assembler,
 * the disassembler, the validator and the interpreter all read that table:
 * adding an instruction is one row plus its semantics in each executor.
 *
 * Encoding of one 64-bit instruction slot (little-endian layout):
 *
 *   63          32 31      16 15   12 11    8 7             0
 *  +--------------+----------+-------+-------+---------------+
 *  |     imm      |   off    |  src  |  dst  |    opcode     |
 *  +--------------+----------+-------+-------+---------------+
 *
 *  opcode, ALU/ALU64/JMP/JMP32:   | op (4) | s (1) | class (3) |
 *                                  s = 0 immediate (K), 1 register (X)
 *  opcode, LD/LDX/ST/STX:         | mode (3) | size (2) | class (3) |
 *
 * lddw takes two slots; the second has opcode 0 and carries the upper
 * 32 bits of the constant in its imm.
 */
#ifndef NYUKI_ISA_H
#define NYUKI_ISA_H

#include <stddef.h>
#include <stdint.h>

#include "nyuki/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One instruction slot, as stored in objects and raw bytecode files. */
struct nyk_insn {
	uint8_t opcode;
	uint8_t regs;   /* dst in the low nibble, src in the high nibble */
	int16_t off;
	int32_t imm;
};

static inline unsigned nyk_insn_dst(const struct nyk_insn *i) { return i->regs & 0x0f; }
static inline unsigned nyk_insn_src(const struct nyk_insn *i) { return i->regs >> 4; }
static inline uint8_t nyk_insn_regs(unsigned dst, unsigned src)
{
	return (uint8_t)((dst & 0x0f) | ((src & 0x0f) << 4));
}

/* Instruction classes (low 3 bits of the opcode). */
enum {
	NYK_CLASS_LD = 0x00, NYK_CLASS_LDX = 0x01, NYK_CLASS_ST = 0x02, NYK_CLASS_STX = 0x03,
	NYK_CLASS_ALU = 0x04, NYK_CLASS_JMP = 0x05, NYK_CLASS_JMP32 = 0x06, NYK_CLASS_ALU64 = 0x07,
};

/* Source bit of ALU/JMP opcodes. */
enum { NYK_SRC_K = 0x00, NYK_SRC_X = 0x08 };

/* ALU operation codes (high 4 bits). */
enum {
	NYK_ALU_ADD = 0x00, NYK_ALU_SUB = 0x10, NYK_ALU_MUL = 0x20, NYK_ALU_DIV = 0x30,
	NYK_ALU_OR = 0x40, NYK_ALU_AND = 0x50, NYK_ALU_LSH = 0x60, NYK_ALU_RSH = 0x70,
	NYK_ALU_NEG = 0x80, NYK_ALU_MOD = 0x90, NYK_ALU_XOR = 0xa0, NYK_ALU_MOV = 0xb0,
	NYK_ALU_ARSH = 0xc0, NYK_ALU_END = 0xd0,
};

/* Jump operation codes (high 4 bits). */
enum {
	NYK_JMP_JA = 0x00, NYK_JMP_JEQ = 0x10, NYK_JMP_JGT = 0x20, NYK_JMP_JGE = 0x30,
	NYK_JMP_JSET = 0x40, NYK_JMP_JNE = 0x50, NYK_JMP_JSGT = 0x60, NYK_JMP_JSGE = 0x70,
	NYK_JMP_CALL = 0x80, NYK_JMP_EXIT = 0x90, NYK_JMP_JLT = 0xa0, NYK_JMP_JLE = 0xb0,
	NYK_JMP_JSLT = 0xc0, NYK_JMP_JSLE = 0xd0,
};

/* Load/store sizes and modes. */
enum { NYK_SIZE_W = 0x00, NYK_SIZE_H = 0x08, NYK_SIZE_B = 0x10, NYK_SIZE_DW = 0x18 };
enum {
	NYK_MODE_IMM = 0x00, NYK_MODE_ABS = 0x20, NYK_MODE_IND = 0x40, NYK_MODE_MEM = 0x60,
	NYK_MODE_MEMSX = 0x80, NYK_MODE_ATOMIC = 0xc0,
};

/* Atomic operations (imm of STX|ATOMIC). */
enum {
	NYK_ATOMIC_FETCH = 0x01,
	NYK_ATOMIC_ADD = 0x00, NYK_ATOMIC_OR = 0x40, NYK_ATOMIC_AND = 0x50, NYK_ATOMIC_XOR = 0xa0,
	NYK_ATOMIC_XCHG = 0xe0 | NYK_ATOMIC_FETCH, NYK_ATOMIC_CMPXCHG = 0xf0 | NYK_ATOMIC_FETCH,
};

/* src field of call instructions. */
enum { NYK_CALL_HELPER = 0, NYK_CALL_LOCAL = 1, NYK_CALL_KFUNC = 2 };

/* src field of lddw: what the 64-bit immediate means. */
enum {
	NYK_PSEUDO_NONE = 0,            /* plain 64-bit constant */
	NYK_PSEUDO_MAP_FD = 1,          /* imm = map fd */
	NYK_PSEUDO_MAP_VALUE = 2,       /* imm = map fd, next imm = offset into value */
	NYK_PSEUDO_BTF_ID = 3,          /* imm = BTF id of a kernel variable */
	NYK_PSEUDO_FUNC = 4,            /* imm = relative instruction offset of a function */
	NYK_PSEUDO_MAP_IDX = 5,         /* imm = map index */
	NYK_PSEUDO_MAP_IDX_VALUE = 6,   /* imm = map index, next imm = offset into value */
};

enum { NYK_REG_COUNT = 11, NYK_REG_FP = 10 };
enum { NYK_STACK_SIZE = 512, NYK_MAX_CALL_DEPTH = 8 };

/* ISA versions, as clang's -mcpu=v1..v4 name them. */
enum nyk_isa_version { NYK_V1 = 1, NYK_V2 = 2, NYK_V3 = 3, NYK_V4 = 4 };

/* RFC 9669 conformance groups (plus callx, which the RFC leaves open). */
enum nyk_conformance_group {
	NYK_GROUP_BASE32, NYK_GROUP_BASE64, NYK_GROUP_ATOMIC32, NYK_GROUP_ATOMIC64,
	NYK_GROUP_DIVMUL32, NYK_GROUP_DIVMUL64, NYK_GROUP_PACKET, NYK_GROUP_CALLX,
	NYK_GROUP_COUNT
};

/*
 * How an instruction's operands are written. Both assembly syntaxes and the
 * disassembler are driven by this.
 */
enum nyk_operand_form {
	NYK_FORM_ALU_K,       /* dst op= imm */
	NYK_FORM_ALU_X,       /* dst op= src */
	NYK_FORM_NEG,         /* dst = -dst */
	NYK_FORM_MOVSX,       /* dst = (sN)src, N = off */
	NYK_FORM_END,         /* dst = le/be/bswap N dst, N = imm */
	NYK_FORM_JA,          /* goto off */
	NYK_FORM_JA32,        /* gotol imm */
	NYK_FORM_JMP_K,       /* if dst op imm goto off */
	NYK_FORM_JMP_X,       /* if dst op src goto off */
	NYK_FORM_CALL,        /* call imm (helper id) */
	NYK_FORM_CALL_LOCAL,  /* call pc + imm + 1 */
	NYK_FORM_CALL_KFUNC,  /* call kfunc with BTF id imm */
	NYK_FORM_CALLX,       /* call the function whose address/id is in dst */
	NYK_FORM_EXIT,        /* return r0 */
	NYK_FORM_LDX,         /* dst = *(size *)(src + off) */
	NYK_FORM_ST,          /* *(size *)(dst + off) = imm */
	NYK_FORM_STX,         /* *(size *)(dst + off) = src */
	NYK_FORM_ATOMIC,      /* atomic op on *(size *)(dst + off) with src */
	NYK_FORM_LDDW,        /* dst = 64-bit immediate (two slots) */
	NYK_FORM_LD_ABS,      /* r0 = packet[imm] */
	NYK_FORM_LD_IND,      /* r0 = packet[src + imm] */
	NYK_FORM_COUNT
};

/* Which field an opcode shares with other rows, selecting this row. */
enum nyk_selector { NYK_SEL_NONE, NYK_SEL_OFF, NYK_SEL_IMM, NYK_SEL_SRC };

/* Bits of nyk_insn_desc.fields: fields that carry operands. */
enum { NYK_F_DST = 1, NYK_F_SRC = 2, NYK_F_OFF = 4, NYK_F_IMM = 8 };

struct nyk_insn_desc {
	const char *name;     /* mnemonic of the conformance dialect: "add32", "ldxw" */
	const char *op;       /* C-like operator: "+", "s/", "==", "s<", "le", "xchg" */
	uint8_t opcode;
	uint8_t selector;     /* enum nyk_selector */
	int32_t sel_value;    /* required value of the selector field */
	uint8_t form;         /* enum nyk_operand_form */
	uint8_t fields;       /* NYK_F_*: fields with operands; others must be 0 */
	uint8_t size;         /* bytes accessed in memory (1,2,4,8), 0 if none */
	uint8_t is64;         /* operates on 64-bit values (ALU64, JMP, DW atomics) */
	uint8_t version;      /* enum nyk_isa_version that introduced it */
	uint8_t group;        /* enum nyk_conformance_group */
};

/* The table: every instruction, each once. `count` receives the row count. */
const struct nyk_insn_desc *nyk_isa_table(size_t *count);

/* Index of a row in the table (for per-row dispatch tables). */
size_t nyk_isa_index(const struct nyk_insn_desc *desc);

/* The row that describes an instruction slot, or NULL if no row matches. */
const struct nyk_insn_desc *nyk_isa_lookup(const struct nyk_insn *insn);

/* Name of a conformance group ("base32", ...) and of a version ("v1", ...). */
const char *nyk_group_name(unsigned group);

/* Number of slots the instruction at `insn` occupies (2 for lddw, else 1). */
static inline unsigned nyk_insn_slots(const struct nyk_insn *insn)
{
	return insn->opcode == (NYK_CLASS_LD | NYK_MODE_IMM | NYK_SIZE_DW) ? 2 : 1;
}

/*
 * Validate a program the way a loader must before any executor sees it:
 * every slot is a known instruction with its unused fields zero, registers
 * are r0..r10 and r10 is never written, lddw has its second slot, every
 * jump and local call lands on an instruction inside the program (not the
 * middle of an lddw), and the last instruction cannot fall through off the
 * end. On failure fills `err` with the instruction index and the reason.
 */
int nyk_validate(const struct nyk_insn *insns, size_t count, struct nyk_error *err);

#ifdef __cplusplus
}
#endif

#endif
