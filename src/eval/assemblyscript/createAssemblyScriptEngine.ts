import { copyWithHeadroom } from '../copyWithHeadroom.ts'
import { instantiate, type ASUtil } from '@assemblyscript/loader'
import type { AoEnv, AoMessage, EvalResult, OutboxItem } from '../../core/message/types.ts'
import { InstanceBrokenError, MemoryLimitError, ModuleInterfaceError, ModuleResultError, SnapshotMismatchError, UnpreparedModuleError } from '../errors.ts'
import type { Snapshot } from '../../core/evaluator/snapshot.ts'
import type { EngineFactory } from '../types.ts'
import { AssemblyScriptTrapError } from './AssemblyScriptTrapError.ts'
import { preparedModuleInfo, type PreparedModuleInfo } from './prepareAssemblyScriptModule.ts'

const PAGE = 65536
const MAX_PAGES = 65536
const GLOBAL_EXPORT = /^__holoscope_global_(\d+)$/

type TokenExports = ASUtil & { handle: (msg: number, env: number) => number }

type Live = {
  exports: TokenExports
  memory: WebAssembly.Memory
  globals: WebAssembly.Global[]
}

type HandleResult = { ok?: unknown; response?: Partial<EvalResult> & Record<string, unknown> }

/** The memory limit of one engine, and the error that names it. */
type Limit = { bytes: number; pages: number; error: (details?: string) => MemoryLimitError }

/**
 * An engine for AssemblyScript modules (`wasm32-unknown-assemblyscript`), on
 * `@assemblyscript/loader`, in Node or a browser worker alike.
 *
 * ABI (see `processes/as-token/README.md`): the module exports
 * `handle(msg: string, env: string): string`, taking the message and env as JSON and returning
 * `{"ok":true,"response":{Output,Messages,Spawns,Assignments,Error?}}`; it is built with
 * `--exportRuntime`. A module that imports its memory gets one whose maximum is `Memory-Limit`;
 * one that defines its memory is checked against the limit after every message.
 *
 * `wasm` must come from `prepareAssemblyScriptModule` (in this realm): snapshots read the
 * mutable globals it exports, where AssemblyScript keeps its allocator and GC state.
 * @throws UnpreparedModuleError when `wasm` was not prepared; MemoryLimitError when the module's
 *   initial memory is over the limit; ModuleInterfaceError when it lacks memory or `handle`
 */
export const createAssemblyScriptEngine: EngineFactory = async (wasm, options) => {
  const info = preparedModuleInfo(wasm)
  if (!info) {
    throw new UnpreparedModuleError('This AssemblyScript module was not compiled with prepareAssemblyScriptModule.', {
      details: 'The engine snapshots the mutable globals that prepareAssemblyScriptModule exports; compile the module bytes with it, in the realm that creates the engine.',
    })
  }
  const bytes = options.memoryLimit
  const limit: Limit = {
    bytes,
    pages: Math.min(MAX_PAGES, Math.floor(bytes / PAGE)),
    error: (details) => new MemoryLimitError(`memory limit of ${bytes} bytes exceeded`, details === undefined ? {} : { details }),
  }
  const fresh = () => instantiateLive(wasm, info, limit)
  let live: Live = await fresh()
  let broken = false

  return {
    async handle(msg: AoMessage, env: AoEnv): Promise<EvalResult> {
      if (broken) throw new InstanceBrokenError()
      const { exports, memory } = live
      let text: string
      try {
        const msgPtr = exports.__pin(exports.__newString(JSON.stringify(msg)))
        const envPtr = exports.__pin(exports.__newString(JSON.stringify(env)))
        text = exports.__getString(exports.handle(msgPtr, envPtr))
        exports.__unpin(msgPtr)
        exports.__unpin(envPtr)
      } catch (error) {
        broken = true
        throw trapError(error, memory, info, limit)
      }
      if (memory.buffer.byteLength > limit.bytes) {
        broken = true
        throw limit.error(`the module's memory grew to ${memory.buffer.byteLength} bytes`)
      }
      return toEvalResult(text)
    },

    snapshot(reuse?: Snapshot | null): Snapshot {
      const memory = new Uint8Array(live.memory.buffer)
      const globals = live.globals.map((g) => g.value as number | bigint)
      return { format: options.format, memory: reuse === undefined ? memory.slice() : copyWithHeadroom(memory, reuse?.memory, Math.min(options.memoryLimit, 4 * 1024 ** 3)), globals }
    },

    async restore(snapshot: Snapshot | null): Promise<void> {
      // In place when the instance is healthy and the sizes match: a fresh instance means
      // allocating its whole memory again, which costs far more than copying into it.
      const inPlace = snapshot !== null && !broken && live.memory.buffer.byteLength === snapshot.memory.byteLength
      const next = inPlace ? live : await fresh()
      if (snapshot) restoreInto(next, snapshot, limit)
      live = next
      broken = false
    },

    memory(): Uint8Array {
      return new Uint8Array(live.memory.buffer)
    },

    dispose(): void {
      broken = true
    },
  }
}

/** Instantiates a prepared module, giving an imported memory `limit` as its maximum, and finds its state. */
async function instantiateLive(wasm: WebAssembly.Module, info: PreparedModuleInfo, limit: Limit): Promise<Live> {
  const imports: Record<string, Record<string, WebAssembly.ImportValue>> = {}
  let imported: WebAssembly.Memory | undefined
  const memoryImport = info.memoryImport
  if (memoryImport) {
    if (memoryImport.min > limit.pages) throw limit.error(`the module declares ${memoryImport.min * PAGE} bytes of initial memory`)
    imported = new WebAssembly.Memory({
      initial: memoryImport.min,
      maximum: Math.min(limit.pages, memoryImport.max ?? limit.pages),
    })
    imports[memoryImport.module] = { [memoryImport.name]: imported }
  }
  const { instance, exports } = await instantiate<{ handle: TokenExports['handle'] }>(wasm, imports)
  const raw = instance.exports
  const memory = imported ?? Object.values(raw).find((v): v is WebAssembly.Memory => v instanceof WebAssembly.Memory)
  if (!memory) throw new ModuleInterfaceError('This AssemblyScript module has no linear memory.')
  if (typeof raw.handle !== 'function') throw new ModuleInterfaceError('This AssemblyScript module does not export handle(msg, env).')
  const globals = Object.keys(raw)
    .map((name) => ({ name, index: GLOBAL_EXPORT.exec(name)?.[1] }))
    .filter((g): g is { name: string; index: string } => g.index !== undefined)
    .sort((a, b) => Number(a.index) - Number(b.index))
    .map((g) => raw[g.name] as WebAssembly.Global)
  return { exports: exports as TokenExports, memory, globals }
}

/** What a trap means: the allocator failing to grow past the limit, or another trap. */
function trapError(error: unknown, memory: WebAssembly.Memory, info: PreparedModuleInfo, limit: Limit): Error {
  const bytes = memory.buffer.byteLength
  if (error instanceof WebAssembly.RuntimeError && /unreachable/i.test(error.message)) {
    const offset = /wasm-function\[\d+\]:0x([0-9a-f]+)/i.exec(error.stack ?? '')?.[1]
    // Without a trap offset in the stack (Safari), guess: the allocator doubles memory first.
    const outOfMemory = offset === undefined ? bytes * 2 > limit.bytes : info.growFailureTraps.has(parseInt(offset, 16))
    if (outOfMemory) {
      return limit.error(`the module's allocator could not grow its memory beyond ${bytes} bytes (${error.message})`)
    }
  }
  const why = error instanceof Error ? error.message : String(error)
  return new AssemblyScriptTrapError(`the AssemblyScript module trapped: ${why}`, { cause: error })
}

/**
 * The result `handle` returned as JSON text.
 *
 * @throws ModuleResultError when it is not JSON; the module's response when it is not `ok`
 */
function toEvalResult(text: string): EvalResult {
  let parsed: HandleResult
  try {
    parsed = JSON.parse(text) as HandleResult
  } catch (error) {
    throw new ModuleResultError('The AssemblyScript module returned a result that is not JSON.', { details: text.slice(0, 200), cause: error })
  }
  const response = parsed.response ?? {}
  if (parsed.ok !== true) throw response
  const out: EvalResult = {
    Output: response.Output ?? '',
    Messages: (response.Messages ?? []) as OutboxItem[],
    Spawns: (response.Spawns ?? []) as OutboxItem[],
    Assignments: (response.Assignments ?? []) as OutboxItem[],
  }
  if (response.Error !== undefined && response.Error !== null) out.Error = response.Error
  return out
}

/**
 * Copies a snapshot's memory and globals into an instance, growing its memory to fit.
 *
 * @throws SnapshotMismatchError when the snapshot is not of this module; MemoryLimitError when it is over the limit
 */
function restoreInto(next: Live, snapshot: Snapshot, limit: Limit): void {
  const have = next.memory.buffer.byteLength
  const want = snapshot.memory.byteLength
  const another = 'It was taken from another module (or is damaged): restore a snapshot of this process, or replay from the start.'
  if (want % PAGE !== 0 || want < have) {
    throw new SnapshotMismatchError(`This snapshot's memory (${want} bytes) does not fit this module (${have} bytes initially).`, { details: another })
  }
  if (want > limit.bytes) throw limit.error(`the snapshot holds ${want} bytes of memory`)
  if (want > have) next.memory.grow((want - have) / PAGE)
  new Uint8Array(next.memory.buffer).set(snapshot.memory)
  if (!snapshot.globals) return
  if (snapshot.globals.length !== next.globals.length) {
    throw new SnapshotMismatchError(`This snapshot has ${snapshot.globals.length} globals; the module has ${next.globals.length}.`, { details: another })
  }
  snapshot.globals.forEach((value, i) => {
    const global = next.globals[i]
    if (global) global.value = value
  })
}

export { prepareAssemblyScriptModule } from './prepareAssemblyScriptModule.ts'
