#!/usr/bin/env node
// `npm start`: the devnet (seeded the first time) and the app's dev server, together.
// Ctrl-C stops both. Arguments after `--` go to the devnet (see `npm run devnet -- --help`).
import { spawn } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'

const readyFile = '.devnet/ready.json'
rmSync(readyFile, { force: true })
const children = []
const run = (command, args) => {
  const child = spawn(command, args, { stdio: 'inherit' })
  children.push(child)
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${command} ${args[0] ?? ''} exited (${signal ?? code}); stopping`)
      stop(code ?? 1)
    }
  })
  return child
}
let stopping = false
function stop(code) {
  stopping = true
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM')
  Promise.all(children.map((c) => (c.exitCode === null ? new Promise((resolve) => c.on('exit', resolve)) : undefined))).then(() => process.exit(code))
}
process.on('SIGINT', () => stop(0))
process.on('SIGTERM', () => stop(0))

run(process.execPath, ['--import', 'tsx', 'devnet/main.ts', ...process.argv.slice(2)])
const waitReady = setInterval(() => {
  if (!existsSync(readyFile) || stopping) return
  clearInterval(waitReady)
  run(process.execPath, ['node_modules/vite/bin/vite.js'])
}, 250)
