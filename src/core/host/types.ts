/** The ao-loader versions Holoscope bundles: its own (0.0.49) and the official CU's pin (0.0.44). */
export const aoLoaderVersions = ['0.0.49', '0.0.44'] as const

/** An ao-loader version Holoscope can evaluate with. */
export type AoLoaderVersion = (typeof aoLoaderVersions)[number]

/**
 * What a CU's host writes into a process's memory when the module reads its environment (the
 * emscripten glue's `_` and program name: the host's `process.argv[1]`), and which ao-loader
 * does the writing (0.0.44 writes environment strings for emscripten4 modules where 0.0.49
 * writes none). Every glue writes `LANG=C.UTF-8` whatever the host, so it is not part of it.
 * Results and dry-runs never depend on it; memory (state, checkpoint SHA-256) does.
 */
export type HostProfile = {
  /** A stable name (`holoscope`, `official-cu-docker`, `custom:/srv/cu/…@0.0.44`). */
  id: string
  /** What a person reads ("the official CU's Docker image"). */
  label: string
  /** The host's `process.argv[1]`: the CU's evaluation worker script. */
  programPath: string
  aoLoader: AoLoaderVersion
}
