# Cross toolchain for arm64 (aarch64) boards, from Debian's packages:
#   gcc-aarch64-linux-gnu libc6-dev-arm64-cross linux-libc-dev-arm64-cross qemu-user-static
# Use: cmake -S DIR -B BUILD -DCMAKE_TOOLCHAIN_FILE=toolchain/aarch64.cmake
# The tests cross-compile the C layout probes (linux/gpio.h, linux/videodev2.h) with it and run
# them under qemu-aarch64-static, so the struct layouts are checked for arm64 too.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)

# Headers and libraries of the target only (Debian's multiarch cross root), programs of the host.
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# Lets CMake (try_run, ctest) run target programs: user-mode QEMU with the cross root as its loader root.
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64-static -L /usr/aarch64-linux-gnu)
