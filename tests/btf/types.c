/*
 * types.c - C types of many shapes, for `nyuki btf dump`: the raw listing
 * is compared with bpftool's, and the C output must compile and lay every
 * struct out as the original (tests/btf/run.sh checks sizeof and offsetof).
 * Globals of each type make clang emit their BTF.
 */
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef long long s64;

enum color { RED, GREEN = 5, BLUE = 1000 };
enum neg { MINUS = -3, ZERO = 0, PLUS = 3 };
enum small_enum { SMALL_A = 1, SMALL_B = 2 } __attribute__((packed));
enum { ANON_ONE = 1, ANON_TWO = 2 };          /* only its constants matter */

struct list;
typedef struct list list_t;
struct list {
	list_t *next;
	struct list *prev;
	int value;
};

struct only_declared;
union only_declared_u;

struct bits {
	u32 a : 1;
	u32 b : 7;
	u32 : 0;
	u32 c : 20;
	u64 d : 40;
	u8 e : 3;
	int f : 5;
	enum color col : 8;
};

struct __attribute__((packed)) packed {
	u8 tag;
	u32 word;
	u16 half;
	u64 big;
};

struct aligned {
	char c;
	int x __attribute__((aligned(16)));
	char tail;
} __attribute__((aligned(32)));

struct nested {
	int kind;
	union {
		struct {
			u16 port;
			u16 proto;
		};
		u64 raw;
		struct {
			u8 b[3];
		} bytes;
	};
	enum { NESTED_X = 10, NESTED_Y = 11 } which;
	struct {
		int depth;
		struct nested *parent;
	} link;
};

typedef int (*handler_t)(void *ctx, const char *fmt, ...);
typedef void (*(*factory_t)(int))(long);   /* returns a function pointer */

struct callbacks {
	handler_t handle;
	factory_t make;
	int (*table[4])(int, int);
	void (*done)(struct callbacks *self, struct only_declared *opaque, union only_declared_u *u);
	int (*(*matrix)[3])[5];
	const volatile int *cv;
	char *const fixed;
	char *restrict unique;
	const char *const *argv;
};

struct arrays {
	int one[3];
	int two[2][3];
	char *strs[4];
	struct list lists[2];
	long flex[];
};

struct zero {
	int n;
	char data[0];
};

struct scalars {
	_Bool flag;
	char ch;
	signed char sc;
	unsigned char uc;
	short s;
	unsigned long ul;
	__int128 wide;
	unsigned __int128 uwide;
	float f;
	double d;
	long double ld;
};

#define __tag(x) __attribute__((btf_decl_tag(x)))
#define __user __attribute__((btf_type_tag("user")))

struct tagged {
	int plain;
	int marked __tag("marked");
	int __user *uptr;
} __tag("struct_tag");

typedef struct {
	int x, y;
} point_t;

typedef point_t points_t[4];
typedef const point_t cpoint_t;

struct uses_typedefs {
	points_t pts;
	cpoint_t origin;
	u64 (*get)(point_t *);
};

union number {
	int i;
	float f;
	u8 bytes[4];
};

enum color g_color;
enum neg g_neg;
enum small_enum g_small;
int g_anon = ANON_ONE;
struct list g_list;
struct bits g_bits;
struct packed g_packed;
struct aligned g_aligned;
struct nested g_nested;
struct callbacks g_callbacks = { .fixed = 0 };
struct arrays g_arrays;
struct zero g_zero;
struct scalars g_scalars;
struct tagged g_tagged;
struct uses_typedefs g_uses;
union number g_number;
const volatile u64 g_config = 7;

__attribute__((section("socket"), used)) int first_value(struct list *l) { return l ? l->value : 0; }
char _license[] __attribute__((section("license"), used)) = "GPL";
