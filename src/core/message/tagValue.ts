import type { Tag } from './types.ts'

/** The value of the first tag named `name`, or undefined. */
export function tagValue(tags: readonly Tag[], name: string): string | undefined {
  return tags.find((tag) => tag.name === name)?.value
}
