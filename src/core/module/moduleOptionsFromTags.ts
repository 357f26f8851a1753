import { BaseError } from '../errors/BaseError.ts'
import { tagValue } from '../message/tagValue.ts'
import type { Tag } from '../message/types.ts'
import { moduleFormats, type ModuleFormat, type ModuleOptions } from './types.ts'

/** The largest Memory-Limit a CU accepts (1 GiB); above it the CU refuses the process (413). */
export const maxMemoryLimit = 1024 ** 3
/** The largest Compute-Limit a CU accepts. */
export const maxComputeLimit = 9e12

const units: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4, pb: 1024 ** 5 }

/** The module's tags cannot be evaluated: unknown format, unreadable or too large limits. */
export class ModuleOptionsError extends BaseError {
  override name = 'ModuleOptionsError'
}

/**
 * Reads a module's evaluation options the way a CU does: `Module-Format`, `Memory-Limit`
 * (`1-gb`, `500-mb`; 1024-based) and `Compute-Limit`, where a process tag of the same name
 * wins over the module's, and `Extension` tags with their prefixed tags.
 *
 * @throws ModuleOptionsError for an unsupported format or a limit a CU would refuse
 */
export function moduleOptionsFromTags(moduleTags: readonly Tag[], processTags: readonly Tag[] = []): ModuleOptions {
  const format = tagValue(moduleTags, 'Module-Format')
  if (!format || !(moduleFormats as readonly string[]).includes(format)) {
    throw new ModuleOptionsError(
      `Module-Format ${format === undefined ? 'is missing' : JSON.stringify(format) + ' is not supported'}`,
      { details: `Supported formats: ${moduleFormats.join(', ')}.` },
    )
  }
  const memoryTag = tagValue(processTags, 'Memory-Limit') ?? tagValue(moduleTags, 'Memory-Limit')
  const computeTag = tagValue(processTags, 'Compute-Limit') ?? tagValue(moduleTags, 'Compute-Limit')
  const memoryLimit = memoryTag === undefined ? maxMemoryLimit : parseBytes(memoryTag)
  const computeLimit = computeTag === undefined ? maxComputeLimit : Number.parseInt(computeTag, 10)
  if (!Number.isFinite(memoryLimit) || memoryLimit <= 0) {
    throw new ModuleOptionsError(`Memory-Limit ${JSON.stringify(memoryTag)} is not a size like "500-mb" or "1-gb"`)
  }
  if (memoryLimit > maxMemoryLimit) {
    throw new ModuleOptionsError(`Memory-Limit ${memoryTag} is above the 1 GiB a CU accepts; a CU refuses this process`)
  }
  if (!Number.isFinite(computeLimit) || computeLimit <= 0) {
    throw new ModuleOptionsError(`Compute-Limit ${JSON.stringify(computeTag)} is not a positive integer`)
  }
  if (computeLimit > maxComputeLimit) {
    throw new ModuleOptionsError(`Compute-Limit ${computeTag} is above the ${maxComputeLimit} a CU accepts; a CU refuses this process`)
  }
  return { format: format as ModuleFormat, memoryLimit, computeLimit, extensions: extensionsOf(moduleTags) }
}

/** Parses a size such as `1-gb`, `500-mb`, `1gb` or `2048` (bytes). NaN when unreadable. */
export function parseBytes(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*-?\s*([kmgtp]?b)?\s*$/i.exec(text)
  if (!match) return Number.NaN
  const unit = units[(match[2] ?? 'b').toLowerCase()] ?? Number.NaN
  return Math.floor(Number.parseFloat(match[1]!) * unit)
}

function extensionsOf(tags: readonly Tag[]): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {}
  for (const tag of tags) {
    if (tag.name !== 'Extension') continue
    const prefix = `${tag.value}-`
    out[tag.value] = Object.fromEntries(
      tags.filter((t) => t.name.startsWith(prefix)).map((t) => [t.name.slice(prefix.length), t.value]),
    )
  }
  return out
}
