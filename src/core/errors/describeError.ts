import { BaseError } from './BaseError.ts'

/** An error for a person: its message and, when it has them, its details; never a stack. */
export function describeError(error: unknown): { message: string; details?: string } {
  if (error instanceof BaseError && error.details) return { message: error.message, details: error.details }
  if (error instanceof Error) return { message: error.message }
  return { message: String(error) }
}
