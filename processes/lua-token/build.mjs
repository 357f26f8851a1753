#!/usr/bin/env node
// Builds processes/build/lua-token.{wasm,json}: Lua 5.3 (Debian's sources) + c/glue.c + lua/*.lua,
// compiled with Debian's emcc for ao-loader's `wasm32-unknown-emscripten2` glue (see buildLua.mjs).
// When processes/lua-token4/ exists, its emscripten4 build is redone too (it reuses these sources,
// and the fixture runner only watches its own directory).
import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { buildLuaToken } from './buildLua.mjs'

const here = fileURLToPath(new URL('.', import.meta.url))

await buildLuaToken({
  name: 'lua-token',
  format: 'wasm32-unknown-emscripten2',
  shimSources: [join(here, 'c', 'shim-emscripten2.c')],
  // the glue reads these at start-up (stack cookie) and for cwrap/FS
  exports: ['fflush', 'sbrk', 'emscripten_stack_init', 'emscripten_stack_get_end', 'emscripten_stack_get_base', 'emscripten_stack_get_free'],
  linkFlags: [],
})

const twin = join(here, '..', 'lua-token4', 'build.mjs')
if (existsSync(twin)) {
  const run = spawnSync(process.execPath, [twin], { stdio: 'inherit' })
  if (run.status !== 0) {
    // leave no stale output, so that the fixture runner rebuilds (and reports) lua-token4 next time
    for (const ext of ['wasm', 'json']) rmSync(join(here, '..', 'build', `lua-token4.${ext}`), { force: true })
    console.error('lua-token: the lua-token4 (emscripten4) build failed; lua-token itself is fine')
  }
}
