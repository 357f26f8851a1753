import { parentPort } from 'node:worker_threads'
import { expose } from 'comlink'
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs'
import { WorkerEntryError } from '../src/eval/errors.ts'
import { createEvaluatorApi } from './evaluator.api.ts'
import { pinHostEnvironment } from './pinHostEnvironment.ts'

if (!parentPort) throw new WorkerEntryError('evaluator.node.ts runs as a worker thread', { details: 'Start it with spawnNodeWorker (src/eval/node/spawnNodeWorker.ts), not as a program of its own.' })
pinHostEnvironment()
expose(createEvaluatorApi(), nodeEndpoint(parentPort))
