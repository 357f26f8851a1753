import { Component, type ErrorInfo, type ReactNode } from 'react'
import { describeError } from '../../core/errors/describeError.ts'

type Props = { children: ReactNode }
type State = { error: unknown; failed: boolean }

/**
 * Catches an error thrown while a page renders and says, in words, what went wrong (its message
 * and details, never a stack), with a way to try the page again or go back to the processes.
 */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: undefined, failed: false }

  static getDerivedStateFromError(error: unknown): State {
    return { error, failed: true }
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    // The stack is for developers, in the console; the page shows only the words.
    console.error('Holoscope: a page failed to render', error, info.componentStack)
  }

  private readonly retry = () => this.setState({ error: undefined, failed: false })

  override render() {
    if (!this.state.failed) return this.props.children
    const { message, details } = describeError(this.state.error)
    return (
      <div className="verdict unchecked page-error" role="alert">
        <strong>This page stopped working</strong>: {message}
        {details && <p className="muted">{details}</p>}
        <p>
          <button type="button" onClick={this.retry}>
            Try again
          </button>{' '}
          or go back to <a href="#/">the processes</a>.
        </p>
      </div>
    )
  }
}
