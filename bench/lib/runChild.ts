import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/**
 * Runs a TypeScript file of `bench/` in a fresh Node process (through tsx), so that every
 * measurement starts from a clean realm (ao-loader replaces a realm's clocks) and heap, with
 * memory64 on (wasm64 modules; behind a flag in Node 20).
 *
 * @param file the file, relative to `bench/`
 * @returns the JSON its last line of stdout holds
 * @throws Error with the child's stderr when it exits with a failure
 */
export function runChild<T>(file: string, args: string[]): Promise<T> {
  const path = fileURLToPath(new URL(`../${file}`, import.meta.url))
  const child = spawn(process.execPath, ['--experimental-wasm-memory64', '--import', 'tsx', path, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => {
      const last = stdout.trim().split('\n').pop() ?? ''
      if (code !== 0) return reject(new Error(`${file} ${args.join(' ')} exited with ${code}:\n${stderr.trim()}`))
      try {
        resolve(JSON.parse(last) as T)
      } catch {
        reject(new Error(`${file} ${args.join(' ')} printed no JSON result:\n${stdout.slice(-500)}\n${stderr.trim()}`))
      }
    })
  })
}
