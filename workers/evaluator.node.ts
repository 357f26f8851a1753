import { parentPort } from 'node:worker_threads'
import { expose } from 'comlink'
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs'
import { createEvaluatorApi } from './evaluator.api.ts'
import { pinHostEnvironment } from './pinHostEnvironment.ts'

if (!parentPort) throw new Error('evaluator.node.ts runs as a worker thread')
pinHostEnvironment()
expose(createEvaluatorApi(), nodeEndpoint(parentPort))
