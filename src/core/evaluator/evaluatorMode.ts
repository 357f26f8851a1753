/**
 * How messages are evaluated: `hot` keeps one live instance (Holoscope's way); `cu` passes
 * the memory in and copies it out on every message, as a CU calls ao-loader (the reference).
 */
export type EvaluatorMode = 'hot' | 'cu'
