#!/usr/bin/env node
// Builds processes/build/lua-token.{wasm,json}: Lua 5.3 (Debian's sources) + c/glue.c + lua/*.lua,
// compiled with Debian's emcc for ao-loader's `wasm32-unknown-emscripten2` glue (see buildLua.mjs).
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildLuaToken } from './buildLua.mjs'

const here = fileURLToPath(new URL('.', import.meta.url))

await buildLuaToken({
  name: 'lua-token',
  format: 'wasm32-unknown-emscripten2',
  shimSources: [join(here, 'c', 'shim-libc.c')],
  // the glue reads these at start-up (stack cookie) and for cwrap/FS
  exports: ['fflush', 'sbrk', 'emscripten_stack_init', 'emscripten_stack_get_end', 'emscripten_stack_get_base', 'emscripten_stack_get_free'],
  linkFlags: [],
})

