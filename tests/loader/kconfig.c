/* .kconfig externs: the kernel version from uname, CONFIG_* from the options, weak ones default to 0. */
#include "loader.h"

enum libbpf_tristate { TRI_NO = 0, TRI_YES = 1, TRI_MODULE = 2 };

extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern int CONFIG_HZ __kconfig;
extern _Bool CONFIG_BPF_SYSCALL __kconfig;
extern enum libbpf_tristate CONFIG_NYUKI_MODULE __kconfig;
extern char CONFIG_NYUKI_CHAR __kconfig;
extern char CONFIG_NYUKI_NAME[8] __kconfig;
extern unsigned long long CONFIG_NYUKI_MISSING __kconfig __weak;

SEC("xdp") int kcfg(struct xdp_md *ctx)
{
	if (LINUX_KERNEL_VERSION == 0)
		return -1;
	return CONFIG_HZ + CONFIG_BPF_SYSCALL * 1000 + CONFIG_NYUKI_MODULE * 10000 + CONFIG_NYUKI_MISSING +
	       (CONFIG_NYUKI_CHAR == 'y') * 100000 + CONFIG_NYUKI_NAME[1];
}

char LICENSE[] SEC("license") = "GPL";

// ARGS: --kconfig $'CONFIG_HZ=250\nCONFIG_BPF_SYSCALL=y\n# CONFIG_NYUKI_OFF is not set\nCONFIG_NYUKI_MODULE=m'
// ARGS: --kconfig $'CONFIG_NYUKI_CHAR=y\nCONFIG_NYUKI_NAME="nyuki"'
// CHECK: .kconfig section=.kconfig type=2 key=4 value=
// CHECK: flags=0x80
// CHECK: value .kconfig+
// 250 + 1000 + 2 * 10000 + 0 + 100000 + 'y' (121)
// RUN-ARGS: --run kcfg
// RUN-CHECK: run kcfg retval=121371
