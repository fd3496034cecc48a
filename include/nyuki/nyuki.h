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
#include "nyuki/map.h"
#include "nyuki/btf.h"
#include "nyuki/progtype.h"
#include "nyuki/verifier.h"
#include "nyuki/helpers.h"
#include "nyuki/object.h"
/* nyuki/kernel.h (Linux only) is included on its own. */

#define NYK_VERSION "0.1.0"

#endif
