// comlink ships its Node adapter without a module declaration for this path.
declare module 'comlink/dist/esm/node-adapter.mjs' {
  import type { Endpoint } from 'comlink'
  import type { MessagePort, Worker } from 'node:worker_threads'
  export default function nodeEndpoint(nep: MessagePort | Worker): Endpoint
}
