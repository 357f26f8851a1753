import type { HostProfile } from './types.ts'

/** The official CU's evaluation worker script, under its Docker image's install directory. */
const officialCuWorker = '/usr/app/src/effects/worker/evaluator/index.js'

/**
 * Holoscope's own host: the glue's defaults, pinned in every evaluator worker so memory is the
 * same in Node and in browsers. Every memory hash Holoscope computes by default is under it.
 */
export const defaultHostProfile: HostProfile = { id: 'holoscope', label: "Holoscope's pinned host", programPath: './this.program', aoLoader: '0.0.49' }

/**
 * The hosts of known CU deployments, tried when a CU's memory claim differs while its results
 * agree. Each entry costs one replay from nonce 0 when it is tried, so the table stays short.
 *
 * - `official-cu-docker`: permaweb/ao `servers/cu` as its Dockerfile builds it: installed at
 *   `/usr/app`, ao-loader 0.0.44 (its `package.json` pin).
 * - `official-cu-docker-0.0.49`: the same image rebuilt with ao-loader 0.0.49 (a newer lock).
 */
export const knownHostProfiles: readonly HostProfile[] = [
  defaultHostProfile,
  { id: 'official-cu-docker', label: "the official CU's Docker image (ao-loader 0.0.44)", programPath: officialCuWorker, aoLoader: '0.0.44' },
  { id: 'official-cu-docker-0.0.49', label: "the official CU's Docker image with ao-loader 0.0.49", programPath: officialCuWorker, aoLoader: '0.0.49' },
]

/**
 * The profiles to try, in order: the known ones, then the user's (Settings, `--host-profile`),
 * each host once (two profiles with the same path and ao-loader are one).
 */
export function hostProfilesWith(extra: readonly HostProfile[] = []): HostProfile[] {
  const seen = new Set<string>()
  return [...knownHostProfiles, ...extra].filter((p) => {
    const key = `${p.aoLoader} ${p.programPath}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/** Whether two profiles write the same host into memory. */
export function sameHost(a: HostProfile, b: HostProfile): boolean {
  return a.programPath === b.programPath && a.aoLoader === b.aoLoader
}
