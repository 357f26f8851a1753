// Writes a generated token log for a built fixture, for `holoscope replay`:
//   npm run token-log -- <fixture> [count] [out.json] [Memory-Ballast MiB]
import { writeFileSync } from 'node:fs'
import { loadFixture } from '../processes/loadFixture.ts'
import { generateTokenLog } from '../processes/tokenLog.ts'

const [name = 'lua-token', count = '200', out = `/tmp/${name}.log.json`, ballast] = process.argv.slice(2)
const fixture = await loadFixture(name)
const processTags = ballast ? [{ name: 'Memory-Ballast', value: ballast }] : []
const log = generateTokenLog({ moduleTags: fixture.tags, count: Number(count), processTags })
writeFileSync(out, JSON.stringify(log))
console.log(`wrote ${log.messages.length} messages for ${name} to ${out}`)
