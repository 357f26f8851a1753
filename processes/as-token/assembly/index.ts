import { Kind, JValue, parseJson, quote } from './json'
import { add, compare, isQuantity, normalize, subtract } from './decimal'
import { OutMessage, Outcome } from './outbox'

const MIB: i32 = 1 << 20

let initialised = false
let poisoned = false
let owner = ''
let name = 'Holoscope Test Token'
let ticker = 'HTT'
let denomination = '12'
let totalSupply = '0'
let sentCount: u64 = 0
let pingsReceived: u64 = 0
let pongsReceived: u64 = 0
const balances = new Map<string, string>()
const ballast = new Array<Uint8Array>()
let ballastBytes: u64 = 0

/** The value of the first tag called `tagName` in a `Tags` array, or null. */
function findTag(tags: JValue | null, tagName: string): string | null {
  if (tags == null || tags.kind != Kind.Arr) return null
  for (let i = 0; i < tags.items.length; i++) {
    const t = tags.items[i]
    if (t.getString('name', '\u0000') == tagName) return t.getString('value')
  }
  return null
}

function balanceOf(account: string): string {
  return balances.has(account) ? balances.get(account) : '0'
}

function nextAnchor(): string {
  sentCount++
  return sentCount.toString().padStart(32, '0')
}

function send(out: Outcome, target: string, data: string): OutMessage {
  const m = new OutMessage(target, data, nextAnchor())
  out.messages.push(m)
  return m
}

function keep(bytes: i32): void {
  const block = new Uint8Array(bytes)
  for (let i = 0; i < bytes; i++) {
    block[i] = <u8>((ballastBytes + <u64>i) * 31 + 7)
  }
  ballastBytes += <u64>bytes
  ballast.push(block)
}

function initialise(env: JValue, out: Outcome): void {
  const process = env.get('Process')
  let tags: JValue | null = null
  if (process != null) {
    tags = process.get('Tags')
    owner = process.getString('Owner')
  }
  const n = findTag(tags, 'Name')
  if (n != null) name = n
  const t = findTag(tags, 'Ticker')
  if (t != null) ticker = t
  const d = findTag(tags, 'Denomination')
  if (d != null) denomination = d
  const supplyTag = findTag(tags, 'Initial-Supply')
  const supply = supplyTag != null ? normalize(supplyTag) : '1000000000000000'
  balances.set(owner, supply)
  totalSupply = supply
  const ballastTag = findTag(tags, 'Memory-Ballast')
  if (ballastTag != null) {
    const mib = <i32>I32.parseInt(ballastTag)
    for (let i = 0; i < mib; i++) keep(MIB)
  }
  initialised = true
  out.output = 'Token ' + name + ' initialised'
}

function transfer(msg: JValue, tags: JValue | null, from: string, out: Outcome): void {
  const quantity = findTag(tags, 'Quantity')
  const recipient = findTag(tags, 'Recipient')
  if (quantity == null || !isQuantity(quantity)) {
    transferError(msg, from, 'Invalid Quantity', out)
    return
  }
  const q = normalize(quantity)
  const fromBalance = balanceOf(from)
  if (compare(fromBalance, q) < 0) {
    transferError(msg, from, 'Insufficient Balance!', out)
    return
  }
  balances.set(from, subtract(fromBalance, q))
  if (recipient == null) {
    out.error = 'Transfer: Recipient is required'
    return
  }
  balances.set(recipient, add(balanceOf(recipient), q))
  const debit = send(out, from, 'You transferred ' + quantity + ' to ' + recipient)
    .tag('Action', 'Debit-Notice')
    .tag('Recipient', recipient)
    .tag('Quantity', quantity)
  const credit = send(out, recipient, 'You received ' + quantity + ' from ' + from)
    .tag('Action', 'Credit-Notice')
    .tag('Sender', from)
    .tag('Quantity', quantity)
  if (tags != null) {
    for (let i = 0; i < tags.items.length; i++) {
      const tagName = tags.items[i].getString('name')
      if (!tagName.startsWith('X-')) continue
      const value = tags.items[i].getString('value')
      debit.tag(tagName, value)
      credit.tag(tagName, value)
    }
  }
}

function transferError(msg: JValue, from: string, error: string, out: Outcome): void {
  send(out, from, '').tag('Action', 'Transfer-Error').tag('Message-Id', msg.getString('Id')).tag('Error', error)
}

function mint(tags: JValue | null, from: string, out: Outcome): void {
  if (from != owner) {
    send(out, from, '').tag('Action', 'Mint-Error').tag('Error', 'Only the owner can mint')
    return
  }
  const quantity = findTag(tags, 'Quantity')
  if (quantity == null || !isQuantity(quantity)) {
    send(out, from, '').tag('Action', 'Mint-Error').tag('Error', 'Invalid Quantity')
    return
  }
  const q = normalize(quantity)
  balances.set(owner, add(balanceOf(owner), q))
  totalSupply = add(totalSupply, q)
  send(out, from, '').tag('Action', 'Mint-Notice').tag('Quantity', quantity)
}

function burn(tags: JValue | null, from: string, out: Outcome): void {
  const quantity = findTag(tags, 'Quantity')
  if (quantity == null || !isQuantity(quantity)) {
    send(out, from, '').tag('Action', 'Burn-Error').tag('Error', 'Invalid Quantity')
    return
  }
  const q = normalize(quantity)
  const fromBalance = balanceOf(from)
  if (compare(fromBalance, q) < 0) {
    send(out, from, '').tag('Action', 'Burn-Error').tag('Error', 'Insufficient Balance!')
    return
  }
  balances.set(from, subtract(fromBalance, q))
  totalSupply = subtract(totalSupply, q)
  send(out, from, '').tag('Action', 'Burn-Notice').tag('Quantity', quantity)
}

function balancesJson(): string {
  const keys = balances.keys()
  const parts = new Array<string>()
  parts.push('{')
  for (let i = 0; i < keys.length; i++) {
    if (i > 0) parts.push(',')
    parts.push(quote(keys[i]) + ':' + quote(balances.get(keys[i])))
  }
  parts.push('}')
  return parts.join('')
}

function sendPing(msg: JValue, tags: JValue | null, out: Outcome): void {
  const to = findTag(tags, 'To')
  if (to == null) {
    out.error = 'Send-Ping: To is required'
    return
  }
  send(out, to, msg.getString('Data')).tag('Action', 'Ping').tag('Ping-Id', msg.getString('Id'))
}

function ping(msg: JValue, tags: JValue | null, from: string, out: Outcome): void {
  pingsReceived++
  const pingIdTag = findTag(tags, 'Ping-Id')
  const pingId = pingIdTag != null ? pingIdTag : msg.getString('Id')
  send(out, from, msg.getString('Data')).tag('Action', 'Pong').tag('Ping-Id', pingId)
}

function pong(tags: JValue | null, out: Outcome): void {
  pongsReceived++
  const pingId = findTag(tags, 'Ping-Id')
  out.output = 'pong ' + (pingId == null ? '' : pingId)
}

function spin(): void {
  let n: u64 = 0
  while (true) {
    n++
    if (n == 0) break
  }
}

function dispatch(msg: JValue, env: JValue, out: Outcome): void {
  const process = env.get('Process')
  const processId = process == null ? '' : process.getString('Id')
  if (!initialised && msg.getString('Id', '\u0000') == processId) {
    initialise(env, out)
    return
  }
  const tags = msg.get('Tags')
  const from = msg.getString('From')
  const actionTag = findTag(tags, 'Action')
  const action = actionTag == null ? '' : actionTag
  if (action == 'Info') {
    const m = send(out, from, '')
      .tag('Action', 'Info-Response')
      .tag('Name', name)
      .tag('Ticker', ticker)
      .tag('Denomination', denomination)
      .tag('Total-Supply', totalSupply)
      .tag('Pings', pingsReceived.toString())
      .tag('Pongs', pongsReceived.toString())
    if (poisoned) m.tag('Poisoned', 'true')
  } else if (action == 'Balance') {
    let account = findTag(tags, 'Target')
    if (account == null) account = findTag(tags, 'Recipient')
    if (account == null) account = from
    const balance = balanceOf(account)
    send(out, from, balance)
      .tag('Action', 'Balance-Response')
      .tag('Balance', balance)
      .tag('Ticker', ticker)
      .tag('Account', account)
  } else if (action == 'Balances') {
    send(out, from, balancesJson()).tag('Action', 'Balances-Response')
  } else if (action == 'Total-Supply') {
    send(out, from, totalSupply).tag('Action', 'Total-Supply-Response').tag('Total-Supply', totalSupply)
  } else if (action == 'Transfer') {
    transfer(msg, tags, from, out)
  } else if (action == 'Mint') {
    mint(tags, from, out)
  } else if (action == 'Burn') {
    burn(tags, from, out)
  } else if (action == 'Send-Ping') {
    sendPing(msg, tags, out)
  } else if (action == 'Ping') {
    ping(msg, tags, from, out)
  } else if (action == 'Pong') {
    pong(tags, out)
  } else if (action == 'Spin') {
    spin()
  } else if (action == 'Trap') {
    unreachable()
  } else if (action == 'Fail') {
    poisoned = true
    out.error = 'Fail: requested'
  } else if (action == 'Grow') {
    const bytesTag = findTag(tags, 'Bytes')
    const bytes = bytesTag == null ? 0 : <i32>I32.parseInt(bytesTag)
    if (bytes > 0) keep(bytes)
    out.output = 'grew ' + (bytesTag == null ? '0' : bytesTag)
  } else {
    out.output = 'no handler for ' + action
  }
}

/**
 * Evaluates one AO message.
 * @param msg the message as JSON, as a CU builds it
 * @param env the env (AoGlobal) as JSON
 * @returns `{"ok":true,"response":{"Output","Messages","Spawns","Assignments","Error"?}}`
 */
export function handle(msg: string, env: string): string {
  const out = new Outcome()
  dispatch(parseJson(msg), parseJson(env), out)
  return out.toJson()
}
