import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { describeError } from '../../core/errors/describeError.ts'
import { formatBytes } from '../format.ts'
import { storageQueries } from '../queries/storageQueries.ts'
import { clearLocalStore } from '../settings/localStore.ts'

/** What the app keeps in this browser, and a way to delete it. */
export function StorageUsage() {
  const queryClient = useQueryClient()
  const usage = useQuery(storageQueries.usage())
  const clear = useMutation({
    mutationFn: clearLocalStore,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: storageQueries.all }),
  })
  if (usage.isPending) return <p className="muted">Reading local storage…</p>
  if (usage.isError) return <p className="muted">Local storage is not available here ({usage.error.message}); every visit replays from the start.</p>
  const { bytes, checkpoints } = usage.data
  return (
    <p className="storage-usage">
      Stored in this browser: {formatBytes(bytes)} ({checkpoints.length.toLocaleString()} checkpoints).{' '}
      <button type="button" onClick={() => clear.mutate()}>
        Delete stored data
      </button>
      {clear.isSuccess && <span role="status"> Deleted.</span>}
      {clear.isError && (
        <span className="error" role="alert">
          {' '}
          {describeError(clear.error).message}
        </span>
      )}
    </p>
  )
}
