/*
 * What ao-loader's `wasm32-unknown-emscripten4` glue (a much newer emscripten) does not import
 * or export, for a module linked by Debian's emcc 3.1.6. Imports of 3.1.6's libc and setjmp
 * lowering that the glue lacks are defined here; where the glue has a renamed equivalent, they
 * forward to it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* The process reads no clock: constants (Lua only seeds its string hash with time()). */
time_t time(time_t *t) {
  if (t) *t = 0;
  return 0;
}
clock_t clock(void) { return 0; }
double difftime(time_t a, time_t b) { return (double)a - (double)b; }

/* 3.1.6's open() imports __syscall_open; the glue has __syscall_openat. */
__attribute__((import_module("env"), import_name("__syscall_openat")))
long holo_syscall_openat(long dirfd, long path, long flags, long varargs);
long __syscall_open(long path, long flags, ...) {
  int mode[1] = {0};
  if (flags & 0100) { /* O_CREAT */
    va_list ap;
    va_start(ap, flags);
    mode[0] = va_arg(ap, int);
    va_end(ap);
  }
  return holo_syscall_openat(-100 /* AT_FDCWD */, path, flags, (long)mode);
}

/* abort(): the glue's import is `_abort_js` (3.1.6 imports `abort`). */
__attribute__((import_module("env"), import_name("_abort_js")))
void holo_abort_js(void);
_Noreturn void abort(void) {
  holo_abort_js();
  __builtin_trap();
}

/* Large memcpy: the glue's import is `_emscripten_memcpy_js` (3.1.6: emscripten_memcpy_big). */
__attribute__((import_module("env"), import_name("_emscripten_memcpy_js")))
void holo_memcpy_js(void *dest, const void *src, size_t n);
void *emscripten_memcpy_big(void *dest, const void *src, size_t n) {
  holo_memcpy_js(dest, src, n);
  return dest;
}

/* The high 32 bits of i64 results: 3.1.6's setjmp lowering imports these from JS; the glue
 * instead expects the module to keep them (and exports _emscripten_tempret_set). */
static int32_t temp_ret0;
int32_t getTempRet0(void) { return temp_ret0; }
void setTempRet0(int32_t value) { temp_ret0 = value; }
int32_t _emscripten_tempret_get(void) { return temp_ret0; }
void _emscripten_tempret_set(int32_t value) { temp_ret0 = value; }

/* The glue's invoke_vii (setjmp/longjmp around Lua's protected calls) calls the export
 * dynCall_vii (emcc's name for it is reserved, hence export_name). */
__attribute__((export_name("dynCall_vii")))
void holo_dyncall_vii(void (*f)(int32_t, int32_t), int32_t a, int32_t b) { f(a, b); }
