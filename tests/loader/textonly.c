/* No SEC(): the code is all in .text, which is then the program (typed by the caller). */
#include "loader.h"

__noinline int helper(int x) { return x + 1; }

int main_prog(int *ctx)
{
	return helper(*ctx + 41);
}

// GCC: yes
// NOBTF: yes
// ARGS: --default-type socket_filter
// CHECK: program main_prog section=.text type=socket_filter
// CHECK: program helper section=.text type=socket_filter
// CHECK: func main_prog helper at
// RUN-ARGS: --run main_prog
// RUN-CHECK: run main_prog retval=42
