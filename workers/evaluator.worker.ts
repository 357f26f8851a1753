import './browserShims.ts'
import { expose } from 'comlink'
import { createEvaluatorApi } from './evaluator.api.ts'

expose(createEvaluatorApi())
