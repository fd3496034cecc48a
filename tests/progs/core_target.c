/*
 * core_target.c - not a test by itself: its BTF is the CO-RE target of
 * core_reads.c (`--btf core_target.o`), with struct record laid out
 * differently, one field fewer, and enum color with other values.
 */
//! companion
#define CORE_TARGET_LAYOUT
#include "core_types.h"

struct record target_record;
enum color target_color;

int use_types(void)
{
	return target_record.id + target_color;
}
