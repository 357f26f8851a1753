import './browserShims.ts'
import { expose } from 'comlink'
import { createEvaluatorApi } from './evaluator.api.ts'
import { pinHostEnvironment } from './pinHostEnvironment.ts'

pinHostEnvironment()
expose(createEvaluatorApi())
