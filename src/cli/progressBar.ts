/**
 * A progress line on a terminal stream; silent when the stream is not a terminal. `note` adds
 * a text after the counts (e.g. which CU is being waited for), written on its own line when
 * the stream is not a terminal.
 */
export function progressBar(stream: NodeJS.WriteStream, total: number, label: string) {
  const started = performance.now()
  let last = 0
  let done = 0
  let note = ''
  const update = (count: number): void => {
    done = count
    if (!stream.isTTY) return
    const now = performance.now()
    if (now - last < 100 && done < total) return
    last = now
    const width = 30
    const filled = Math.round((done / Math.max(total, 1)) * width)
    const rate = done / Math.max((now - started) / 1000, 1e-3)
    const left = rate > 0 ? (total - done) / rate : 0
    // \x1b[K clears what a longer line before left.
    stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${rate.toFixed(0)} msg/s, ${left.toFixed(0)} s left${note ? ` · ${note}` : ''} \x1b[K`)
  }
  return {
    update,
    note(text: string): void {
      if (text === note) return
      note = text
      if (!stream.isTTY) {
        if (text) stream.write(`${label}: ${text}\n`)
        return
      }
      last = 0
      update(done)
    },
    done(): void {
      if (stream.isTTY) stream.write('\n')
    },
  }
}
