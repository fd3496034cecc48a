/*
 * test.h - a minimal unit-test harness. A test is a function declared with
 * TEST(name); CHECK* macros record a failure and leave the test.
 * nyuki-unit-tests runs every test (or those whose name contains argv[1])
 * and ends with the line "N passed, N failed".
 */
#ifndef NYUKI_TEST_H
#define NYUKI_TEST_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

typedef void (*test_fn)(void);
void test_register(const char *name, test_fn fn);
void test_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int test_failed(void);

#define TEST(name)                                                              \
	static void name(void);                                                 \
	__attribute__((constructor)) static void register_##name(void)         \
	{                                                                       \
		test_register(#name, name);                                     \
	}                                                                       \
	static void name(void)

#define CHECK(cond)                                                             \
	do {                                                                    \
		if (!(cond)) {                                                  \
			test_fail(__FILE__, __LINE__, "%s", #cond);             \
			return;                                                 \
		}                                                               \
	} while (0)

#define CHECK_MSG(cond, ...)                                                    \
	do {                                                                    \
		if (!(cond)) {                                                  \
			test_fail(__FILE__, __LINE__, __VA_ARGS__);             \
			return;                                                 \
		}                                                               \
	} while (0)

#define CHECK_EQ(a, b)                                                          \
	do {                                                                    \
		uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);                \
		if (a_ != b_) {                                                 \
			test_fail(__FILE__, __LINE__, "%s == %s: 0x%" PRIx64    \
				  " != 0x%" PRIx64, #a, #b, a_, b_);            \
			return;                                                 \
		}                                                               \
	} while (0)

#define CHECK_STR(a, b)                                                         \
	do {                                                                    \
		const char *a_ = (a), *b_ = (b);                                \
		if (!a_ || !b_ || strcmp(a_, b_) != 0) {                        \
			test_fail(__FILE__, __LINE__, "%s == %s: \"%s\" != \"%s\"", \
				  #a, #b, a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
			return;                                                 \
		}                                                               \
	} while (0)

#endif
