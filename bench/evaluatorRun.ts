// One measurement for evaluatorRate.ts: prints { msPerMessage, memoryMiB, messages, errors }.
const clock = process.hrtime.bigint.bind(process.hrtime)
const { moduleOptionsFromTags } = await import('../src/core/module/moduleOptionsFromTags.ts')
const { createEvaluator } = await import('../src/eval/createEvaluator.ts')
const { loadFixture } = await import('../processes/loadFixture.ts')
const { generateTokenLog } = await import('../processes/tokenLog.ts')

const [fixtureName = 'lua-token', mode = 'hot', count = '100', ballast = '0'] = process.argv.slice(2)
const fixture = await loadFixture(fixtureName)
const processTags = ballast !== '0' ? [{ name: 'Memory-Ballast', value: ballast }] : []
const log = generateTokenLog({ moduleTags: fixture.tags, count: Number(count), seed: 1, processTags })
const env = { Process: log.process, Module: log.module }
const evaluator = await createEvaluator(fixture.wasm, moduleOptionsFromTags(fixture.tags, log.process.Tags), { mode: mode as 'hot' | 'cu' })
await evaluator.evaluate(log.messages[0]!, env)
let errors = 0
const started = clock()
for (const msg of log.messages.slice(1)) if ((await evaluator.evaluate(msg, env)).Error !== undefined) errors++
const messages = log.messages.length - 1
console.log(JSON.stringify({ msPerMessage: Number(clock() - started) / 1e6 / messages, memoryMiB: evaluator.memory().byteLength / 2 ** 20, messages, errors }))

export {}
