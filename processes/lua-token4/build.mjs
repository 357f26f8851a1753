#!/usr/bin/env node
// Builds processes/build/lua-token4.{wasm,json}: the lua-token fixture (sources in ../lua-token)
// for ao-loader's async `wasm32-unknown-emscripten4` glue, with ASYNCIFY and the shims in c/.
// inputs.txt names ../lua-token, so the fixture runner rebuilds this when those sources change.
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildLuaToken } from '../lua-token/buildLua.mjs'

const here = fileURLToPath(new URL('.', import.meta.url))

await buildLuaToken({
  name: 'lua-token4',
  format: 'wasm32-unknown-emscripten4',
  shimSources: [join(here, '..', 'lua-token', 'c', 'shim-libc.c'), join(here, 'c', 'shim-emscripten4.c'), join(here, 'c', 'stack-emscripten4.S')],
  exports: [
    'fflush',
    'sbrk',
    'emscripten_stack_init',
    'emscripten_stack_get_end',
    'emscripten_stack_get_base',
    'emscripten_stack_get_free',
    'emscripten_stack_get_current',
    '_emscripten_stack_restore',
    '_emscripten_stack_alloc',
    '_emscripten_tempret_set',
  ],
  linkFlags: ['-s', 'ASYNCIFY=1'],
})
