/*
 * What ao-loader's `wasm32-unknown-emscripten4` glue (a much newer emscripten) does not import
 * or export, for a module linked by Debian's emcc 3.1.6, beyond ../lua-token/c/shim-libc.c
 * (which both builds link). Where the glue has a renamed equivalent, these forward to it.
 */
#include <stddef.h>
#include <stdint.h>

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
