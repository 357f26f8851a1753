import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { describeError } from '../core/errors/describeError.ts'
import { serializeReceipt } from '../core/verify/receipt.ts'
import { knownHostProfiles } from '../core/host/knownHostProfiles.ts'
import { formatHostProfile, parseHostProfile } from '../core/host/parseHostProfile.ts'
import { claimLabel, describeChecked, isMemoryClaim, type Verdict } from '../core/verify/verdict.ts'
import { spawnNodeWorker } from '../eval/node/spawnNodeWorker.ts'
import { describeWaits } from '../net/withRetries.ts'
import { verifyProcess, type Endpoints } from '../replay/verifyProcess.ts'
import { parseCommandArgs, timeoutMsOf } from './parseCommandArgs.ts'
import { InputFileError } from './readLocalLog.ts'
import { progressBar } from './progressBar.ts'
import { UsageError } from './UsageError.ts'

/** Usage of `holoscope verify`. */
export const verifyUsage = `holoscope verify <process-id> [options]

Replays a process from its SU log and compares every message's result with what each CU
reports. Exit code: 0 verified, 1 diverged, 2 could not check.

  --gateway URL     Arweave gateway (default: devnet's, from .devnet/ready.json)
  --su URL          SU to read the log from (default: found from the process's Scheduler tag)
  --cu URL          a CU to check (repeatable; default: devnet's CUs)
  --to NONCE        verify up to this nonce (default: the SU's latest, read once)
  --timeout SEC     stop a message that runs longer (default 60)
  --receipt FILE    write a receipt of the verification (JSON) to FILE
  --host-profile PATH[@VERSION]
                    another CU host to try when a CU's memory differs while its results
                    agree: its worker script path and ao-loader (0.0.49 or 0.0.44;
                    repeatable; the known ones are always tried, see below)
  --json            print JSON: { status, nonce, processId, divergence?, cus: [verdicts] }

Against each CU it compares, in nonce order, its signed checkpoints (SHA-256 of memory), every
message's result, and at the target nonce its state (memory) and a Balances dry-run. A CU that
rate-limits (429), fails with 5xx, does not answer or is still computing its state is asked
again with backoff (honouring Retry-After); the progress line says which CU is waited for.

A CU's memory (state, checkpoint SHA-256) depends on where it is installed and on its
ao-loader; its results do not. A memory claim that differs while the CU's results agree is
checked again by replaying under host profiles; one that reproduces it verifies the CU "with
its host profile". Always tried:
${knownHostProfiles.map((p) => `  ${formatHostProfile(p)}: ${p.label}`).join('\n')}`

const readyFile = '.devnet/ready.json'

/** Runs `holoscope verify`; resolves to the exit code. */
export async function verifyCommand(argv: string[], out: NodeJS.WriteStream, err: NodeJS.WriteStream): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    allowPositionals: true,
    options: {
      gateway: { type: 'string' },
      su: { type: 'string' },
      cu: { type: 'string', multiple: true },
      to: { type: 'string' },
      timeout: { type: 'string', default: '60' },
      json: { type: 'boolean', default: false },
      receipt: { type: 'string' },
      'host-profile': { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }, verifyUsage)
  if (values.help) {
    out.write(`${verifyUsage}\n`)
    return 0
  }
  const [processId] = positionals
  if (!processId) throw new UsageError('verify needs a process id', verifyUsage)
  const hostProfiles = (values['host-profile'] ?? []).map(parseHostProfile)
  const endpoints = endpointsFrom(values)
  const toNonce = values.to === undefined ? undefined : Number(values.to)
  if (toNonce !== undefined && !(Number.isInteger(toNonce) && toNonce >= 0)) throw new UsageError(`--to must be a nonce (0 or more), not ${JSON.stringify(values.to)}`, verifyUsage)
  const messageTimeoutMs = timeoutMsOf(values.timeout, verifyUsage)

  let progress: ReturnType<typeof progressBar> | undefined
  let verdicts: Verdict[]
  let reached: number
  try {
    const verification = await verifyProcess({
      processId,
      endpoints,
      toNonce,
      spawn: spawnNodeWorker,
      hostProfiles,
      messageTimeoutMs,
      onLoaded: (loaded) => (progress = progressBar(err, loaded.targetNonce + 1, 'verify')),
      onProgress: (p) => progress?.update(p.evaluated),
      // Which CU a request waits for before a retry, and why: on the progress line.
      onWaiting: (waits) => {
        const text = describeWaits(waits).join('; ')
        if (progress) progress.note(text)
        else if (text) err.write(`verify: ${text}\n`)
      },
    })
    progress?.done()
    if (values.receipt) writeFileSync(values.receipt, serializeReceipt(await verification.receipt()))
    verification.dispose()
    verdicts = verification.verdicts
    reached = verification.reached
  } catch (error) {
    progress?.done()
    const { message, details } = describeError(error)
    if (values.json) out.write(`${JSON.stringify({ status: 'unchecked', processId, reason: message, ...(details ? { details } : {}) })}\n`)
    else err.write(`Could not check: ${message}\n${details ? `  ${details}\n` : ''}`)
    return 2
  }
  const diverged = verdicts.find((v) => v.status === 'diverged')
  const unchecked = verdicts.filter((v) => v.status === 'unchecked')
  const status = diverged ? 'diverged' : unchecked.length === verdicts.length ? 'unchecked' : 'verified'
  if (values.json) {
    out.write(`${JSON.stringify({ status, processId, nonce: diverged?.nonce ?? reached, ...(diverged ? { divergence: diverged } : {}), cus: verdicts })}\n`)
  } else {
    for (const v of verdicts) out.write(`${describeVerdict(v)}\n`)
    if (!verdicts.length) out.write(`Replayed to nonce ${reached}; no CU given to compare with.\n`)
  }
  return status === 'diverged' ? 1 : status === 'unchecked' && verdicts.length ? 2 : 0
}

function describeVerdict(v: Verdict): string {
  const notes = v.status !== 'unchecked' && v.notes?.length ? `\n${v.notes.map((n) => `  note: ${n}`).join('\n')}` : ''
  const trusted = v.status !== 'unchecked' && v.trusted ? `\n  trusted start: CU ${v.trusted.cu}'s checkpoint ${v.trusted.checkpointId} at nonce ${v.trusted.nonce}` : ''
  if (v.status === 'verified') {
    const written = v.hostProfile ? formatHostProfile(v.hostProfile) : ''
    const host = v.hostProfile ? `, with its host profile: ${v.hostProfile.label}${v.hostProfile.label === written ? '' : ` (${written})`}` : ''
    const checked = v.checked ? describeChecked(v.checked) : undefined
    const proven = checked ? `\n  results: ${checked.results}${checked.memory ? `\n  memory: ${checked.memory}` : ''}` : ''
    return `Verified to nonce ${v.nonce} against CU ${v.cu}${host}${proven}${trusted}${notes}`
  }
  if (v.status === 'unchecked') return `Could not check against CU ${v.cu}${v.nonce === undefined ? '' : ` (at nonce ${v.nonce})`}: ${v.reason}`
  const kind = v.claim ?? 'result'
  const which = v.claimId ? ` ${v.claimId}` : ` (message ${v.messageId})`
  const memory = isMemoryClaim(kind)
    ? `\n  a memory divergence, not a wrong result${v.checked ? `: before it, ${describeChecked(v.checked).results} agreed` : ''}${v.hostProfiles ? `; replayed under host profiles ${v.hostProfiles.join(', ')}, none reproduces it` : ''}${v.hostProfile ? `; values under its host profile ${v.hostProfile.label}` : ''}`
    : ''
  return `Diverged at nonce ${v.nonce} from CU ${v.cu}: its ${claimLabel[kind]}${which}, field ${v.field}${memory}\n  local: ${JSON.stringify(v.local)}\n  CU:    ${JSON.stringify(v.remote)}${trusted}${notes}`
}

function endpointsFrom(values: { gateway?: string | undefined; su?: string | undefined; cu?: string[] | undefined }): Endpoints {
  let ready: { gateway?: string; su?: string; cus?: { url: string }[] } = {}
  if ((!values.gateway || !values.cu?.length) && existsSync(readyFile)) {
    try {
      ready = JSON.parse(readFileSync(readyFile, 'utf8')) as typeof ready
    } catch {
      throw new InputFileError(`${readyFile} is not valid JSON; restart devnet or pass --gateway and --cu`)
    }
  }
  const gateway = values.gateway ?? ready.gateway
  if (!gateway) throw new UsageError('No gateway: pass --gateway URL, or start devnet (npm run devnet) so .devnet/ready.json names one', verifyUsage)
  const cus = values.cu?.length ? values.cu : (ready.cus ?? []).map((c) => c.url)
  for (const url of [gateway, values.su, ...cus]) {
    if (url === undefined) continue
    try {
      new URL(url)
    } catch {
      throw new UsageError(`${JSON.stringify(url)} is not a URL`, verifyUsage)
    }
  }
  return { gateway, su: values.su, cus }
}
