import type { ReplayProgress } from '../../replay/replayLocalLog.ts'

/** Messages evaluated out of the total, with the rate and the time left. */
export function ProgressBar({ progress }: { progress: ReplayProgress }) {
  const { done, total, perSecond } = progress
  const left = perSecond > 0 ? (total - done) / perSecond : 0
  return (
    <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={total} aria-valuenow={done}>
      <div className="progress-track">
        <div className="progress-fill" style={{ width: `${total ? (100 * done) / total : 0}%` }} />
      </div>
      <span>
        {done.toLocaleString()} / {total.toLocaleString()} messages · {Math.round(perSecond).toLocaleString()} msg/s
        {done < total ? ` · ${formatSeconds(left)} left` : ''}
      </span>
    </div>
  )
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)} s`
  return `${Math.floor(seconds / 60)} min ${Math.ceil(seconds % 60)} s`
}
