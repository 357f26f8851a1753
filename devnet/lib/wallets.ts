import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Arweave from 'arweave'
import type { JWKInterface } from 'arweave/node/lib/wallet.js'

/** An Arweave (RSA-4096) wallet: its key and address. */
export type Wallet = { name: string; jwk: JWKInterface; address: string }

const arweave = Arweave.init({})

/**
 * Loads the named wallets from `dir` (`<name>.json`, JWK), generating the missing ones once.
 * Key generation takes about a second per wallet, so devnet keeps them between runs.
 */
export async function loadWallets<const N extends string>(dir: string, names: readonly N[]): Promise<Record<N, Wallet>> {
  mkdirSync(dir, { recursive: true })
  const entries = await Promise.all(
    names.map(async (name): Promise<[N, Wallet]> => {
      const file = join(dir, `${name}.json`)
      let jwk: JWKInterface
      if (existsSync(file)) {
        jwk = JSON.parse(readFileSync(file, 'utf8')) as JWKInterface
      } else {
        jwk = await arweave.wallets.generate()
        // Written whole then renamed: test files starting at once may both generate one.
        const partial = `${file}.${process.pid}.tmp`
        writeFileSync(partial, JSON.stringify(jwk), { mode: 0o600 })
        renameSync(partial, file)
      }
      return [name, { name, jwk, address: await arweave.wallets.jwkToAddress(jwk) }]
    }),
  )
  return Object.fromEntries(entries) as Record<N, Wallet>
}
