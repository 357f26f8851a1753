/*
 * libc functions that ao-loader's glues (emscripten2 and emscripten4) do not import, defined
 * here so that the module's imports are a subset of what the glue provides. Both Lua builds
 * link this file; lua-token4 adds its emscripten4-only shims.
 *
 * Debian's emcc 3.1.6 links a musl whose time()/clock() are JS library functions and whose
 * open() is the `__syscall_open` import; the glues (newer emscriptens) instead have
 * `_emscripten_date_now`, `__syscall_openat`, ... The process reads no clock, so time() and
 * clock() are constants (Lua only uses time() to seed its string hash).
 */
#include <stdarg.h>
#include <time.h>

time_t time(time_t *t) {
  if (t) *t = 0;
  return 0;
}

clock_t clock(void) { return 0; }

double difftime(time_t a, time_t b) { return (double)a - (double)b; }

__attribute__((import_module("env"), import_name("__syscall_openat")))
long holo_syscall_openat(long dirfd, long path, long flags, long varargs);

#define HOLO_AT_FDCWD (-100)
#define HOLO_O_CREAT 0100

/* open(path, flags[, mode]) as openat(AT_FDCWD, ...); varargs is a pointer to the mode. */
long __syscall_open(long path, long flags, ...) {
  int mode[1] = {0};
  if (flags & HOLO_O_CREAT) {
    va_list ap;
    va_start(ap, flags);
    mode[0] = va_arg(ap, int);
    va_end(ap);
  }
  return holo_syscall_openat(HOLO_AT_FDCWD, path, flags, (long)mode);
}
