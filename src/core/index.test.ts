import { expect, it } from 'vitest'
import * as core from './index.ts'

it('exports exactly the public core', () => {
  expect(Object.keys(core).sort()).toMatchInlineSnapshot(`
    [
      "BaseError",
      "LocalLogError",
      "ModuleOptionsError",
      "addressFrom",
      "buildAoMessage",
      "describeError",
      "fromBase64Url",
      "fromOf",
      "maxComputeLimit",
      "maxMemoryLimit",
      "moduleFormats",
      "moduleOptionsFromTags",
      "parseBytes",
      "parseLocalLog",
      "processMessage",
      "tagValue",
      "toAoEnv",
      "toAoMessage",
      "toBase64Url",
      "toHex",
    ]
  `)
})
