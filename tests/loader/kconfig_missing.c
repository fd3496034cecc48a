/* A .kconfig extern nobody sets, not weak: the load says which and where it looked. */
#include "loader.h"

extern int CONFIG_NYUKI_NOT_A_REAL_OPTION __kconfig;

SEC("xdp") int kcfg(struct xdp_md *ctx)
{
	return CONFIG_NYUKI_NOT_A_REAL_OPTION;
}

char LICENSE[] SEC("license") = "GPL";

// ERROR: error: load:
// ERROR: section '.kconfig': extern 'CONFIG_NYUKI_NOT_A_REAL_OPTION' in .kconfig cannot be resolved
