import { BaseError } from '../errors/BaseError.ts'
import { defaultHostProfile } from './knownHostProfiles.ts'
import { aoLoaderVersions, type AoLoaderVersion, type HostProfile } from './types.ts'

/** A host profile written wrongly (Settings, `--host-profile`, devnet's `host=`). */
export class HostProfileError extends BaseError {
  override name = 'HostProfileError'
}

/** How a host profile is written: `PATH[@VERSION]`. */
export const hostProfileSyntax = 'PATH[@VERSION], e.g. /usr/app/src/effects/worker/evaluator/index.js@0.0.44'

/**
 * Reads a host profile written `PATH[@VERSION]`: the CU's worker script path (its
 * `process.argv[1]`) and the ao-loader version (default 0.0.49).
 *
 * @throws HostProfileError naming the spec and what is wrong (an empty path, an ao-loader
 *   version Holoscope does not bundle)
 */
export function parseHostProfile(spec: string): HostProfile {
  let rest = spec.trim()
  let aoLoader: AoLoaderVersion = defaultHostProfile.aoLoader
  const at = /@(\d+\.\d+\.\d+)$/.exec(rest)
  if (at) {
    const version = at[1]!
    if (!(aoLoaderVersions as readonly string[]).includes(version)) {
      throw new HostProfileError(`Host profile "${spec}": ao-loader ${version} is not one Holoscope bundles (${aoLoaderVersions.join(', ')}).`, {
        details: 'Use one of those versions, or the closest one the CU runs.',
      })
    }
    aoLoader = version as AoLoaderVersion
    rest = rest.slice(0, at.index)
  }
  const programPath = rest.trim()
  if (!programPath) throw new HostProfileError(`Host profile "${spec}" names no program path.`, { details: `Write it as ${hostProfileSyntax}.` })
  const written = formatHostProfile({ programPath, aoLoader })
  return { id: `custom:${written}`, label: written, programPath, aoLoader }
}

/** A host profile as `parseHostProfile` reads it (the default version left out). */
export function formatHostProfile(profile: Pick<HostProfile, 'programPath' | 'aoLoader'>): string {
  return profile.aoLoader === defaultHostProfile.aoLoader ? profile.programPath : `${profile.programPath}@${profile.aoLoader}`
}
