import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { BalancesTable } from './BalancesTable.tsx'

const render = (balances: Record<string, string>) => renderToStaticMarkup(createElement(BalancesTable, { balances }))

describe('BalancesTable', () => {
  it('shows a balance that is not a whole number as the text the token reported, saying so, beside the numbers', () => {
    const html = render({ alice: '1e+21', bob: 'ok', carol: '12345678901234567890', dave: '-5' })
    expect(html).toContain('data-account="alice" data-balance="1e+21"')
    expect(html).toMatch(/1e\+21 <span class="muted">\(not a whole number\)<\/span>/)
    expect(html).toMatch(/ok <span class="muted">\(not a whole number\)<\/span>/)
    expect(html).toContain(`>${12345678901234567890n.toLocaleString()}<`)
    // Largest first, then what is not a number.
    expect([...html.matchAll(/data-account="(\w+)"/g)].map((m) => m[1])).toEqual(['carol', 'dave', 'alice', 'bob'])
  })
})
