/*
 * core_helpers.h - CO-RE builtins of clang, spelled out for the test
 * programs (what libbpf's bpf_core_read.h offers, without needing it).
 * The kinds are the kernel's enum bpf_core_relo_kind.
 */
#ifndef CORE_HELPERS_H
#define CORE_HELPERS_H

#define SEC(name) __attribute__((section(name), used))

enum {
	FIELD_BYTE_OFFSET = 0, FIELD_BYTE_SIZE = 1, FIELD_EXISTS = 2, FIELD_SIGNED = 3,
	FIELD_LSHIFT_U64 = 4, FIELD_RSHIFT_U64 = 5,
};
enum { TYPE_ID_LOCAL = 0, TYPE_ID_TARGET = 1 };
enum { TYPE_EXISTS = 0, TYPE_SIZE = 1, TYPE_MATCHES = 2 };
enum { ENUMVAL_EXISTS = 0, ENUMVAL_VALUE = 1 };

#define field_info(field, kind) __builtin_preserve_field_info(field, kind)
#define field_exists(field) field_info(field, FIELD_EXISTS)
#define field_size(field) field_info(field, FIELD_BYTE_SIZE)
#define field_offset(field) field_info(field, FIELD_BYTE_OFFSET)
#define field_signed(field) field_info(field, FIELD_SIGNED)
#define type_exists(type) __builtin_preserve_type_info(*(__typeof__(type) *)0, TYPE_EXISTS)
#define type_size(type) __builtin_preserve_type_info(*(__typeof__(type) *)0, TYPE_SIZE)
#define type_id_target(type) __builtin_btf_type_id(*(__typeof__(type) *)0, TYPE_ID_TARGET)
#define enum_exists(type, value) __builtin_preserve_enum_value(*(__typeof__(type) *)value, ENUMVAL_EXISTS)
#define enum_value(type, value) __builtin_preserve_enum_value(*(__typeof__(type) *)value, ENUMVAL_VALUE)

/* A bitfield read the way libbpf's BPF_CORE_READ_BITFIELD does it: load, shift left, shift right. */
#define read_bitfield(s, field)                                                           \
	({                                                                                \
		const void *p_ = (const void *)(s) + field_offset((s)->field);            \
		unsigned long long v_ = 0;                                                \
		switch (field_size((s)->field)) {                                         \
		case 1: v_ = *(const unsigned char *)p_; break;                           \
		case 2: v_ = *(const unsigned short *)p_; break;                          \
		case 4: v_ = *(const unsigned int *)p_; break;                            \
		case 8: v_ = *(const unsigned long long *)p_; break;                      \
		}                                                                         \
		v_ <<= field_info((s)->field, FIELD_LSHIFT_U64);                          \
		if (field_signed((s)->field))                                             \
			v_ = (long long)v_ >> field_info((s)->field, FIELD_RSHIFT_U64);   \
		else                                                                      \
			v_ = v_ >> field_info((s)->field, FIELD_RSHIFT_U64);              \
		v_;                                                                       \
	})

#endif
