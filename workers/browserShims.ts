// ao-loader is Node CommonJS. Its older glues call process.removeListener unconditionally and
// its metering reads Buffer; a browser has neither. `process` gets no `versions`, so the glue
// does not take its Node branches. Must be imported before ao-loader.
import { Buffer } from 'buffer'

const g = globalThis as unknown as { process?: unknown; Buffer?: unknown }
g.process ??= { removeListener() {}, on() {}, env: {}, argv: [] }
g.Buffer ??= Buffer
