import { describe, expect, it } from 'vitest'
import { defaultHostProfile, hostProfilesWith, knownHostProfiles } from './knownHostProfiles.ts'
import { memoryDependsOnHost } from './memoryDependsOnHost.ts'
import { formatHostProfile, HostProfileError, parseHostProfile } from './parseHostProfile.ts'

describe('parseHostProfile', () => {
  it('reads a path with an ao-loader version', () => {
    expect(parseHostProfile('/srv/cu/src/effects/worker/evaluator/index.js@0.0.44')).toEqual({
      id: 'custom:/srv/cu/src/effects/worker/evaluator/index.js@0.0.44',
      label: '/srv/cu/src/effects/worker/evaluator/index.js@0.0.44',
      programPath: '/srv/cu/src/effects/worker/evaluator/index.js',
      aoLoader: '0.0.44',
    })
  })

  it("defaults to Holoscope's ao-loader, and keeps an @ that is not a version in the path", () => {
    expect(parseHostProfile(' /home/me@host/cu/index.js ')).toMatchObject({ programPath: '/home/me@host/cu/index.js', aoLoader: '0.0.49' })
  })

  it('writes a profile back the way it reads it', () => {
    for (const profile of knownHostProfiles) expect(parseHostProfile(formatHostProfile(profile))).toMatchObject({ programPath: profile.programPath, aoLoader: profile.aoLoader })
    expect(formatHostProfile(defaultHostProfile)).toBe('./this.program')
  })

  it('refuses an ao-loader it does not bundle and an empty path, saying what to write', () => {
    expect(() => parseHostProfile('/usr/app/index.js@0.0.45')).toThrow('Host profile "/usr/app/index.js@0.0.45": ao-loader 0.0.45 is not one Holoscope bundles (0.0.49, 0.0.44).')
    const error = (() => {
      try {
        parseHostProfile(' @0.0.44')
      } catch (e) {
        return e as HostProfileError
      }
    })()
    expect(error).toBeInstanceOf(HostProfileError)
    expect(error?.message).toBe('Host profile " @0.0.44" names no program path.')
    expect(error?.details).toContain('PATH[@VERSION]')
  })
})

describe('the host profile table', () => {
  it("starts with Holoscope's pinned default and lists the official CU's Docker image with its ao-loader pin", () => {
    expect(knownHostProfiles[0]).toBe(defaultHostProfile)
    expect(defaultHostProfile).toMatchObject({ programPath: './this.program', aoLoader: '0.0.49' })
    expect(knownHostProfiles.find((p) => p.id === 'official-cu-docker')).toMatchObject({ programPath: '/usr/app/src/effects/worker/evaluator/index.js', aoLoader: '0.0.44' })
    expect(new Set(knownHostProfiles.map((p) => p.id)).size).toBe(knownHostProfiles.length)
  })

  it("adds the user's profiles after the known ones, each host once", () => {
    const mine = parseHostProfile('/opt/cu/worker.js@0.0.44')
    const again = parseHostProfile('/usr/app/src/effects/worker/evaluator/index.js@0.0.44')
    const profiles = hostProfilesWith([mine, again, mine])
    expect(profiles.slice(0, knownHostProfiles.length)).toEqual(knownHostProfiles)
    expect(profiles.slice(knownHostProfiles.length)).toEqual([mine])
  })

  it('applies to emscripten formats only', () => {
    expect(memoryDependsOnHost('wasm32-unknown-emscripten2')).toBe(true)
    expect(memoryDependsOnHost('wasm64-unknown-emscripten-draft_2024_02_15')).toBe(true)
    expect(memoryDependsOnHost('wasm32-unknown-assemblyscript')).toBe(false)
  })
})
