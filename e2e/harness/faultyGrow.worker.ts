// The app's evaluator worker in a host whose memories cannot grow: every grow by more than
// zero pages throws a TypeError, as an i64 memory's grow does in Chromium when handed a Number
// (what ao-loader's wasm64 glue passes). The run must end with EvaluatorHostError, never with
// results carrying Error.
import '../../workers/browserShims.ts'
import { expose } from 'comlink'
import { createEvaluatorApi } from '../../workers/evaluator.api.ts'
import { pinHostEnvironment } from '../../workers/pinHostEnvironment.ts'

const grow = WebAssembly.Memory.prototype.grow
WebAssembly.Memory.prototype.grow = function (this: WebAssembly.Memory, delta: number) {
  if (Number(delta) > 0) throw new TypeError(`Cannot convert ${String(delta)} to a BigInt`)
  return grow.call(this, delta)
}

pinHostEnvironment()
expose(createEvaluatorApi())
