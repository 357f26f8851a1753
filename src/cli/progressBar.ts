/** A progress line on a terminal stream; silent when the stream is not a terminal. */
export function progressBar(stream: NodeJS.WriteStream, total: number, label: string) {
  const started = performance.now()
  let last = 0
  return {
    update(done: number): void {
      if (!stream.isTTY) return
      const now = performance.now()
      if (now - last < 100 && done < total) return
      last = now
      const width = 30
      const filled = Math.round((done / Math.max(total, 1)) * width)
      const rate = done / Math.max((now - started) / 1000, 1e-3)
      const left = rate > 0 ? (total - done) / rate : 0
      stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${rate.toFixed(0)} msg/s, ${left.toFixed(0)} s left `)
    },
    done(): void {
      if (stream.isTTY) stream.write('\n')
    },
  }
}
