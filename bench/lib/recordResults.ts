import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'

const resultsFile = new URL('../results.json', import.meta.url)

/**
 * Merges one benchmark's numbers into `bench/results.json` (ignored by git) under `name`,
 * with when, how (quick or full) and where they were measured. Other benchmarks' entries stay.
 */
export function recordResults(name: string, quick: boolean, numbers: Record<string, unknown>): void {
  let all: Record<string, unknown> = {}
  if (existsSync(resultsFile)) {
    try {
      all = JSON.parse(readFileSync(resultsFile, 'utf8')) as Record<string, unknown>
    } catch {
      all = {}
    }
  }
  all[name] = { measuredAt: new Date().toISOString(), quick, machine: { cpus: cpus().length, node: process.version, loadAverage: loadavg()[0] }, ...numbers }
  writeFileSync(resultsFile, `${JSON.stringify(all, null, 2)}\n`)
}

/**
 * One line on the machine: cores, Node and the 1-minute load average. A load above the core
 * count means something else was running, and timings are slower than they should be.
 */
export function machineNote(): string {
  return `machine: ${cpus().length} cores, Node ${process.version}, load average ${loadavg()[0]!.toFixed(2)}`
}
