import { quote } from './json'

/** One outbox message, serialised in the order Target, Data, Anchor, Tags. */
export class OutMessage {
  tagNames: Array<string> = []
  tagValues: Array<string> = []
  constructor(
    public target: string,
    public data: string,
    public anchor: string,
  ) {}

  /** Appends a tag; returns this for chaining. */
  tag(name: string, value: string): OutMessage {
    this.tagNames.push(name)
    this.tagValues.push(value)
    return this
  }

  /** The message as JSON. */
  toJson(): string {
    const parts = new Array<string>()
    parts.push('{"Target":' + quote(this.target))
    parts.push(',"Data":' + quote(this.data))
    parts.push(',"Anchor":' + quote(this.anchor))
    parts.push(',"Tags":[')
    for (let i = 0; i < this.tagNames.length; i++) {
      if (i > 0) parts.push(',')
      parts.push('{"name":' + quote(this.tagNames[i]) + ',"value":' + quote(this.tagValues[i]) + '}')
    }
    parts.push(']}')
    return parts.join('')
  }
}

/** What one message produced: Output, outbox and an optional Error. */
export class Outcome {
  output: string = ''
  messages: Array<OutMessage> = []
  error: string | null = null

  /** The `{"ok":true,"response":{...}}` result string of `handle`. */
  toJson(): string {
    const parts = new Array<string>()
    parts.push('{"ok":true,"response":{"Output":' + quote(this.output) + ',"Messages":[')
    for (let i = 0; i < this.messages.length; i++) {
      if (i > 0) parts.push(',')
      parts.push(this.messages[i].toJson())
    }
    parts.push('],"Spawns":[],"Assignments":[]')
    const error = this.error
    if (error != null) parts.push(',"Error":' + quote(error))
    parts.push('}}')
    return parts.join('')
  }
}
