import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { BaseError } from '../../core/errors/BaseError.ts'
import { ErrorBoundary } from './ErrorBoundary.tsx'

/** What the boundary shows once `error` was thrown below it (server rendering runs no boundaries). */
function fallbackFor(error: unknown): string {
  const boundary = new ErrorBoundary({ children: null })
  boundary.state = ErrorBoundary.getDerivedStateFromError(error)
  return renderToStaticMarkup(boundary.render())
}

describe('ErrorBoundary', () => {
  it('says what went wrong in words, with its details and a way on, never the stack', () => {
    const error = new BaseError('The balance of X is not a number.', { details: 'it was "ok"' })
    const html = fallbackFor(error)
    expect(html).toContain('role="alert"')
    expect(html).toContain('This page stopped working</strong>: The balance of X is not a number.')
    expect(html).toContain('it was &quot;ok&quot;')
    expect(html).toContain('>Try again</button>')
    expect(html).toContain('href="#/"')
    expect(html).not.toContain(error.stack!.split('\n')[1]!.trim())
  })

  it('names a thrown value that is not an Error', () => {
    expect(fallbackFor('lost')).toContain(': lost')
  })
})
