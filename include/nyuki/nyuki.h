/*
 * nyuki/nyuki.h - everything public in one include.
 */
#ifndef NYUKI_NYUKI_H
#define NYUKI_NYUKI_H

#include "nyuki/error.h"
#include "nyuki/isa.h"
#include "nyuki/asm.h"
#include "nyuki/vm.h"
#include "nyuki/elf.h"
#include "nyuki/conformance.h"

#define NYK_VERSION "0.1.0"

#endif
