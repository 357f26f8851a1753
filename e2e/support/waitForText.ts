import type { Page } from 'playwright-core'

/** Waits for `text` on the page; on timeout the error carries what the page shows instead. */
export async function waitForText(page: Page, text: string, timeout = 120_000): Promise<void> {
  try {
    await page.getByText(text).first().waitFor({ timeout })
  } catch (error) {
    const shown = await page.locator('body').innerText().catch(() => '(page gone)')
    throw new Error(`"${text}" never appeared; the page shows:\n${shown.slice(0, 2000)}`, { cause: error })
  }
}
