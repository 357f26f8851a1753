import * as bufferModule from 'buffer'
import source from '@permaweb/ao-loader/dist/index.cjs?raw'

/**
 * ao-loader for a browser realm. Its emscripten2 glue assigns to a property it made
 * getter-only (`Module.thisProgram`): harmless in the sloppy-mode CommonJS it is published as,
 * a TypeError once a bundler turns it into a (strict) ES module. So the published file is run
 * as it is, as sloppy code, with a `require` that gives it the `buffer` polyfill and empty
 * objects for the Node built-ins it only touches on Node. Needs no CSP, or 'unsafe-eval'.
 */
export function aoLoaderForBrowser(): unknown {
  const module = { exports: {} as unknown }
  const require = (name: string): unknown => (name === 'buffer' ? bufferModule : {})
  new Function('module', 'exports', 'require', source)(module, module.exports, require)
  return module.exports
}
